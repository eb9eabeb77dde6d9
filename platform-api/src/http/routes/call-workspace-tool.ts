import { runTool, type ToolContext, type ToolOutcome } from '@airsuite/tools';
import type { FastifyRequest } from 'fastify';
import { PlatformError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { principalOf } from './auth-hook.ts';

/**
 * Runs one catalogue tool for a REST request, the way MCP runs it: the caller's catalogue
 * (a tool above its role is not found), the shared `runTool` (which audits it), and a tool
 * failure thrown as a problem whose `code` is the tool's. Cancelled when the client goes.
 */
export async function callWorkspaceTool(
  platform: Platform,
  request: FastifyRequest,
  workspaceId: string,
  name: string,
  input: unknown,
): Promise<Extract<ToolOutcome, { ok: true }>> {
  const access = await platform.workspaces.access(principalOf(request), workspaceId);
  const { tools } = await platform.tools.catalogueFor(access);
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
    throw new PlatformError(outcome.code, outcome.message, outcome.details);
  } finally {
    request.raw.off('close', abort);
  }
}
