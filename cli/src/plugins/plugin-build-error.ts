import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * Why `airsuite plugin build` made no valid module, each with what to do about it:
 * - PLUGIN_BUILD_NO_MANIFEST: the folder has no manifest.json (not a plugin, or the wrong folder).
 * - PLUGIN_BUILD_BAD_MANIFEST: manifest.json is not JSON (where, in `problems`).
 * - PLUGIN_BUILD_NO_SOURCE: there is no assembly/index.ts to compile.
 * - PLUGIN_BUILD_COMPILE_FAILED: the AssemblyScript compiler refused it (file:line each, in `problems`).
 * - PLUGIN_BUILD_INVALID: it compiled, but the platform would refuse it (validatePlugin's `problems`).
 */
export type PluginBuildErrorCode =
  | 'PLUGIN_BUILD_NO_MANIFEST'
  | 'PLUGIN_BUILD_BAD_MANIFEST'
  | 'PLUGIN_BUILD_NO_SOURCE'
  | 'PLUGIN_BUILD_COMPILE_FAILED'
  | 'PLUGIN_BUILD_INVALID';

export class PluginBuildError extends codedError<PluginBuildErrorCode>('PluginBuildError') {
  constructor(
    code: PluginBuildErrorCode,
    message: string,
    /** One line per problem, each naming its place; printed before the message. */
    readonly problems: readonly string[] = [],
  ) {
    super(code, message);
  }
}
