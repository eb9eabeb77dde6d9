import { Router } from '../http/router.ts';
import { captureChanges } from '../webhooks/change-capture.ts';
import { type AdminExtra, registerAdminRoutes } from './admin.ts';
import { registerWebhookAdminRoutes } from './admin-webhooks.ts';
import { registerCommentRoutes } from './comments.ts';
import { registerMetaRoutes } from './meta.ts';
import { registerRecordRoutes } from './records.ts';
import { registerUploadRoutes } from './upload-attachment.ts';
import type { V0Extra } from './v0-request.ts';
import { registerWebhookRoutes } from './webhooks.ts';

/** Airtable's Web API under `/v0`; its writes are watched for webhook payloads. */
export function createV0Router(): Router<V0Extra> {
  const v0 = new Router<V0Extra>(captureChanges());
  registerMetaRoutes(v0);
  registerWebhookRoutes(v0);
  registerCommentRoutes(v0);
  registerUploadRoutes(v0);
  registerRecordRoutes(v0);
  return v0;
}

/** The emulator's own admin API under `/__emulator`. */
export function createAdminRouter(): Router<AdminExtra> {
  const adminRouter = new Router<AdminExtra>();
  registerAdminRoutes(adminRouter);
  registerWebhookAdminRoutes(adminRouter);
  return adminRouter;
}
