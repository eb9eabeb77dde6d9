/**
 * `@airsuite/cli/plugins`: building a plugin from its folder as `airsuite plugin build` does, for
 * tools that publish plugins themselves (the evals install the kit's examples this way).
 */
export { type BuiltPlugin, buildPlugin } from './build-plugin.ts';
export { PluginBuildError } from './plugin-build-error.ts';

/** The kit's example plugins (`lead-scoring`, `dedupe`, `owner-validator`), one folder each. */
export const PLUGIN_EXAMPLES_DIR = new URL('../../plugin-kit/examples/', import.meta.url);
