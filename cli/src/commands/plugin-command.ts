import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { registerPluginPublishCommand } from './plugin-publish-command.ts';
import { registerPluginRunCommand } from './plugin-run-command.ts';

/** `airsuite plugin new|build|run|publish`: flags and help here; each loads its code only when it runs. */
export function registerPluginCommand(program: Command, io: CliIo, env: Env): void {
  const plugin = program
    .command('plugin')
    .description('write plugins in AssemblyScript: new, build, run locally, publish to a workspace');
  plugin
    .command('new')
    .argument('<name>', 'the plugin name: lower-case letters, digits and _ (lead_scoring)')
    .option('--dir <dir>', 'the folder to write, empty or new (default ./NAME)')
    .description('start a plugin: manifest.json, assembly/index.ts with one working function, a README')
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  airsuite plugin new lead_scoring && airsuite plugin build lead_scoring',
        '',
        'The folder needs no npm install: `plugin build` compiles it with the cli’s own AssemblyScript',
        'and kit (`import … from "airsuite"`: input, output, JSON, records, kv, events, logs, config).',
      ].join('\n'),
    )
    .action(async (name: string, flags: { dir?: string }) => {
      const { runPluginNew } = await import('./plugin-new.ts');
      await runPluginNew(name, flags, io);
    });
  plugin
    .command('build')
    .argument('[dir]', 'the plugin folder (manifest.json, assembly/index.ts)', '.')
    .description('compile DIR/assembly/index.ts into DIR/build/plugin.wasm and check it as publishing will')
    .addHelpText(
      'after',
      [
        '',
        'The memory maximum is the manifest’s limits.memory_pages (default 16 pages of 64 KiB). Every',
        'problem is printed: compile errors as file:line:column, and what the platform would refuse',
        '(manifest, exports, imports, memory).',
        '',
        'Exit codes: 0 built and valid; 2 no manifest, a compile error, or a module the platform refuses.',
      ].join('\n'),
    )
    .action(async (dir: string) => {
      const { runPluginBuild } = await import('./plugin-build.ts');
      await runPluginBuild(dir, io);
    });
  registerPluginRunCommand(plugin, io);
  registerPluginPublishCommand(plugin, io, env);
}
