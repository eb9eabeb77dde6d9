import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import type { PublishFlags } from '../plugins/publish-plugin.ts';
import { DEFAULT_PLATFORM_URL } from '../webhooks/listen-settings.ts';

/** `airsuite plugin publish [DIR]`: its flags and help here; its code loads only when it runs. */
export function registerPluginPublishCommand(plugin: Command, io: CliIo, env: Env): void {
  plugin
    .command('publish')
    .argument('[dir]', 'the plugin folder (manifest.json, build/plugin.wasm)', '.')
    .description('upload a built plugin to a workspace as a new version (and install it with --install)')
    .option('--install', 'also install it, or move the installed plugin to this version')
    .option('--workspace <id>', "the workspace (wsp_…; default the API key's own)")
    .option(
      '--sign-key <file>',
      'sign with this Ed25519 private key (PEM), for workspaces that require signatures',
    )
    .option('--key-id <id>', 'the id the workspace trusts the signing key under (with --sign-key)')
    .option(
      '--platform-url <url>',
      `the platform API (env AIRSUITE_PLATFORM_URL, default ${DEFAULT_PLATFORM_URL})`,
    )
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  AIRSUITE_API_KEY=ask_live_… airsuite plugin publish ./lead-scoring --install',
        '',
        'The platform validates the plugin (manifest, exports, imports, memory); every problem is printed.',
        '',
        'Environment:',
        '  AIRSUITE_API_KEY       an ask_live_… key of an admin or owner of the workspace',
        `  AIRSUITE_PLATFORM_URL  the platform API (default ${DEFAULT_PLATFORM_URL})`,
        '',
        'Exit codes: 0 published; 1 the platform could not be reached; 2 bad settings or a refused plugin.',
      ].join('\n'),
    )
    .action(async (dir: string, flags: PublishFlags) => {
      const { publishPlugin } = await import('../plugins/publish-plugin.ts');
      const published = await publishPlugin(dir, flags, io, env);
      const installed = published.installed ? ` · ${published.installed} in ${published.workspaceId}` : '';
      io.stdout(
        `Published ${published.name} ${published.version} (sha256 ${published.sha256.slice(0, 12)}…) to ${published.workspaceId}${installed}`,
      );
    });
}
