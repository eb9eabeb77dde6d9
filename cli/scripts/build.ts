/**
 * `npm run build` (run by `npm pack` through prepack): compiles the `airsuite` command into
 * dist/ as plain JavaScript, so the installed package needs neither TypeScript nor tsx.
 *
 * - One ES module bundle of the cli and every workspace it uses, split at each dynamic import:
 *   a command loads its code only when it runs, so `airsuite mcp` (started by Claude Desktop
 *   on every launch) never loads the platform, the database or Fastify.
 * - Third-party packages are installed from the package's own `dependencies`, which must list
 *   every one the bundle imports (checked here), with the workspace's version range. Native
 *   and WebAssembly packages (PGlite, @node-rs/argon2) and those that read their own files
 *   (Fastify's plugins) load as usual from node_modules.
 * - Except BUNDLED_PACKAGES, compiled in with what they import (unless that is installed
 *   anyway); their licences go to dist/THIRD-PARTY-LICENSES.txt.
 * - Files the sources read beside themselves, `new URL('./x/', import.meta.url)` (SQL
 *   migrations, the chat page), are copied to dist/assets/ and the URL rewritten to find them.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLI_DIR, '..');
const DEFAULT_OUT = join(CLI_DIR, 'dist');

/**
 * Third-party packages compiled into the bundle instead of installed:
 * - what the stdio MCP server loads (the SDK, zod, commander, and the gateway's pino and
 *   prom-client): as a few chunks they load in a fraction of the time their hundreds of
 *   files take to resolve and read, which Claude Desktop waits for on every launch;
 * - @google/genai, whose dependency tree has install scripts (a no-op preinstall, protobufjs's
 *   postinstall) that would make `npm install -g` print warnings.
 */
export const BUNDLED_PACKAGES: ReadonlySet<string> = new Set([
  '@modelcontextprotocol/sdk',
  'zod',
  'commander',
  'pino',
  'prom-client',
  '@google/genai',
]);

/** Loaded by bundled packages only when present (inside try/catch); never installed. */
const OPTIONAL_PEERS = new Set(['bufferutil', 'utf-8-validate', 'supports-color', 'encoding']);

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');
const inNodeModules = (path: string) => path.split(sep).includes('node_modules');

interface Manifest {
  name?: string;
  version?: string;
  license?: string;
  dependencies?: Record<string, string>;
}
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/**
 * Bundles our workspaces and BUNDLED_PACKAGES (with their own dependencies), keeps declared
 * dependencies and everything else external; records the packages left external.
 */
function externals(declared: Record<string, string>, seen: Set<string>): Plugin {
  return {
    name: 'airsuite-externals',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        if (name.startsWith('@airsuite/')) return undefined;
        if (OPTIONAL_PEERS.has(name)) return { path: args.path, external: true };
        if (!(name in declared) && (BUNDLED_PACKAGES.has(name) || inNodeModules(args.importer)))
          return undefined;
        seen.add(name);
        return { path: args.path, external: true };
      });
    },
  };
}

const REQUIRED = /\brequire\((['"])([^'"./][^'"]*)\1\)/g;
const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]*)\1,\s*import\.meta\.url\)/g;

/**
 * Copies what our sources read beside themselves into <out>/assets/ and points their URLs
 * there; records packages they load with createRequire, which the bundler cannot see.
 */
function assets(outDir: string, copied: Set<string>, required: Set<string>): Plugin {
  return {
    name: 'airsuite-assets',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        if (inNodeModules(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        for (const [, , specifier] of text.matchAll(REQUIRED))
          if (specifier && !isBuiltin(specifier)) required.add(packageName(specifier));
        if (!text.includes('import.meta.url')) return undefined;
        const contents = text.replace(ASSET_URL, (_match, quote: string, target: string) => {
          const source = join(dirname(args.path), target);
          if (!existsSync(source))
            throw new Error(`${relative(ROOT, args.path)} reads ${target}, which does not exist`);
          const key = relative(ROOT, source).split(sep).join('/');
          cpSync(source, join(outDir, 'assets', key), { recursive: true });
          const suffix = target.endsWith('/') || statSync(source).isDirectory() ? '/' : '';
          copied.add(`${key}${suffix}`);
          return `new URL(${quote}./assets/${key}${suffix}${quote}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** The directory of the package holding `input` (a metafile path), or undefined for our sources. */
function packageDirOf(input: string): string | undefined {
  const parts = join(CLI_DIR, input).split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + depth).join(sep);
}

/** Name, version, licence and licence text of every third-party package compiled into the bundle. */
function thirdPartyLicenses(metafile: Metafile): { packages: string[]; text: string } {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input);
    if (dir) dirs.add(dir);
  }
  const sections = [...dirs]
    .map((dir) => {
      const { name = relative(ROOT, dir), version = '', license = 'see the package' } = manifest(dir);
      const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)/i.test(entry));
      const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${license}`;
      return { id: `${name}@${version}`, text: `${name}@${version} (${license})\n\n${text}` };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const unique = [...new Map(sections.map((section) => [section.id, section])).values()];
  return {
    packages: unique.map((section) => section.id),
    text: `Third-party software compiled into this package:\n\n${unique.map((s) => s.text).join(`\n\n${'-'.repeat(72)}\n\n`)}\n`,
  };
}

export interface BuildReport {
  outDir: string;
  /** Third-party packages the bundle imports: the package's runtime dependencies. */
  externals: string[];
  /** Third-party packages compiled in (name@version), as THIRD-PARTY-LICENSES.txt lists them. */
  bundled: string[];
  /** Files copied into dist/assets (directories end with /). */
  assets: string[];
  /**
   * Each output file: the module a dynamic import loads through it (its `entryPoint`), the
   * sources in it (repository paths), and what it imports statically: other chunks, and
   * third-party packages. What loads before a command runs is the entry's static closure.
   */
  files: Record<string, { entryPoint?: string; sources: string[]; chunks: string[]; packages: string[] }>;
  bytes: number;
}

/**
 * Builds the bundle into `outDir` (default cli/dist) and checks that cli/package.json declares
 * every external package; throws otherwise, naming what is missing.
 */
export async function buildCli(outDir = DEFAULT_OUT): Promise<BuildReport> {
  rmSync(outDir, { recursive: true, force: true });
  const declared = manifest(CLI_DIR).dependencies ?? {};
  const seen = new Set<string>();
  const copied = new Set<string>();
  const result = await build({
    absWorkingDir: CLI_DIR,
    entryPoints: { airsuite: join(CLI_DIR, 'src', 'airsuite.ts') },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Bundled CommonJS packages call require, which an ES module does not have.
    banner: {
      js: "import { createRequire as __airsuiteCreateRequire } from 'node:module';\nconst require = __airsuiteCreateRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [externals(declared, seen), assets(outDir, copied, seen)],
  });
  const missing = [...seen].filter((name) => !(name in declared)).sort();
  if (missing.length > 0)
    throw new Error(`cli/package.json must list these runtime dependencies: ${missing.join(', ')}`);
  const licenses = thirdPartyLicenses(result.metafile);
  writeFileSync(join(outDir, 'THIRD-PARTY-LICENSES.txt'), licenses.text);
  const files: BuildReport['files'] = {};
  const fromCli = (path: string) => relative(ROOT, join(CLI_DIR, path)).split(sep).join('/');
  let bytes = 0;
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    bytes += output.bytes;
    const statics = output.imports.filter((i) => i.kind === 'import-statement');
    files[relative(outDir, join(CLI_DIR, file))] = {
      ...(output.entryPoint ? { entryPoint: fromCli(output.entryPoint) } : {}),
      sources: Object.keys(output.inputs).map(fromCli),
      chunks: statics.filter((i) => !i.external).map((i) => relative(outDir, join(CLI_DIR, i.path))),
      packages: [
        ...new Set(statics.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageName(i.path))),
      ],
    };
  }
  return {
    outDir,
    externals: [...seen].sort(),
    bundled: licenses.packages,
    assets: [...copied].sort(),
    files,
    bytes,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await buildCli(process.argv[2]);
  const pinned = Object.keys(manifest(CLI_DIR).dependencies ?? {}).filter(
    (d) => !report.externals.includes(d),
  );
  process.stdout.write(
    `airsuite: built ${relative(process.cwd(), report.outDir) || '.'} (${Math.round(report.bytes / 1024)} KiB in ${Object.keys(report.files).length} files, ${report.bundled.length} packages compiled in; imports ${report.externals.length} installed packages${pinned.length ? `, and pins ${pinned.join(', ')} for those that use it` : ''})\n`,
  );
}
