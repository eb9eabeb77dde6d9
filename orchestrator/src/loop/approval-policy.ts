import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export const DEFAULT_BULK_WRITE_THRESHOLD = 10;

/** Records a write call would touch, when its arguments say (records, record_ids, updates). */
export function recordCount(args: Record<string, unknown>): number {
  for (const key of ['records', 'record_ids', 'updates']) {
    const value = args[key];
    if (Array.isArray(value)) return value.length;
  }
  return 1;
}

/**
 * Why a call must wait for the user, or undefined when it may run: a tool that declares
 * itself destructive, or a write touching more records than the threshold. A dry run
 * (`dry_run: true`) changes nothing and never needs approval.
 */
export function approvalReason(
  tool: Tool | undefined,
  args: Record<string, unknown>,
  bulkThreshold = DEFAULT_BULK_WRITE_THRESHOLD,
): 'destructive' | 'bulk_write' | undefined {
  if (!tool || args.dry_run === true) return undefined;
  const hints = tool.annotations ?? {};
  if (hints.readOnlyHint === true) return undefined;
  // MCP's default for an unannotated tool is destructive.
  if (hints.destructiveHint !== false) return 'destructive';
  if (recordCount(args) > bulkThreshold) return 'bulk_write';
  return undefined;
}

/**
 * The tool a call is judged as: itself, except that `run_plugin_function` of a function also
 * listed as its own tool (`plugin_<plugin>_<function>`) is judged by that tool's annotations, so
 * a read-only function run through the generic runner asks no more than through its own tool.
 * A function not listed to this caller keeps the runner's own (worst-case) annotations.
 */
export function toolJudgedFor(
  name: string,
  args: Record<string, unknown>,
  byName: ReadonlyMap<string, Tool>,
): Tool | undefined {
  const tool = byName.get(name);
  if (name !== 'run_plugin_function') return tool;
  const { plugin, function: fn } = args;
  if (typeof plugin !== 'string' || typeof fn !== 'string') return tool;
  return byName.get(`plugin_${plugin}_${fn}`) ?? tool;
}

/** Whether the tool can show what a call would change without changing it. */
export function supportsDryRun(tool: Tool | undefined): boolean {
  const properties = (tool?.inputSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return Boolean(properties && 'dry_run' in properties);
}
