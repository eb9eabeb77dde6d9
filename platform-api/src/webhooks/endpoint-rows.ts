import type { SecretBox } from '../crypto/secret-box.ts';

export type DisabledReason = 'manual' | 'gone' | 'failing' | 'refused';

/** An endpoint as the API shows it: never its secret, and custom header values hidden (they may be credentials). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** Names of the custom headers sent with every delivery; their values are never shown again. */
  headerNames: string[];
  enabled: boolean;
  /** Why it is off: `manual` (someone disabled it), `gone` (it answered 410), `failing` (5 days of failures), `refused` (its URL or headers are now refused). */
  disabledReason?: DisabledReason;
  failingSince?: string;
  lastError?: string;
  /** Until when the previous secret still signs, after a rotation. */
  previousSecretExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointRow {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  event_types: string[];
  headers_sealed: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | string | null;
  enabled: boolean;
  disabled_reason: DisabledReason | null;
  failing_since: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Sealed values open only for their own endpoint and purpose: a copied ciphertext reads nothing. */
export const secretAad = (row: Pick<EndpointRow, 'workspace_id' | 'id'>, which: 'secret' | 'headers') =>
  `webhook:${which}:${row.workspace_id}:${row.id}`;

export function openHeaders(box: SecretBox, row: EndpointRow): Record<string, string> {
  if (!row.headers_sealed) return {};
  return JSON.parse(box.open(row.headers_sealed, secretAad(row, 'headers'))) as Record<string, string>;
}

/** The secrets that sign a delivery now: the current one, and the previous one during its overlap. */
export function signingSecrets(box: SecretBox, row: EndpointRow, now: Date): string[] {
  const secrets = [box.open(row.secret_sealed, secretAad(row, 'secret'))];
  const until = row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at) : undefined;
  if (row.previous_secret_sealed && until && until > now) {
    secrets.push(box.open(row.previous_secret_sealed, secretAad(row, 'secret')));
  }
  return secrets;
}

export function toEndpoint(box: SecretBox, row: EndpointRow, now: Date): WebhookEndpoint {
  const overlap =
    row.previous_secret_sealed &&
    row.previous_secret_expires_at &&
    new Date(row.previous_secret_expires_at) > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    headerNames: Object.keys(openHeaders(box, row)),
    enabled: row.enabled,
    ...(row.disabled_reason ? { disabledReason: row.disabled_reason } : {}),
    ...(row.failing_since ? { failingSince: iso(row.failing_since) } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(overlap && row.previous_secret_expires_at
      ? { previousSecretExpiresAt: iso(row.previous_secret_expires_at) }
      : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
