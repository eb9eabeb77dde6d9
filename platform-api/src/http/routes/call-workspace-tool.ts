import { runTool, type ToolContext, type ToolOutcome } from '@airsuite/tools';
import type { FastifyRequest } from 'fastify';
import { PLATFORM_ERRORS, PlatformError, type PlatformErrorCode } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { actorOf } from '../../principal.ts';
import { summariseArguments } from '../../services/summarise-arguments.ts';
import { principalOf } from './auth-hook.ts';

/** Refusals that happen before a tool's handler runs, so the audited handler never saw them. */
const REFUSED_BEFORE_HANDLER = new Set(['TOOL_INVALID_INPUT', 'TOOL_NOT_ALLOWED', 'TOOL_READ_ONLY']);

const toolCode = (code: string): PlatformErrorCode =>
  code in PLATFORM_ERRORS ? (code as PlatformErrorCode) : 'TOOL_INTERNAL_ERROR';

/**
 * Runs one catalogue tool for a REST request, the way MCP runs it: the caller's catalogue
 * (a tool above its role is not found), the shared `runTool`, the audit trail, and a tool
 * failure thrown as a problem whose `code` is the tool's. Cancelled when the client goes.
 */
export async function callWorkspaceTool(
  platform: Platform,
  request: FastifyRequest,
  workspaceId: string,
  name: string,
  input: unknown,
): Promise<Extract<ToolOutcome, { ok: true }>> {
  const started = performance.now();
  const access = await platform.workspaces.access(principalOf(request), workspaceId);
  const { tools } = platform.tools.catalogueFor(access);
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    throw new PlatformError('TOOL_NOT_FOUND', `no tool named ${name} is available to you here`, {
      available_tools: tools.map((t) => t.name),
    });
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  request.raw.once('close', abort);
  try {
    const context: ToolContext = {
      ...(await platform.tools.contextFor(access)),
      signal: controller.signal,
      requestId: request.id,
      progress: () => {},
      log: (level, message) =>
        request.log[level === 'warning' ? 'warn' : level]({ tool: tool.name }, message),
    };
    const outcome = await runTool(tool, input, context, {
      onInternalError: (error) =>
        request.log.error({ err: error, tool: tool.name }, 'tool failed unexpectedly'),
    });
    if (outcome.ok) return outcome;
    if (REFUSED_BEFORE_HANDLER.has(outcome.code)) {
      await platform.audit.record({
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'tool.call',
        target: { type: 'tool', id: tool.name },
        outcome: outcome.code === 'TOOL_INVALID_INPUT' ? 'failure' : 'denied',
        errorCode: outcome.code,
        durationMs: performance.now() - started,
        requestId: request.id,
        // The raw body, summarised like a handler's input: the trail shows what was refused.
        details: { tool: tool.name, arguments: summariseArguments(input) as Record<string, unknown> },
      });
    }
    throw new PlatformError(toolCode(outcome.code), outcome.message, outcome.details);
  } finally {
    request.raw.off('close', abort);
  }
}
