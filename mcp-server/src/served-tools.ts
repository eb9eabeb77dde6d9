import { type SafetyPolicy, type ToolDefinition, toolAllowedBy } from '@airsuite/tools';
import { type CompactTool, compactTool } from './compact-tools-list.ts';

/** What a client sees of a tool list: a change in any of it is worth a `list_changed`. */
function signatureOf(tools: readonly ToolDefinition[]): string {
  return JSON.stringify(tools.map((t) => [t.name, t.title, t.description, t.annotations]));
}

/**
 * The tools one MCP server serves, replaceable while its session stays open: a plugin
 * installed, upgraded or quarantined changes the workspace's catalogue, and the client is
 * told with `notifications/tools/list_changed` instead of keeping the list it was opened with.
 * Write tools are dropped here when the policy forbids them (defence in depth).
 */
export class ServedTools {
  #policy!: SafetyPolicy;
  #byName = new Map<string, ToolDefinition>();
  #listed: CompactTool[] | undefined;
  #signature: string | undefined;

  constructor(tools: readonly ToolDefinition[], policy: SafetyPolicy) {
    this.replace(tools, policy);
  }

  get policy(): SafetyPolicy {
    return this.#policy;
  }

  /** Serves `tools` under `policy` from now on; whether the list a client sees changed. */
  replace(tools: readonly ToolDefinition[], policy: SafetyPolicy): boolean {
    this.#policy = policy;
    const allowed = tools.filter((tool) => toolAllowedBy(policy, tool));
    const signature = signatureOf(allowed);
    // Definitions are rebuilt per request (plugin tools bind their caller): take the new ones either way.
    this.#byName = new Map(allowed.map((tool) => [tool.name, tool]));
    if (signature === this.#signature) return false;
    this.#signature = signature;
    this.#listed = undefined;
    return true;
  }

  get(name: string): ToolDefinition | undefined {
    return this.#byName.get(name);
  }

  /** The `tools/list` answer, compacted once per change. */
  listed(): CompactTool[] {
    this.#listed ??= [...this.#byName.values()].map(compactTool);
    return this.#listed;
  }
}
