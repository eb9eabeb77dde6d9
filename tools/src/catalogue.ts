import type { ToolDefinition } from './core/define-tool.ts';
import type { SafetyPolicy } from './core/policy.ts';
import { readTools } from './read-tools.ts';
import { commentReadTools, writeTools } from './write-tools.ts';

/**
 * The catalogue a caller may see under a policy: in read-only deployments the write tools
 * are not listed at all, so a model is never tempted to call them.
 */
export function createCatalogue(policy: SafetyPolicy): ToolDefinition[] {
  const reads = [...readTools, ...commentReadTools];
  return policy.readOnly ? reads : [...reads, ...writeTools];
}
