import { z } from 'zod';
import type { Router } from '../http/router.ts';
import type { ClientChangeInput } from '../webhooks/client-change.ts';
import { type AdminExtra, parseAdminBody } from './admin.ts';

/** The admin operations for webhooks: changes from "outside" the API, and the clock. */
export interface WebhookAdminApi {
  applyAsClient(input: ClientChangeInput): Promise<{ status: number; body: unknown }>;
  expireWebhooks(filter: { baseId?: string; webhookId?: string }): string[];
}

const clientChangeSchema = z
  .object({
    method: z.enum(['POST', 'PATCH', 'PUT', 'DELETE']),
    path: z.string().startsWith('/v0/'),
    body: z.unknown().optional(),
    userId: z
      .string()
      .regex(/^usr[A-Za-z0-9]{14}$/)
      .optional(),
  })
  .strict();

const expireSchema = z
  .object({
    baseId: z.string().optional(),
    webhookId: z.string().optional(),
  })
  .strict();

export function registerWebhookAdminRoutes(router: Router<AdminExtra>): void {
  router
    // Answers as the /v0 route would have: its status and body.
    .on('POST', '/__emulator/client-change', (req) =>
      req.extra.admin.applyAsClient(parseAdminBody(clientChangeSchema, req.body) as ClientChangeInput),
    )
    .on('POST', '/__emulator/webhooks/expire', (req) => ({
      status: 200,
      body: { expired: req.extra.admin.expireWebhooks(parseAdminBody(expireSchema, req.body)) },
    }));
}
