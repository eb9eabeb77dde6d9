import type { Command } from 'commander';
import { CliExit } from '../cli-exit.ts';
import { ConfigError } from '../config-error.ts';
import type { CliIo } from '../io.ts';

interface RunFlags {
  function?: string;
  tool?: string;
  input?: string;
  seed?: string;
}

function parseInput(raw: string | undefined): unknown {
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`--input must be JSON: ${(error as Error).message}`);
  }
}

/** `airsuite plugin run [DIR]`: its flags and help here; the runner loads only when it runs. */
export function registerPluginRunCommand(plugin: Command, io: CliIo): void {
  plugin
    .command('run')
    .argument('[dir]', 'the plugin folder (manifest.json, build/plugin.wasm)', '.')
    .description(
      'run a plugin locally: a function or hook, or a tool call its hooks see, against the emulator',
    )
    .option('--function <name>', 'an exported function or hook (before_write, on_event) to call')
    .option(
      '--tool <name>',
      'a catalogue tool to call instead (create_records…): before_write and on_event hooks react',
    )
    .option('--input <json>', 'the input of the function or tool (default {})')
    .option('--seed <file>', "the emulator's bases: sample (default) or a fixture file")
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  airsuite plugin run ./lead-scoring --function score --input '{"table":"Deals"}'`,
        `  airsuite plugin run ./owner-validator --tool create_records --input '{"base_id":"appJRG6RjcS0ZVuqz","table":"Deals","records":[{"fields":{"Deal Name":"No owner"}}]}'`,
        '',
        'Everything runs in this process and is gone after it: the emulator with the sample bases (Sales',
        'CRM is appJRG6RjcS0ZVuqz) behind a gateway with Airtable’s limits, an embedded database, a test',
        'workspace with the plugin installed from DIR. Prints the JSON answer (and, with --tool, the',
        'on_event deliveries the write made).',
        '',
        'Exit codes: 0 the call succeeded; 1 it failed (the error is printed); 2 bad settings or a plugin',
        'the platform refuses.',
      ].join('\n'),
    )
    .action(async (dir: string, flags: RunFlags) => {
      if (!flags.function === !flags.tool) {
        throw new ConfigError('say what to run: --function NAME or --tool NAME (one of them)');
      }
      const input = parseInput(flags.input);
      const { openLocalRunner } = await import('../plugins/local-runner.ts');
      const runner = await openLocalRunner(dir, flags.seed ? { seed: flags.seed } : {});
      try {
        const outcome = flags.function
          ? await runner.call(flags.function, input)
          : await runner.tool(flags.tool as string, input);
        io.stdout(JSON.stringify(outcome, null, 2));
        if (!outcome.ok) throw new CliExit(`${outcome.error?.code}: ${outcome.error?.message}`, 1);
      } finally {
        await runner.close();
      }
    });
}
