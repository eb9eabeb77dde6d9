import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** How an MCP client (Claude Desktop) starts this same `airsuite`: `command` then `args`, from any folder. */
export interface Launcher {
  command: string;
  args: string[];
}

/**
 * The launcher of the running `airsuite`, from the script node was given (`process.argv[1]`).
 * Installed with npm, that is the `airsuite` command itself (a bin link on PATH): its absolute
 * path. From a checkout (the script sits beside `../src/main.ts`), or for any script run with
 * node, node itself (`execPath`) with the script's absolute path: never `npx airsuite`, which
 * fetches whatever the registry has under that name.
 */
export function launcherFor(script: string, execPath: string): Launcher {
  const invoked = resolve(script);
  const real = existsSync(invoked) ? realpathSync(invoked) : invoked;
  const inCheckout = existsSync(join(dirname(real), '..', 'src', 'main.ts'));
  if (!inCheckout && extname(invoked) === '' && basename(invoked).startsWith('airsuite'))
    return { command: invoked, args: [] };
  return { command: execPath, args: [real] };
}
