import type { ToolContext } from '@airsuite/tools';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type McpRequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What the face that hosts the server knows about a call: the Airtable client and the caller. */
export type CallerContext = Pick<ToolContext, 'airtable' | 'caller'>;

/** Builds the caller context of one request (per session, per HTTP request, or fixed for stdio). */
export type ContextFor = (extra: McpRequestExtra) => CallerContext;
