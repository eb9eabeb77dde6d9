import { codedError } from '@airsuite/tools';

export type PlatformConfigErrorCode =
  | 'PLATFORM_INVALID_SECRET_KEY'
  | 'PLATFORM_INSECURE_SECRET_KEY_FILE'
  | 'PLATFORM_INVALID_SETTING'
  | 'PLATFORM_SECRET_KEY_MISMATCH';

/**
 * The platform cannot start with the configuration it was given. Raised at start-up only,
 * never on a request; the message says what to change.
 */
export class PlatformConfigError extends codedError<PlatformConfigErrorCode>('PlatformConfigError') {
  constructor(code: PlatformConfigErrorCode, message: string) {
    super(code, message);
  }
}
