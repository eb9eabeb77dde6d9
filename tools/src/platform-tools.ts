import type { ToolDefinition } from './core/define-tool.ts';
import { listAuditEventsTool } from './platform/list-audit-events.ts';
import { listConnectionsTool } from './platform/list-connections.ts';
import { listMembersTool } from './platform/list-members.ts';
import { listWorkspacesTool } from './platform/list-workspaces.ts';
import { whoamiTool } from './platform/whoami.ts';

/** Tools about the caller's AirSuite account: listed only where the platform serves the catalogue. */
export const platformTools: readonly ToolDefinition[] = [
  whoamiTool,
  listWorkspacesTool,
  listMembersTool,
  listConnectionsTool,
  listAuditEventsTool,
];
