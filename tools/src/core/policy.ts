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
