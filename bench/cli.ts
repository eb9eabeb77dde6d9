import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '@airsuite/airtable-emulator';
import { startMcpHttpServerFromEnv } from '@airsuite/mcp-server';
import { buildCli } from '../cli/scripts/build.ts';
import { type ProbeTarget, probeStdioServer, type StdioProbe } from './stdio-probe.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'patBenchCliToken0001';
const RELAY_KEY = 'bench-cli-relay-key-0001';
const RUNS = 7;
/** Issue 11: at most 1.5 times the yardstick's cold start, and under 120 MiB. */
const TARGET = { ratio: 1.5, peakRssMiB: 120 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function summary(probes: StdioProbe[]) {
  return {
    runs: probes.length,
    medianMs: Math.round(median(probes.map((p) => p.ms))),
    peakRssMiB: Math.max(...probes.map((p) => p.peakRssMiB)),
    tools: probes[0]?.tools ?? 0,
  };
}

/**
 * `npm run bench -- cli`: the cold start of `airsuite mcp`, which Claude Desktop pays on every
 * launch: median time from spawn to the first tools/list answer and peak RSS, standalone
 * (AIRTABLE_TOKEN against an emulator) and as the relay (AIRSUITE_API_KEY to a running MCP
 * HTTP server), for the compiled bundle (what `npm install -g` installs; built here first) and
 * the checkout (TypeScript through tsx), next to a bare MCP SDK server with one tool (the
 * yardstick). The runs of all targets are interleaved, so a busy machine slows them alike.
 */
export async function benchCli() {
  const build = await buildCli();
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: false },
  });
  const platform = await startMcpHttpServerFromEnv({
    AIRTABLE_TOKEN: TOKEN,
    AIRTABLE_API_URL: emulator.url,
    MCP_AUTH_TOKEN: RELAY_KEY,
    MCP_PORT: '0',
  });
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const standalone = { ...base, AIRTABLE_TOKEN: TOKEN, AIRTABLE_API_URL: emulator.url };
  const relay = { ...base, AIRSUITE_API_KEY: RELAY_KEY, AIRSUITE_MCP_URL: platform.url };
  const node = process.execPath;
  const compiled = join(build.outDir, 'airsuite.js');
  const checkout = join(ROOT, 'cli', 'bin', 'airsuite.js');
  const targets: Record<string, ProbeTarget> = {
    yardstick: { command: node, args: [join(ROOT, 'bench', 'yardstick-stdio-server.js')], env: base },
    compiledStandalone: { command: node, args: [compiled, 'mcp'], env: standalone },
    compiledRelay: { command: node, args: [compiled, 'mcp'], env: relay },
    checkoutStandalone: { command: node, args: [checkout, 'mcp'], env: standalone },
    checkoutRelay: { command: node, args: [checkout, 'mcp'], env: relay },
  };
  const probes: Record<string, StdioProbe[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  try {
    // One discarded round warms the disk cache (and tsx's transform cache) for every target.
    for (const target of Object.values(targets)) await probeStdioServer(target);
    for (let run = 0; run < RUNS; run++)
      for (const [name, target] of Object.entries(targets))
        probes[name]?.push(await probeStdioServer(target));
  } finally {
    await platform.close();
    await emulator.close();
  }
  const results = Object.fromEntries(Object.entries(probes).map(([name, p]) => [name, summary(p)]));
  const yardstickMs = results.yardstick?.medianMs ?? Number.NaN;
  const ratio = (name: string) =>
    Math.round(((results[name]?.medianMs ?? Number.NaN) / yardstickMs) * 100) / 100;
  const installed = results.compiledStandalone;
  return {
    target: TARGET,
    bundle: { files: Object.keys(build.files).length, kib: Math.round(build.bytes / 1024) },
    ...results,
    ratioToYardstick: Object.fromEntries(
      Object.keys(targets)
        .filter((name) => name !== 'yardstick')
        .map((name) => [name, ratio(name)]),
    ),
    meetsTarget:
      ratio('compiledStandalone') <= TARGET.ratio &&
      ratio('compiledRelay') <= TARGET.ratio &&
      (installed?.peakRssMiB ?? Number.POSITIVE_INFINITY) < TARGET.peakRssMiB &&
      (results.compiledRelay?.peakRssMiB ?? Number.POSITIVE_INFINITY) < TARGET.peakRssMiB,
  };
}
