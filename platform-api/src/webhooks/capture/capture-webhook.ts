import { type AirtableGateway, isGatewayError, type WebhookSpecification } from '@airsuite/airtable-gateway';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { PlatformError } from '../../errors.ts';
import { macSecretAad } from './capture-rows.ts';

/**
 * Everything a capture reports: records, fields and table metadata, from every source, with
 * previous cell values and field definitions (so `record.updated` has `before`, and renames
 * can be undone to name older changes).
 */
export const CAPTURE_SPECIFICATION: WebhookSpecification = {
  options: {
    filters: { dataTypes: ['tableData', 'tableFields', 'tableMetadata'] },
    includes: { includePreviousCellValues: true, includePreviousFieldDefinitions: true },
  },
};

/** Where Airtable pings for this capture: `{publicUrl}/v1/airtable-notifications/{captureId}`. */
export function notificationUrlFor(publicUrl: string | undefined, captureId: string): string | undefined {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/v1/airtable-notifications/${captureId}` : undefined;
}

/** Airtable no longer has this webhook (404), or will not extend it because it expired (422). */
export function isWebhookGone(error: unknown, expiredToo = false): boolean {
  if (!isGatewayError(error) || error.code !== 'AIRTABLE_ERROR') return false;
  return error.upstreamStatus === 404 || (expiredToo && error.upstreamStatus === 422);
}

/** Airtable's refusal to register a webhook, as the platform reports it. */
function refusal(error: unknown): unknown {
  if (!isGatewayError(error)) return error;
  if (error.code === 'AIRTABLE_ERROR' && error.airtableType === 'TOO_MANY_WEBHOOKS_IN_BASE') {
    return new PlatformError(
      'WEBHOOK_CAPTURE_LIMIT',
      'Airtable allows 10 webhooks a base and this base has them all; remove one in Airtable (or wait for unused ones to expire) and try again',
    );
  }
  const status = error.upstreamStatus;
  if (error.code === 'AIRTABLE_ERROR' && status !== undefined && status >= 400 && status < 500) {
    return new PlatformError(
      'WEBHOOK_CAPTURE_REFUSED',
      'Airtable refused to register a webhook on this base: the connection must reach the base with creator permission and the webhook:manage, data.records:read and schema.bases:read scopes',
      { airtable_status: status, ...(error.airtableType ? { airtable_type: error.airtableType } : {}) },
    );
  }
  return new PlatformError(
    'CONNECTION_UNREACHABLE',
    'Airtable could not be reached to register the webhook; try again',
  );
}

export interface RegisteredWebhook {
  id: string;
  macSecretSealed: string;
  expiresAt: string | null;
}

/** Registers the capture's webhook; its MAC secret comes back sealed for the capture's row. */
export async function registerWebhook(
  client: AirtableGateway,
  secretBox: SecretBox,
  capture: { id: string; workspaceId: string; baseId: string; notificationUrl: string | undefined },
): Promise<RegisteredWebhook> {
  try {
    const created = await client.createWebhook(capture.baseId, {
      ...(capture.notificationUrl ? { notificationUrl: capture.notificationUrl } : {}),
      specification: CAPTURE_SPECIFICATION,
    });
    return {
      id: created.id,
      macSecretSealed: secretBox.seal(created.macSecretBase64, macSecretAad(capture.workspaceId, capture.id)),
      expiresAt: created.expirationTime,
    };
  } catch (error) {
    throw refusal(error);
  }
}

/** Removes a webhook at Airtable; one already gone is fine. */
export async function unregisterWebhook(
  client: AirtableGateway,
  baseId: string,
  webhookId: string,
): Promise<void> {
  try {
    await client.deleteWebhook(baseId, webhookId);
  } catch (error) {
    if (!isWebhookGone(error)) throw error;
  }
}
