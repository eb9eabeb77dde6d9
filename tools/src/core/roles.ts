import type { ToolDefinition } from './define-tool.ts';
import type { WorkspaceRole } from './platform-port.ts';

/** Workspace roles from least to most trusted: each role may do everything the ones below it may. */
export const ROLE_RANK: Readonly<Record<WorkspaceRole, number>> = Object.freeze({
  viewer: 0,
  editor: 1,
  admin: 2,
  owner: 3,
});

/** Whether `role` ranks at or above `minimum`. */
export function roleAtLeast(role: WorkspaceRole, minimum: WorkspaceRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** The lowest role that may see and call `tool`: its own `minimumRole`, else editor for writes, viewer for reads. */
export function effectiveMinimumRole(tool: Pick<ToolDefinition, 'minimumRole' | 'writes'>): WorkspaceRole {
  return tool.minimumRole ?? (tool.writes ? 'editor' : 'viewer');
}
