import type { Command } from 'commander';
import { ConfigError } from '../config-error.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

interface SnapshotFlags {
  url?: string;
  base?: string[];
  out?: string;
  adminToken?: string;
}

/** `airsuite snapshot`: exports bases of a running emulator as a fixture that `--seed FILE.json` loads. */
export function registerSnapshotCommand(program: Command, io: CliIo, env: Env): void {
  program
    .command('snapshot')
    .description('export bases of a running emulator as a fixture file (load it again with --seed FILE.json)')
    .option('--url <url>', 'emulator URL (default http://127.0.0.1:$EMULATOR_PORT or :8010)')
    .option('--base <baseId>', 'export only this base; repeatable', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option(
      '--admin-token <token>',
      "the emulator's admin token, if it was started with one (env EMULATOR_ADMIN_TOKEN)",
    )
    .action(async (flags: SnapshotFlags) => {
      const url = new URL(
        '/__emulator/export',
        flags.url ?? `http://127.0.0.1:${env.EMULATOR_PORT ?? '8010'}`,
      );
      for (const base of flags.base ?? []) url.searchParams.append('baseId', base);
      let response: Response;
      try {
        const adminToken = (flags.adminToken ?? env.EMULATOR_ADMIN_TOKEN ?? '').trim();
        response = await io.fetch(
          url,
          adminToken ? { headers: { authorization: `Bearer ${adminToken}` } } : {},
        );
      } catch (error) {
        throw new ConfigError(
          `Cannot reach the emulator at ${url.origin} (${(error as Error).message}). Is it running?`,
        );
      }
      if (response.status === 401)
        throw new ConfigError(
          `The emulator at ${url.origin} needs its admin token: pass --admin-token or set EMULATOR_ADMIN_TOKEN`,
        );
      if (!response.ok)
        throw new ConfigError(`The emulator answered ${response.status}: ${await response.text()}`);
      const text = `${JSON.stringify(await response.json(), null, 2)}\n`;
      if (flags.out) {
        await io.writeFile(flags.out, text);
        io.stderr(`Wrote ${flags.out}`);
      } else io.stdout(text.trimEnd());
    });
}
