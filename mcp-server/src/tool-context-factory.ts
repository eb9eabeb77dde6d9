import type { ToolContext } from '@airsuite/tools';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type McpRequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * What the face that hosts the server knows about a call: the Airtable client, the caller and,
 * where AirSuite's platform serves the call, the caller's platform (for the platform tools).
 */
export type CallerContext = Pick<ToolContext, 'airtable' | 'caller' | 'platform' | 'operations'> & {
  /** This call's policy when it is narrower than the server's (a connection limited to some bases). */
  policy?: ToolContext['policy'];
};

/**
 * Builds the caller context of one request (per session, per HTTP request, or fixed for
 * stdio); may look things up (the workspace's connection), hence the promise.
 */
export type ContextFor = (extra: McpRequestExtra) => CallerContext | Promise<CallerContext>;
