/**
 * `npm run build` (run by `npm pack` through prepack): compiles the `airsuite` command into
 * dist/ as plain JavaScript, so the installed package needs neither TypeScript nor tsx.
 *
 * - One ES module bundle of the cli and every workspace it uses, split at each dynamic import:
 *   a command loads its code only when it runs, so `airsuite mcp` (started by Claude Desktop
 *   on every launch) never loads the platform, the database or Fastify.
 * - Third-party packages stay external, installed from the package's own `dependencies`, which
 *   must list every one the bundle imports (checked here) with the workspace's version range.
 *   Native and WebAssembly packages (PGlite, @node-rs/argon2) load their files as usual.
 * - Except @google/genai and its dependencies, which are bundled: their install scripts (a
 *   no-op preinstall, protobufjs's postinstall) would make `npm install -g` print warnings.
 * - Files the sources read beside themselves, `new URL('./x/', import.meta.url)` (SQL
 *   migrations, the chat page), are copied to dist/assets/ and the URL rewritten to find them.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLI_DIR, '..');
const DEFAULT_OUT = join(CLI_DIR, 'dist');

/** Third-party packages compiled into the bundle, with everything they import. */
const BUNDLED_PACKAGES = new Set(['@google/genai']);

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');
const inNodeModules = (path: string) => path.split(sep).includes('node_modules');

/** Bundles our workspaces (and BUNDLED_PACKAGES), keeps every other package external; records which. */
function externals(seen: Set<string>): Plugin {
  return {
    name: 'airsuite-externals',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        if (name.startsWith('@airsuite/') || BUNDLED_PACKAGES.has(name)) return undefined;
        // Code of a bundled package: its own dependencies are bundled with it.
        if (inNodeModules(args.importer)) return undefined;
        seen.add(name);
        return { path: args.path, external: true };
      });
    },
  };
}

const REQUIRED = /\brequire\((['"])([^'"./][^'"]*)\1\)/g;
const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]*)\1,\s*import\.meta\.url\)/g;

/** Copies what a source file reads beside itself into <out>/assets/, and points its URL there. */
function assets(outDir: string, copied: Set<string>, required: Set<string>): Plugin {
  return {
    name: 'airsuite-assets',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        if (inNodeModules(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        // A package loaded with createRequire is invisible to the bundler, but installed all the same.
        for (const [, , specifier] of text.matchAll(REQUIRED))
          if (specifier && !isBuiltin(specifier)) required.add(packageName(specifier));
        if (!text.includes('import.meta.url')) return undefined;
        const contents = text.replace(ASSET_URL, (_match, quote: string, target: string) => {
          const source = join(dirname(args.path), target);
          if (!existsSync(source))
            throw new Error(`${relative(ROOT, args.path)} reads ${target}, which does not exist`);
          const key = relative(ROOT, source).split(sep).join('/');
          cpSync(source, join(outDir, 'assets', key), { recursive: true });
          copied.add(key + (statSync(source).isDirectory() && !key.endsWith('/') ? '/' : ''));
          return `new URL(${quote}./assets/${key}${target.endsWith('/') ? '/' : ''}${quote}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

interface Manifest {
  dependencies?: Record<string, string>;
}
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

export interface BuildReport {
  outDir: string;
  /** Third-party packages the bundle imports: the package's runtime dependencies. */
  externals: string[];
  /** Files copied into dist/assets (directories end with /). */
  assets: string[];
  /** Output file → the packages it imports statically (ours aside), for the cold-start spec. */
  imports: Record<string, { chunks: string[]; packages: string[] }>;
  bytes: number;
}

/**
 * Builds the bundle into `outDir` (default cli/dist) and checks that cli/package.json declares
 * every external package; throws otherwise, naming what is missing.
 */
export async function buildCli(outDir = DEFAULT_OUT): Promise<BuildReport> {
  rmSync(outDir, { recursive: true, force: true });
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
    // Our workspaces export .ts sources; bundled packages may be CommonJS, which calls require.
    banner: {
      js: "import { createRequire as __airsuiteCreateRequire } from 'node:module';\nconst require = __airsuiteCreateRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [externals(seen), assets(outDir, copied, seen)],
  });
  const declared = manifest(CLI_DIR).dependencies ?? {};
  const missing = [...seen].filter((name) => !(name in declared)).sort();
  if (missing.length > 0)
    throw new Error(`cli/package.json must list these runtime dependencies: ${missing.join(', ')}`);
  const imports: BuildReport['imports'] = {};
  let bytes = 0;
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    bytes += output.bytes;
    const name = relative(outDir, join(CLI_DIR, file));
    const statics = output.imports.filter((i) => i.kind === 'import-statement');
    imports[name] = {
      chunks: statics.filter((i) => !i.external).map((i) => relative(outDir, join(CLI_DIR, i.path))),
      packages: [
        ...new Set(statics.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageName(i.path))),
      ],
    };
  }
  return { outDir, externals: [...seen].sort(), assets: [...copied].sort(), imports, bytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await buildCli(process.argv[2]);
  const extra = Object.keys(manifest(CLI_DIR).dependencies ?? {}).filter(
    (d) => !report.externals.includes(d),
  );
  process.stdout.write(
    `airsuite: built ${relative(process.cwd(), report.outDir) || '.'} (${Math.round(report.bytes / 1024)} KiB, ${Object.keys(report.imports).length} files; ${report.externals.length} runtime dependencies${extra.length ? `; declared but unused: ${extra.join(', ')}` : ''})\n`,
  );
}
