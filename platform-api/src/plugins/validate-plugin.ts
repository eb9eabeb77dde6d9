import { createHash } from 'node:crypto';
import { HOST_FUNCTION_NAMES, HOST_NAMESPACE, KERNEL_NAMESPACE } from './host-function-names.ts';
import { declaredExports, limitsOf, type PluginManifest, pluginManifestSchema } from './manifest.ts';
import { PluginError } from './plugin-error.ts';
import { wasmMemories } from './wasm-memory.ts';

/** Larger modules are refused before compiling: plugins are small functions, not applications. */
export const MAX_MODULE_BYTES = 10 * 1024 * 1024;

export interface ValidationPolicy {
  /** The workspace's ceiling on a plugin's declared memory maximum, in 64 KiB pages. */
  maxMemoryPages: number;
}

export interface ValidatedPlugin {
  manifest: PluginManifest;
  module: WebAssembly.Module;
  /** Hex SHA-256 of the module's bytes: its identity in the store and the compile cache. */
  sha256: string;
  bytes: Uint8Array;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const HOST_NAMES: ReadonlySet<string> = new Set(HOST_FUNCTION_NAMES);

function parseManifest(input: unknown, problems: string[]): PluginManifest | undefined {
  const parsed = pluginManifestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(
      `manifest${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
    );
  }
  return undefined;
}

async function compile(bytes: Uint8Array, problems: string[]): Promise<WebAssembly.Module | undefined> {
  if (bytes.length > MAX_MODULE_BYTES) {
    problems.push(`module: ${bytes.length} bytes, more than the ${MAX_MODULE_BYTES} allowed`);
    return undefined;
  }
  if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) {
    problems.push('module: not a WebAssembly binary (it does not start with \\0asm)');
    return undefined;
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    problems.push(`module: does not compile: ${(error as Error).message}`);
    return undefined;
  }
}

function checkExports(module: WebAssembly.Module, manifest: PluginManifest, problems: string[]): void {
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  for (const name of declaredExports(manifest)) {
    const kind = exports.get(name);
    if (kind === undefined)
      problems.push(`module: exports no function "${name}", which the manifest declares`);
    else if (kind !== 'function') problems.push(`module: "${name}" is a ${kind}, not a function`);
  }
  if (exports.get('memory') !== 'memory') problems.push('module: exports no memory named "memory"');
}

function checkImports(module: WebAssembly.Module, problems: string[]): void {
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (from === KERNEL_NAMESPACE && kind === 'function') continue;
    if (from === HOST_NAMESPACE && kind === 'function' && HOST_NAMES.has(name)) continue;
    const known = from === HOST_NAMESPACE ? ` (host functions: ${HOST_FUNCTION_NAMES.join(', ')})` : '';
    problems.push(`module: imports ${kind} "${from}" "${name}", which the host does not provide${known}`);
  }
}

function checkMemory(
  bytes: Uint8Array,
  manifest: PluginManifest,
  policy: ValidationPolicy,
  problems: string[],
): void {
  const limit = Math.min(limitsOf(manifest).memoryPages, policy.maxMemoryPages);
  let memories: ReturnType<typeof wasmMemories>;
  try {
    memories = wasmMemories(bytes);
  } catch (error) {
    problems.push(`module: unreadable: ${(error as Error).message}`);
    return;
  }
  if (memories.some((m) => !m.defined))
    problems.push('module: imports its memory; a plugin declares its own');
  const own = memories.filter((m) => m.defined);
  if (own.length !== 1) {
    problems.push(`module: declares ${own.length} memories; a plugin has exactly one`);
    return;
  }
  const [memory] = own as [(typeof own)[number]];
  if (memory.shared || memory.memory64)
    problems.push('module: its memory is shared or 64-bit; plain 32-bit memory only');
  if (memory.maxPages === undefined) {
    problems.push(
      `module: its memory declares no maximum; declare one of at most ${limit} pages (AssemblyScript: --maximumMemory ${limit})`,
    );
  } else if (memory.maxPages > limit) {
    problems.push(`module: its memory may grow to ${memory.maxPages} pages, more than the ${limit} allowed`);
  }
}

/**
 * Checks a plugin as it is published: the manifest's schema, that the module compiles, that
 * it exports what the manifest declares and imports only what the host provides, and that its
 * memory declares a maximum within the limits. Every problem is reported at once, so an author
 * fixes them in one round.
 */
export async function validatePlugin(
  manifestInput: unknown,
  bytes: Uint8Array,
  policy: ValidationPolicy,
): Promise<ValidatedPlugin> {
  const problems: string[] = [];
  const manifest = parseManifest(manifestInput, problems);
  const module = await compile(bytes, problems);
  if (module) {
    checkImports(module, problems);
    if (manifest) {
      checkExports(module, manifest, problems);
      checkMemory(bytes, manifest, policy, problems);
    }
  }
  if (problems.length > 0 || !manifest || !module) {
    throw new PluginError('PLUGIN_INVALID', `the plugin is not valid: ${problems.join('; ')}`, { problems });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { manifest, module, sha256, bytes };
}
