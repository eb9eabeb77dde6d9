import type { Command } from 'commander';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_PLATFORM_URL, type ListenFlags } from '../webhooks/listen-settings.ts';

/** `airsuite webhooks listen`: its flags and help here; its code loads only when it runs. */
export function registerWebhooksCommand(program: Command, io: CliIo, env: Env): void {
  const webhooks = program
    .command('webhooks')
    .description("a workspace's webhook events on your machine (webhooks listen)");
  webhooks
    .command('listen')
    .description(
      "forward a workspace's events to a local URL, signed like webhook deliveries, without exposing a port",
    )
    .option('--forward-to <url>', 'POST each event here, e.g. http://localhost:3000/hooks (required)')
    .option('--workspace <id>', "the workspace (wsp_…; default the API key's own)")
    .option(
      '--events <patterns>',
      'only these types, comma-separated: record.*,member.added (default every event)',
    )
    .option(
      '--platform-url <url>',
      `the platform API (env AIRSUITE_PLATFORM_URL, default ${DEFAULT_PLATFORM_URL})`,
    )
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  AIRSUITE_API_KEY=ask_live_… airsuite webhooks listen --forward-to http://localhost:3000/hooks --events "record.*"',
        '',
        'It prints a whsec_… secret made for this session: verify the forwarded requests with it as you',
        "would an endpoint's (webhook-id, webhook-timestamp, webhook-signature; Standard Webhooks), then",
        'one line per event: time, type, event id, → the local answer and how long it took. The CLI holds',
        'an event stream from the platform (the platform never connects to your machine) and, after a drop,',
        'picks it up where it left off. Ctrl-C stops it.',
        '',
        'Environment:',
        '  AIRSUITE_API_KEY       an ask_live_… key of an admin or owner of the workspace',
        `  AIRSUITE_PLATFORM_URL  the platform API (default ${DEFAULT_PLATFORM_URL})`,
        '',
        'Exit codes: 0 stopped with Ctrl-C; 1 the platform could not be reached;',
        '2 bad settings, or the platform refused the key, the workspace or the event types.',
      ].join('\n'),
    )
    .action(async (flags: ListenFlags) => {
      const { runWebhooksListen } = await import('./webhooks-listen.ts');
      await runWebhooksListen(flags, io, env);
    });
}
