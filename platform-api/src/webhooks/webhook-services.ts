import type { Registry } from 'prom-client';
import { PlatformConfigError } from '../crypto/config-error.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { createWebhookDeliveries, type WebhookDeliveries } from './deliveries.ts';
import {
  type AddressPolicy,
  createAddressPolicy,
  createRetrySchedule,
  createWebhookSender,
  generateWebhookSecret,
  type ResolveHost,
  type RetryScheduleOptions,
  WebhookDeliveryError,
} from './delivery/index.ts';
import { createWebhookEndpoints, type WebhookEndpoints } from './endpoints.ts';
import { createOutbox, type Outbox } from './outbox.ts';
import { pruneWebhookHistory } from './retention.ts';
import { urlCheckFor } from './url-check.ts';

const PRUNE_EVERY_MS = 3600_000;

import { createDeliveryMetrics } from './worker/delivery-metrics.ts';
import {
  createDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from './worker/delivery-worker.ts';

export interface WebhookSettings {
  /**
   * Hosts, addresses or CIDRs deliveries may reach although they are not public
   * (AIRSUITE_WEBHOOK_ALLOW). Empty by default: development and tests only.
   */
  allow?: readonly string[];
  /** Run a delivery worker in this process (default true); any number of processes may. */
  deliver?: boolean;
  /** Attempts in flight at once per process (default 64). */
  concurrency?: number;
  /** How long a claimed message stays this process's before it is due again (default 60 s). */
  leaseMs?: number;
  retry?: RetryScheduleOptions;
  /** Replaces the system resolver (specs). */
  resolve?: ResolveHost;
  /** Extra CAs to trust for https receivers. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Told of each recorded batch (metrics). */
  onRecorded?: DeliveryWorkerOptions['onRecorded'];
  /** Told of failed claims and writes (the database away); the worker goes on. */
  onError?: (error: unknown) => void;
}

/** The platform's webhooks: endpoints, the outbox every change writes to, the delivery log, and this process's worker. */
export interface WebhookServices {
  endpoints: WebhookEndpoints;
  deliveries: WebhookDeliveries;
  outbox: Outbox;
  worker?: DeliveryWorker;
  /** Where outbound requests may go (the allow-list and the forbidden ranges): webhooks' and plugins' HTTP. */
  policy: AddressPolicy;
  close(): Promise<void>;
}

/** A bad allow-list entry is a setting to fix, said at start-up. */
function policyOf(settings: WebhookSettings) {
  try {
    return createAddressPolicy({
      ...(settings.allow ? { allow: settings.allow } : {}),
      ...(settings.resolve ? { resolve: settings.resolve } : {}),
    });
  } catch (error) {
    if (WebhookDeliveryError.isInstance(error)) {
      throw new PlatformConfigError('PLATFORM_INVALID_SETTING', `AIRSUITE_WEBHOOK_ALLOW: ${error.message}`);
    }
    throw error;
  }
}

export async function createWebhookServices(
  deps: { db: Database; audit: AuditLog; secretBox: SecretBox; now: () => Date; metrics: Registry },
  settings: WebhookSettings = {},
): Promise<WebhookServices> {
  const policy = policyOf(settings);
  const outbox = createOutbox({ now: deps.now });
  const endpoints = createWebhookEndpoints({
    ...deps,
    newSecret: generateWebhookSecret,
    checkUrl: urlCheckFor(policy),
  });
  const deliveries = createWebhookDeliveries({ ...deps, outbox });
  if (settings.deliver === false) return { endpoints, deliveries, outbox, policy, close: async () => {} };
  const metrics = createDeliveryMetrics(deps.metrics, deps.db);
  const sender = createWebhookSender({ policy, ...(settings.ca ? { ca: settings.ca } : {}) });
  const worker = createDeliveryWorker({
    ...deps,
    sender,
    outbox,
    schedule: createRetrySchedule(settings.retry),
    ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
    ...(settings.leaseMs ? { leaseMs: settings.leaseMs } : {}),
    onRecorded: (plans, disabled) => {
      metrics.recorded(plans, disabled);
      settings.onRecorded?.(plans, disabled);
    },
    ...(settings.onError ? { onError: settings.onError } : {}),
  });
  await worker.start();
  // Pruning rides with delivery: a process that delivers also keeps the history bounded.
  const pruner = setInterval(() => {
    pruneWebhookHistory(deps.db, deps.now()).catch((error) => settings.onError?.(error));
  }, PRUNE_EVERY_MS);
  pruner.unref();
  return {
    endpoints,
    deliveries,
    outbox,
    worker,
    policy,
    async close() {
      clearInterval(pruner);
      await worker.stop();
      sender.close();
    },
  };
}
