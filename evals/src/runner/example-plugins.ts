import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuiltPlugin, buildPlugin, PLUGIN_EXAMPLES_DIR } from '@airsuite/cli/plugins';
import type { Platform, WorkspaceAccess } from '@airsuite/platform-api';
import type { PluginSetup } from '../scenario/scenario-schema.ts';

/**
 * The kit's example plugins, built from source as `airsuite plugin build` builds them, once per
 * process (a build takes seconds), and published in a scenario's workspace as its admin would.
 */
const builds = new Map<string, Promise<BuiltPlugin>>();
let outDir: Promise<string> | undefined;

function built(example: string): Promise<BuiltPlugin> {
  let build = builds.get(example);
  if (!build) {
    outDir ??= mkdtemp(join(tmpdir(), 'airsuite-eval-plugins-'));
    build = outDir.then((dir) =>
      buildPlugin(fileURLToPath(new URL(`${example}/`, PLUGIN_EXAMPLES_DIR)), {
        outFile: join(dir, `${example}.wasm`),
      }),
    );
    // A failed build is not kept: the next scenario asking for it tries again, and says why.
    build.catch(() => builds.delete(example));
    builds.set(example, build);
  }
  return build;
}

/** Publishes (and installs, unless told not to) each plugin, as the workspace's owner. */
export async function setUpPlugins(
  platform: Platform,
  owner: WorkspaceAccess,
  plugins: readonly PluginSetup[],
): Promise<void> {
  for (const setup of plugins) {
    const { manifest, module } = await built(setup.example);
    await platform.plugins.registry.publish(owner, { manifest, module });
    if (!setup.install) continue;
    await platform.plugins.registry.install(owner, {
      name: manifest.name,
      version: manifest.version,
      ...(setup.config ? { config: setup.config } : {}),
    });
  }
}
