import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lineAndColumn } from './manifest-file.ts';
import { KIT_ABORT, KIT_MODULE_DIR, KIT_SEARCH_DIR, pdkSearchDir } from './plugin-kit-paths.ts';

export interface CompileRequest {
  /** The plugin's folder: sources are named relative to it in messages. */
  dir: string;
  /** The entry file, relative to `dir`. */
  entry: string;
  /** Where the module goes (absolute, or relative to `dir`). */
  outFile: string;
  /** The maximum its memory may grow to, in 64 KiB pages. */
  maximumMemoryPages: number;
}

export interface CompileResult {
  ok: boolean;
  /** Errors, and warnings of the plugin's own files, each `file:line:column: …`. */
  messages: string[];
  errors: number;
  ms: number;
}

/** AssemblyScript's diagnostic categories (DiagnosticCategory). */
const WARNING = 2;
const ERROR = 3;

interface Diagnostic {
  code: number;
  category: number;
  message: string;
  range: { start: number; source: { normalizedPath: string } } | null;
}

/** The source a compiler path names, where it is ours or the plugin's to read. */
function sourceFile(dir: string, path: string): string | undefined {
  if (path.startsWith('~lib/airsuite/')) return join(KIT_MODULE_DIR, path.slice('~lib/airsuite/'.length));
  return path.startsWith('~lib/') ? undefined : join(dir, path);
}

async function placeOf(dir: string, diagnostic: Diagnostic): Promise<string> {
  if (!diagnostic.range) return '';
  const path = diagnostic.range.source.normalizedPath;
  const file = sourceFile(dir, path);
  const text = file ? await readFile(file, 'utf8').catch(() => undefined) : undefined;
  if (text === undefined) return `${path}: `;
  const { line, column } = lineAndColumn(text, diagnostic.range.start);
  return `${path}:${line}:${column}: `;
}

/** What a message means to the author, where the compiler's words would not say it. */
function explained(diagnostic: Diagnostic): string {
  if (diagnostic.message.includes(KIT_ABORT))
    return 'the plugin does not use the kit, whose abort handler keeps env.abort (which no Extism host has) out of the module: import it, e.g. `import { inputJson } from "airsuite"`, or `import "airsuite"`';
  return diagnostic.message;
}

/** Errors anywhere, warnings only where the plugin's author can act on them: not in libraries. */
function worthShowing(diagnostic: Diagnostic): boolean {
  if (diagnostic.category === ERROR) return true;
  const path = diagnostic.range?.source.normalizedPath ?? '~lib/';
  return diagnostic.category === WARNING && !path.startsWith('~lib/');
}

/**
 * Compiles a plugin with AssemblyScript in this process: the kit and as-pdk from the cli's own
 * files (`--path`), abort routed to the kit's handler (no `env.abort` import, which Extism
 * hosts lack), the memory maximum declared (validation requires one), optimized.
 */
export async function compilePlugin(request: CompileRequest): Promise<CompileResult> {
  const { default: asc } = await import('assemblyscript/asc');
  const started = performance.now();
  const diagnostics: Diagnostic[] = [];
  const { error } = await asc.main(
    [
      request.entry,
      ...['--outFile', request.outFile, '--baseDir', request.dir, '--optimize', '--noColors'],
      ...['--use', `abort=${KIT_ABORT}`, '--maximumMemory', String(request.maximumMemoryPages)],
      ...['--path', KIT_SEARCH_DIR, '--path', pdkSearchDir()],
    ],
    {
      stdout: asc.createMemoryStream(),
      stderr: asc.createMemoryStream(),
      reportDiagnostic: (d) => diagnostics.push(d),
    },
  );
  const shown = diagnostics.filter(worthShowing);
  const messages = await Promise.all(
    shown.map(
      async (d) =>
        `${await placeOf(request.dir, d)}${d.category === ERROR ? 'error' : 'warning'} ${d.code < 1000 ? 'AS' : 'TS'}${d.code}: ${explained(d)}`,
    ),
  );
  const errors = diagnostics.filter((d) => d.category === ERROR).length;
  if (error && errors === 0) messages.push(`the compiler stopped: ${error.message}`);
  return { ok: !error, messages, errors: Math.max(errors, error ? 1 : 0), ms: performance.now() - started };
}
