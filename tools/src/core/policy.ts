/** What a deployment lets tools do (env for now; per workspace later). */
export interface SafetyPolicy {
  /** Write tools are not even listed. */
  readOnly: boolean;
  /** Only these bases (ids) are reachable; all when undefined. */
  allowedBases?: readonly string[];
  /** Only these tables (ids or names, optionally `baseId/table`) are reachable; all when undefined. */
  allowedTables?: readonly string[];
}

export const OPEN_POLICY: SafetyPolicy = Object.freeze({ readOnly: false });

/**
 * The read-only rule, in one place: a read-only deployment withholds the tools that change
 * Airtable, and those that only make sense beside them (`withWrites`, such as reading what a
 * write did). The catalogue, the MCP faces and `runTool` all ask this.
 */
export function toolAllowedBy(
  policy: SafetyPolicy,
  tool: { writes: boolean; withWrites?: boolean | undefined },
): boolean {
  return !(policy.readOnly && (tool.writes || tool.withWrites === true));
}
