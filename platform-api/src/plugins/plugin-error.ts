import { codedError } from '@airsuite/tools';

/** How a plugin failed: stable codes, for the REST API, tools and the audit log. */
export type PluginErrorCode =
  | 'PLUGIN_INVALID'
  | 'PLUGIN_SIGNATURE_REQUIRED'
  | 'PLUGIN_SIGNATURE_INVALID'
  | 'PLUGIN_NOT_FOUND'
  | 'PLUGIN_DISABLED'
  | 'PLUGIN_QUARANTINED'
  | 'PLUGIN_FUNCTION_NOT_FOUND'
  | 'PLUGIN_FUNCTION_FAILED'
  | 'PLUGIN_INPUT_TOO_LARGE'
  | 'PLUGIN_OUTPUT_TOO_LARGE'
  | 'PLUGIN_TIMEOUT'
  | 'PLUGIN_CRASHED'
  | 'PLUGIN_OUT_OF_MEMORY'
  | 'PLUGIN_HOST_CALL_REFUSED'
  | 'PLUGIN_CLOSED';

/** Failures that count towards quarantine: the plugin's own fault, not the caller's. */
export const PLUGIN_FAULTS: ReadonlySet<PluginErrorCode> = new Set([
  'PLUGIN_TIMEOUT',
  'PLUGIN_CRASHED',
  'PLUGIN_OUT_OF_MEMORY',
  'PLUGIN_OUTPUT_TOO_LARGE',
]);

export class PluginError extends codedError<PluginErrorCode>('PluginError') {
  constructor(
    code: PluginErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}
