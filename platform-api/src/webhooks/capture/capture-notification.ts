import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import { notificationUnverified } from './capture-errors.ts';
import { type CaptureRow, macSecretAad } from './capture-rows.ts';
import { verifyNotificationMac } from './notification-mac.ts';

/**
 * Throws WEBHOOK_NOTIFICATION_UNVERIFIED unless the ping's MAC verifies against the capture's
 * secret. The notification route has no bearer auth: this is all that stands between anyone
 * on the internet and a pull.
 */
export async function verifyNotification(
  deps: { db: Database; secretBox: SecretBox },
  captureId: string,
  body: Buffer,
  mac: string | string[] | undefined,
): Promise<void> {
  const [row] = await deps.db.query<Pick<CaptureRow, 'workspace_id' | 'mac_secret_sealed'>>(
    'SELECT workspace_id, mac_secret_sealed FROM webhook_captures WHERE id = $1',
    [captureId],
  );
  // An unknown capture cannot verify anything: the same answer as a bad MAC.
  if (!row) throw notificationUnverified();
  const secret = deps.secretBox.open(row.mac_secret_sealed, macSecretAad(row.workspace_id, captureId));
  if (!verifyNotificationMac(secret, body, mac)) throw notificationUnverified();
}
