import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginBuildError } from './plugin-build-error.ts';

export const MANIFEST_FILE = 'manifest.json';

/** Line and column (from 1) of a character offset, as editors count them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Where JSON.parse stopped, from its message ("… at position 42"), as file:line:column. */
function placeOf(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return MANIFEST_FILE;
  const { line, column } = lineAndColumn(text, Number(position));
  return `${MANIFEST_FILE}:${line}:${column}`;
}

/**
 * The plugin's manifest.json as JSON, unchecked: its schema is validatePlugin's to check, so
 * every problem of the manifest and the module is reported in one round.
 */
export async function readManifestFile(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new PluginBuildError(
      'PLUGIN_BUILD_NO_MANIFEST',
      `${dir} has no ${MANIFEST_FILE}: is it a plugin's folder? \`airsuite plugin new NAME\` starts one`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new PluginBuildError('PLUGIN_BUILD_BAD_MANIFEST', `${MANIFEST_FILE} is not valid JSON`, [
      `${placeOf(text, message)}: ${message}`,
    ]);
  }
}

/** The memory maximum to compile with: the manifest's limits.memory_pages, when it names one. */
export function memoryPagesOf(manifest: unknown, fallback: number): number {
  const pages = (manifest as { limits?: { memory_pages?: unknown } } | null)?.limits?.memory_pages;
  return typeof pages === 'number' && Number.isInteger(pages) && pages > 0 ? pages : fallback;
}
