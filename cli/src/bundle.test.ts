import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PACKAGES, type BuildReport, buildCli } from '../scripts/build.ts';

// What `npm pack` puts in the package (cli/scripts/build.ts), checked without installing it:
// what loads before a command runs, what the stdio server loads, what the package declares.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The workspaces the cli compiles in; its own third-party packages are in BUNDLED_PACKAGES,
 * except CLI_OWN: the plugin kit's compiler and PDK, which `plugin build` reads from node_modules.
 */
const WORKSPACES = ['airtable-gateway', 'tools', 'platform-api', 'mcp-server', 'orchestrator'];
const CLI_OWN = ['assemblyscript', '@extism/as-pdk'];
/** Never on the path of `airsuite mcp` over stdio: the platform, its database, HTTP servers, Redis. */
const HEAVY = ['@electric-sql/pglite', 'pg', 'umzug', 'fastify', 'jose', '@node-rs/argon2', 'ioredis'];

const dependenciesOf = (dir: string) =>
  Object.keys(
    (
      JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      }
    ).dependencies ?? {},
  );

let outDir: string;
let report: BuildReport;
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'airsuite-bundle-'));
  report = await buildCli(outDir);
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The output files, sources and packages loaded with `starts`, before any dynamic import. */
function staticClosure(...starts: string[]) {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const chunk of report.files[file]?.chunks ?? []) visit(chunk);
  };
  for (const start of starts) visit(start);
  const entries = [...files].map((file) => report.files[file]);
  return {
    sources: entries.flatMap((entry) => entry?.sources ?? []),
    packages: [...new Set(entries.flatMap((entry) => entry?.packages ?? []))].sort(),
  };
}

const chunkOf = (source: string) => {
  const found = Object.entries(report.files).find(([, file]) => file.entryPoint === source)?.[0];
  if (!found) throw new Error(`${source} is not loaded by a dynamic import`);
  return found;
};

/** What may load before a command runs: the command line, commander, and the error factory. */
const LEAN_START = /^(cli\/src\/|node_modules\/commander\/|airtable-gateway\/src\/coded-error\.ts$)/;
const ERROR_FACTORY = 'airtable-gateway/src/coded-error.ts';

describe('the compiled airsuite', () => {
  it('loads only the command line (ours and commander) before a command runs: each command loads its own code', () => {
    const entry = staticClosure('airsuite.js');
    expect(entry.packages).toEqual([]);
    // The error factory is the one module of another room allowed here: it imports nothing.
    expect(entry.sources.filter((source) => !LEAN_START.test(source))).toEqual([]);
    for (const command of [
      'start',
      'mcp',
      'platform',
      'orchestrator',
      'gateway',
      'emulator',
      'migrate',
      'reset',
      'chat',
      'webhooks-listen',
    ])
      expect(entry.sources).not.toContain(`cli/src/commands/${command}.ts`);
  });

  it('serves MCP over stdio (standalone and relay) without the platform, its database, Fastify, Redis or the chat', () => {
    const relay = staticClosure('airsuite.js', chunkOf('cli/src/commands/mcp.ts'));
    const standalone = staticClosure(
      'airsuite.js',
      chunkOf('cli/src/commands/mcp.ts'),
      chunkOf('mcp-server/src/stdio-index.ts'),
    );
    const offPath =
      /^(platform-api|orchestrator|airtable-emulator)\/|node_modules\/(@google|google-|ioredis)/;
    for (const path of [relay, standalone]) {
      expect(path.packages.filter((name) => HEAVY.includes(name) || name.startsWith('@fastify/'))).toEqual(
        [],
      );
      expect(path.sources.filter((source) => offPath.test(source))).toEqual([]);
    }
    expect(standalone.sources).toContain('mcp-server/src/stdio.ts');
    // The relay (the entry `airsuite start` prints) loads the SDK's transports, not the catalogue.
    expect(relay.sources).toContain('mcp-server/src/stdio-bridge.ts');
    expect(
      relay.sources.filter(
        (source) => /^(tools|airtable-gateway)\//.test(source) && source !== ERROR_FACTORY,
      ),
    ).toEqual([]);
  });

  it('listens for webhooks (webhooks listen) without the platform, its database, Fastify or the catalogue', () => {
    const listen = staticClosure('airsuite.js', chunkOf('cli/src/commands/webhooks-listen.ts'));
    expect(listen.packages.filter((name) => HEAVY.includes(name) || name.startsWith('@fastify/'))).toEqual(
      [],
    );
    expect(
      listen.sources.filter((source) => /^(platform-api|orchestrator|mcp-server|tools)\//.test(source)),
    ).toEqual([]);
    expect(listen.packages).toContain('eventsource-parser');
  });

  it('declares as dependencies the workspaces’ third-party runtime packages not compiled in, and imports no other', () => {
    const union = new Set(
      WORKSPACES.flatMap(dependenciesOf).filter((name) => !name.startsWith('@airsuite/')),
    );
    const declared = dependenciesOf('cli');
    expect(declared.sort()).toEqual(
      [...union, ...CLI_OWN].filter((name) => !BUNDLED_PACKAGES.has(name)).sort(),
    );
    expect(report.externals.filter((name) => !declared.includes(name))).toEqual([]);
    // No TypeScript at run time: tsx is for the checkout only.
    expect(declared).not.toContain('tsx');
    // What is compiled in is credited.
    const licences = readFileSync(join(outDir, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const id of report.bundled) expect(licences).toContain(`\n${id} (`);
    expect(report.bundled.some((id) => id.startsWith('@modelcontextprotocol/sdk@'))).toBe(true);
  });

  it('carries the files the code reads beside itself: every migration, the chat page, the plugin kit', () => {
    expect(report.assets).toEqual([
      'cli/plugin-kit/airsuite/',
      'orchestrator/web/',
      'platform-api/src/db/migrations/',
    ]);
    const migrations = join(ROOT, 'platform-api', 'src', 'db', 'migrations');
    const copied = join(outDir, 'assets', 'platform-api', 'src', 'db', 'migrations');
    expect(readdirSync(copied).sort()).toEqual(readdirSync(migrations).sort());
    expect(existsSync(join(outDir, 'assets', 'orchestrator', 'web', 'index.html'))).toBe(true);
    // `plugin build` compiles against the kit's sources, so they travel with the package.
    expect(existsSync(join(outDir, 'assets', 'cli', 'plugin-kit', 'airsuite', 'index.ts'))).toBe(true);
    const compiled = readdirSync(outDir)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(outDir, name), 'utf8'))
      .join('\n');
    expect(compiled).not.toMatch(/new URL\(["']\.\.?\/(?!assets\/)[^"']*["'],\s*import\.meta\.url\)/);
  });
});
