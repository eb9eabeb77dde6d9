import { codedError } from '@airsuite/tools';

/** How a plugin failed: stable codes, for the REST API, tools and the audit log. */
export type PluginErrorCode =
  | 'PLUGIN_INVALID'
  | 'PLUGIN_SIGNATURE_REQUIRED'
  | 'PLUGIN_SIGNATURE_INVALID'
  | 'PLUGIN_NOT_FOUND'
  | 'PLUGIN_VERSION_NOT_FOUND'
  | 'PLUGIN_VERSION_EXISTS'
  | 'PLUGIN_ALREADY_INSTALLED'
  | 'PLUGIN_NO_PREVIOUS_VERSION'
  | 'PLUGIN_KEY_NOT_FOUND'
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

/** The HTTP status of each code over REST (the platform's catalogue of codes spreads it). */
export const PLUGIN_STATUSES = {
  PLUGIN_INVALID: 422,
  PLUGIN_SIGNATURE_REQUIRED: 422,
  PLUGIN_SIGNATURE_INVALID: 422,
  PLUGIN_NOT_FOUND: 404,
  PLUGIN_VERSION_NOT_FOUND: 404,
  PLUGIN_VERSION_EXISTS: 409,
  PLUGIN_ALREADY_INSTALLED: 409,
  PLUGIN_NO_PREVIOUS_VERSION: 409,
  PLUGIN_KEY_NOT_FOUND: 404,
  PLUGIN_DISABLED: 409,
  PLUGIN_QUARANTINED: 409,
  PLUGIN_FUNCTION_NOT_FOUND: 404,
  PLUGIN_FUNCTION_FAILED: 422,
  PLUGIN_INPUT_TOO_LARGE: 413,
  PLUGIN_OUTPUT_TOO_LARGE: 502,
  PLUGIN_TIMEOUT: 504,
  PLUGIN_CRASHED: 502,
  PLUGIN_OUT_OF_MEMORY: 502,
  PLUGIN_HOST_CALL_REFUSED: 403,
  PLUGIN_CLOSED: 503,
} as const satisfies Record<PluginErrorCode, number>;

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
