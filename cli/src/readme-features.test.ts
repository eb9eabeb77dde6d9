import { readFileSync } from 'node:fs';
import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { recordingIo } from './test-io.ts';

// README's promises are what the software does today: its command table is the CLI's whole
// command list, it names every tool of the catalogue (the webhook tools included), and the
// plugin commands, once only coming, are described as built.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The section under `## <title>`, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section ${title}`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README', () => {
  it('lists in its command table every command `airsuite --help` lists, and no other', async () => {
    const { io, out } = recordingIo();
    expect(await main(['node', 'airsuite', '--help'], io, {})).toBe(0);
    const help = out.join('\n');
    const listed = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
      .map((m) => m[1])
      .filter((command) => command !== 'help');
    // A command with subcommands (webhooks listen, plugin new…) has a row for each.
    const table = [
      ...new Set(
        [...section('The `airsuite` command').matchAll(/^\| `airsuite ([a-z-]+)(?: [a-z-]+)*` \|/gm)].map(
          (m) => m[1],
        ),
      ),
    ];
    expect(table.sort()).toEqual(listed.sort());
  });

  it('names every tool of the catalogue, platform tools included', () => {
    const tools = section('The MCP server and its tools');
    const catalogue = createCatalogue(OPEN_POLICY, { platform: true }).map((tool) => tool.name);
    expect(catalogue.filter((name) => !tools.includes(`\`${name}\``))).toEqual([]);
  });

  it('describes the plugin commands as they are, none of them as coming', () => {
    const sentences = README.replace(/```[\s\S]*?```/g, '').split(/(?<=[.:;])\s+/);
    const commands = /plugin (new|build|run|publish)/;
    const described = sentences.filter((s) => commands.test(s));
    expect(described.length).toBeGreaterThan(0);
    expect(described.filter((s) => /coming/i.test(s))).toEqual([]);
  });
});
