import { z } from 'zod';
import type { ToolAnnotations } from '../core/define-tool.ts';
import type { PlatformPort } from '../core/platform-port.ts';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';

/** A platform tool that only reads the caller's own account, never Airtable; safe to repeat. */
export function platformAnnotations(title: string): ToolAnnotations {
  return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
}

/** The caller's platform, or TOOL_UNAVAILABLE when this catalogue is served without one. */
export function requirePlatform(ctx: ToolContext): PlatformPort {
  if (!ctx.platform) {
    throw new ToolError(
      'TOOL_UNAVAILABLE',
      "platform tools need AirSuite's platform: connect to AirSuite with an API key or an access token; this connection has no AirSuite account.",
    );
  }
  return ctx.platform;
}

export const roleOutput = z.enum(['owner', 'admin', 'editor', 'viewer']);
