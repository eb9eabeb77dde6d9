import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The AssemblyScript kit, `import … from "airsuite"` in a plugin: its folder, which the
 * installed package carries beside the bundle (cli/scripts/build.ts copies what is read
 * through `new URL`), and the folder holding it, which the compiler searches like node_modules.
 */
export const KIT_MODULE_DIR = fileURLToPath(new URL('../../plugin-kit/airsuite/', import.meta.url));
export const KIT_SEARCH_DIR = dirname(KIT_MODULE_DIR);

/** The kit's abort handler, by the compiler's name for it (see plugin-kit/airsuite/abort.ts). */
export const KIT_ABORT = '~lib/airsuite/abort/pluginAbort';

/**
 * The node_modules holding @extism/as-pdk, which the kit imports: the cli's own, so a plugin's
 * folder needs no install of its own.
 */
export function pdkSearchDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@extism/as-pdk/package.json');
  return join(dirname(manifest), '..', '..');
}
