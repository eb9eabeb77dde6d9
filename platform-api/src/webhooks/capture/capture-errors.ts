import { PlatformError } from '../../errors.ts';

export function captureNotFound(): PlatformError {
  return new PlatformError('WEBHOOK_CAPTURE_NOT_FOUND', 'change capture is not on for this base');
}

export function notificationUnverified(): PlatformError {
  return new PlatformError(
    'WEBHOOK_NOTIFICATION_UNVERIFIED',
    'the notification does not carry a valid X-Airtable-Content-MAC for this capture',
  );
}
