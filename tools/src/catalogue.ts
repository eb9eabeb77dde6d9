import type { ToolDefinition } from './core/define-tool.ts';
import type { WorkspaceRole } from './core/platform-port.ts';
import { type SafetyPolicy, toolAllowedBy } from './core/policy.ts';
import { effectiveMinimumRole, roleAtLeast } from './core/roles.ts';
import { operationTools } from './operation-tools.ts';
import { platformTools } from './platform-tools.ts';
import { readTools } from './read-tools.ts';
import { commentReadTools, writeTools } from './write-tools.ts';

export interface CatalogueOptions {
  /** The caller's workspace role: only tools it reaches are listed. Absent (standalone): no role filter. */
  role?: WorkspaceRole;
  /** Lists the platform tools too; set only where the face gives tools `context.platform`. */
  platform?: boolean;
  /** Tools the platform adds for this caller's workspace (its plugins' functions), filtered like the rest. */
  extra?: readonly ToolDefinition[];
}

/**
 * The catalogue a caller may see: in read-only deployments the write tools are not listed at
 * all, and tools above the caller's role are left out, so a model is never tempted to call them.
 */
export function createCatalogue(policy: SafetyPolicy, options: CatalogueOptions = {}): ToolDefinition[] {
  const { role } = options;
  return [
    ...readTools,
    ...commentReadTools,
    ...writeTools,
    ...operationTools,
    ...(options.platform ? platformTools : []),
    ...(options.extra ?? []),
  ].filter(
    (tool) =>
      toolAllowedBy(policy, tool) && (role === undefined || roleAtLeast(role, effectiveMinimumRole(tool))),
  );
}
