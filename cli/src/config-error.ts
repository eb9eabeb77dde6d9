/** A setting the user gave is unusable; the message says which and how to fix it. Exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CLI_INVALID_CONFIG';
  readonly exitCode = 2;
}
