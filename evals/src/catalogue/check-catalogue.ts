import { inMemoryMcpClients } from '@airsuite/mcp-server';
import { toFunctionDeclarations } from '@airsuite/orchestrator';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { getEncoding } from 'js-tiktoken';
import { validateTools } from '../fake-gemini/validate-tools.ts';
import type { EvalWorld, Role } from '../runner/eval-world.ts';

/**
 * What the model pays for the catalogue in its context, per role (cl100k tokens of the whole
 * `tools/list` result): measured when the budgets were set, with a tenth of headroom. A change
 * that grows the catalogue past its role's budget must say why by raising it here.
 */
export const TOOLS_LIST_TOKEN_BUDGET: Record<Role, number> = {
  // Measured 2026-12-04: viewer 2,561 (15 tools), editor 4,713 (26), admin and owner 7,561 (37).
  viewer: 2_800,
  editor: 5_150,
  admin: 8_300,
  owner: 8_300,
};

/**
 * Parameters whose name and JSON type say all a model needs (a description would only repeat
 * them, in every request's context). Any other parameter without a description fails the check.
 */
const SELF_EXPLANATORY = new Set([
  'base_id',
  // A field's name or id, as everywhere in the catalogue.
  'field',
  'record_id',
  'record_ids',
  'operation_id',
  'parent_comment_id',
  'idempotency_key',
  'name',
  'description',
  'text',
  'query',
  'filename',
  'content_base64',
  'page_size',
  'limit',
  'dry_run',
  'enabled',
  'state',
  'outcome',
  'actor_id',
]);

const MIN_DESCRIPTION_WORDS = 4;
const encoder = getEncoding('cl100k_base');

export interface CatalogueCheck {
  role: Role;
  tools: number;
  tokens: number;
  /** What fails the check. */
  problems: string[];
}

/** Every way one tool falls short of what a model needs to pick and call it well. */
export function toolProblems(tool: Tool): string[] {
  const problems: string[] = [];
  const words = (tool.description ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < MIN_DESCRIPTION_WORDS) {
    problems.push(
      `${tool.name}: its description says too little (${JSON.stringify(tool.description ?? '')})`,
    );
  }
  if (!tool.outputSchema) problems.push(`${tool.name}: no output schema`);
  if (!tool.annotations?.title && !tool.title) problems.push(`${tool.name}: no title`);
  if (!tool.annotations) problems.push(`${tool.name}: no annotations (readOnlyHint, destructiveHint…)`);
  return problems;
}

/**
 * Tools a viewer is offered though they are not read-only as a whole: each call is checked
 * against the role (a viewer runs only a plugin's read-only functions).
 */
const CHECKED_PER_CALL = new Set(['run_plugin_function']);

/** A viewer reads: a tool that may change anything (readOnlyHint absent is false) is never offered to one. */
const viewerProblems = (tools: readonly Tool[]) =>
  tools
    .filter((tool) => tool.annotations?.readOnlyHint !== true && !CHECKED_PER_CALL.has(tool.name))
    .map((tool) => `${tool.name} is offered to viewers, but it is not read-only (readOnlyHint)`);

/** Parameters a model must guess at: no description, and a name that does not say enough. */
export function undescribedParameters(tool: Tool): string[] {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
  return Object.entries(properties)
    .filter(([name, schema]) => !schema.description?.trim() && !SELF_EXPLANATORY.has(name))
    .map(([name]) => `${tool.name}: parameter ${name} has no description`);
}

/**
 * Static checks of the catalogue every role sees over MCP, no model involved: useful
 * descriptions, described parameters, output schemas, titles and annotations, no write tool
 * offered to a viewer; every input schema a
 * declaration Gemini accepts (the fake's own validator); `tools/list` within its role's budget.
 */
export async function checkCatalogue(world: EvalWorld, roles: readonly Role[]): Promise<CatalogueCheck[]> {
  const checks: CatalogueCheck[] = [];
  for (const role of roles) {
    const stage = await world.stage('sample', role);
    try {
      const client = await inMemoryMcpClients(stage.platform)({
        bearer: stage.caller.bearer,
        workspaceId: stage.caller.access.workspaceId,
      });
      const listed = await client.listTools();
      await client.close();
      const problems = [
        ...listed.tools.flatMap(toolProblems),
        ...listed.tools.flatMap(undescribedParameters),
        ...(role === 'viewer' ? viewerProblems(listed.tools) : []),
      ];
      const refused = validateTools([{ functionDeclarations: toFunctionDeclarations(listed.tools) }]);
      if (refused) problems.push(`Gemini would refuse the declarations: ${refused.message}`);
      const tokens = encoder.encode(JSON.stringify(listed)).length;
      const budget = TOOLS_LIST_TOKEN_BUDGET[role];
      if (budget > 0 && tokens > budget) {
        problems.push(`tools/list for ${role}s is ${tokens} tokens, over its budget of ${budget}`);
      }
      checks.push({
        role,
        tools: listed.tools.length,
        tokens,
        problems,
      });
    } finally {
      await stage.close();
    }
  }
  return checks;
}
