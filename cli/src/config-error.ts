import { codedError } from '@airsuite/airtable-gateway/coded-error';

/** A setting the user gave is unusable; the message says which and how to fix it. Exit code 2. */
export class ConfigError extends codedError<'CLI_INVALID_CONFIG'>('ConfigError') {
  readonly exitCode = 2;

  constructor(message: string, options?: ErrorOptions) {
    super('CLI_INVALID_CONFIG', message, options);
  }
}
