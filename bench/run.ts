import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli } from './cli.ts';
import { benchEmulator } from './emulator.ts';
import { benchGateway } from './gateway.ts';
import { benchOrchestrator } from './orchestrator.ts';
import { benchPlatform } from './platform.ts';
import { benchPlugins } from './plugins.ts';
import { benchTools } from './tools.ts';
import { benchQueueEngines } from './webhook-queue-engines.ts';
import { benchWebhooks } from './webhooks.ts';

/** Runs every benchmark and writes one JSON file per benchmark to bench/results/. */
const benches: Record<string, () => Promise<unknown>> = {
  cli: benchCli,
  emulator: benchEmulator,
  gateway: benchGateway,
  orchestrator: benchOrchestrator,
  platform: benchPlatform,
  plugins: benchPlugins,
  'queue-engines': benchQueueEngines,
  tools: benchTools,
  webhooks: benchWebhooks,
};
const only = process.argv[2];
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
await mkdir(resultsDir, { recursive: true });
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  const result = {
    name,
    node: process.version,
    at: new Date().toISOString(),
    ...((await bench()) as object),
  };
  await writeFile(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
