import { relative, resolve } from 'node:path';
import type { CliIo } from '../io.ts';
import { createPlugin } from '../plugins/plugin-template.ts';

/** `airsuite plugin new NAME [--dir D]`: writes the template, then says what to run next. */
export async function runPluginNew(name: string, flags: { dir?: string }, io: CliIo): Promise<void> {
  const dir = resolve(flags.dir ?? name);
  const files = await createPlugin(name, dir);
  const shown = relative(process.cwd(), dir) || '.';
  io.stdout(`Created plugin ${name} in ${shown}: ${files.join(', ')}`);
  io.stdout(`Next: airsuite plugin build ${shown}`);
}
