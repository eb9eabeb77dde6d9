import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  DEFAULT_PLUGIN_LIMITS,
  declaredExports,
  PLUGIN_LIMIT_CEILINGS,
  PluginError,
  type PluginManifest,
  validatePlugin,
} from '@airsuite/platform-api';
import { compilePlugin } from './compile-plugin.ts';
import { memoryPagesOf, readManifestFile } from './manifest-file.ts';
import { PluginBuildError } from './plugin-build-error.ts';

/** Where a plugin's source and module are, relative to its folder. */
export const PLUGIN_ENTRY = 'assembly/index.ts';
export const PLUGIN_MODULE = 'build/plugin.wasm';

export interface BuildOptions {
  /** Where the module goes (default DIR/build/plugin.wasm). */
  outFile?: string;
}

export interface BuiltPlugin {
  manifest: PluginManifest;
  /** The module, as `plugin publish` sends it. */
  module: Uint8Array;
  outFile: string;
  /** The exports the manifest declares, each checked present. */
  exports: string[];
  /** Warnings of the plugin's own sources, `file:line:column: …`. */
  warnings: string[];
  compileMs: number;
}

async function requireSource(dir: string): Promise<void> {
  const exists = await stat(join(dir, PLUGIN_ENTRY)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists)
    throw new PluginBuildError(
      'PLUGIN_BUILD_NO_SOURCE',
      `${join(dir, PLUGIN_ENTRY)} does not exist: a plugin's functions are exported from ${PLUGIN_ENTRY}`,
    );
}

/**
 * Builds the plugin in `dir` (manifest.json, assembly/index.ts) into a module, then checks it
 * as the platform will at publish time (validatePlugin, with the platform's ceilings: a
 * workspace may set a lower memory limit). Throws a PluginBuildError naming every problem.
 */
export async function buildPlugin(dir: string, options: BuildOptions = {}): Promise<BuiltPlugin> {
  const root = resolve(dir);
  const manifestInput = await readManifestFile(root);
  await requireSource(root);
  const outFile = resolve(root, options.outFile ?? PLUGIN_MODULE);
  await mkdir(dirname(outFile), { recursive: true });
  const compiled = await compilePlugin({
    dir: root,
    entry: PLUGIN_ENTRY,
    outFile,
    maximumMemoryPages: memoryPagesOf(manifestInput, DEFAULT_PLUGIN_LIMITS.memory_pages),
  });
  if (!compiled.ok) {
    const count = `${compiled.errors} error${compiled.errors === 1 ? '' : 's'}`;
    throw new PluginBuildError(
      'PLUGIN_BUILD_COMPILE_FAILED',
      `${PLUGIN_ENTRY} did not compile (${count})`,
      compiled.messages,
    );
  }
  const module = new Uint8Array(await readFile(outFile));
  try {
    const { manifest } = await validatePlugin(manifestInput, module, {
      maxMemoryPages: PLUGIN_LIMIT_CEILINGS.memoryPages,
    });
    return {
      manifest,
      module,
      outFile,
      exports: declaredExports(manifest),
      warnings: compiled.messages,
      compileMs: compiled.ms,
    };
  } catch (error) {
    if (!PluginError.isInstance(error) || error.code !== 'PLUGIN_INVALID') throw error;
    const problems = (error.details as { problems?: string[] } | undefined)?.problems ?? [error.message];
    throw new PluginBuildError(
      'PLUGIN_BUILD_INVALID',
      `${outFile} compiled, but the platform would refuse it (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      problems,
    );
  }
}
