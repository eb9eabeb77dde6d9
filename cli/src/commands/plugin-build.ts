import { relative } from 'node:path';
import { CliExit } from '../cli-exit.ts';
import type { CliIo } from '../io.ts';
import { buildPlugin } from '../plugins/build-plugin.ts';
import { PluginBuildError } from '../plugins/plugin-build-error.ts';

/** A failed build ends with exit code 2: each one is the author's to fix. */
export const BUILD_EXIT = Object.freeze({ failed: 2 });

/** `airsuite plugin build [DIR]`: compiles and checks, printing every problem on its own line. */
export async function runPluginBuild(dir: string, io: CliIo): Promise<void> {
  try {
    const built = await buildPlugin(dir);
    for (const warning of built.warnings) io.stderr(warning);
    const kib = (built.module.byteLength / 1024).toFixed(1);
    const seconds = (built.compileMs / 1000).toFixed(1);
    io.stdout(
      `Built ${relative(process.cwd(), built.outFile)} (${kib} KiB in ${seconds} s): ${built.manifest.name} ${built.manifest.version} is valid, exporting ${built.exports.join(', ')}`,
    );
  } catch (error) {
    if (!PluginBuildError.isInstance(error)) throw error;
    for (const problem of error.problems) io.stderr(problem);
    throw new CliExit(error.message, BUILD_EXIT.failed);
  }
}
