import { PlatformError } from '../errors.ts';
import { PluginError } from './plugin-error.ts';

/** The platform's error for a plugin's failure: same code, message and details. */
export function asPlatformError(error: unknown): unknown {
  return PluginError.isInstance(error) ? new PlatformError(error.code, error.message, error.details) : error;
}

/** Runs `work`, turning a PluginError it throws into the platform's error. */
export function asPlatformErrorOf<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asPlatformError(error);
  }
}
