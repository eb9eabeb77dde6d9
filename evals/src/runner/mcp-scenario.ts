import { createPlatformAuthenticator, startMcpHttpServer, WORKSPACE_HEADER } from '@airsuite/mcp-server';
import { approvalReason } from '@airsuite/orchestrator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { checkEndState, emulatorTableReader } from '../scoring/end-state.ts';
import type { EvalWorld } from './eval-world.ts';
import type { Transcript } from './transcript.ts';

/** One scenario's calls run straight against the MCP server, no model: a server-side verdict. */
export interface McpRun {
  id: string;
  passed: boolean;
  /** The calls made, and how each answered (a tool error's text). */
  calls: { tool: string; ok: boolean; error?: string; skipped?: 'denied' }[];
  problems: string[];
  wallMs: number;
}

type Approval = Scenario['turns'][number]['approvals'][number];

/**
 * Runs the transcript's function calls, in order, over the MCP SDK client on Streamable HTTP as
 * the scenario's caller, answering confirmations as the scenario does (the chat's own policy
 * decides which calls ask: destructive tools, bulk writes): denied calls are not made, edited
 * ones are made with the edit. Then checks the end state. A model regression passes here and
 * fails in replay; a server regression fails in both.
 */
export async function runMcpScenario(
  world: EvalWorld,
  scenario: Scenario,
  transcript: Transcript,
): Promise<McpRun> {
  const started = performance.now();
  const stage = await world.stage(scenario.fixtures.includes('empty') ? 'empty' : 'sample', scenario.role);
  const server = await startMcpHttpServer({
    authenticate: createPlatformAuthenticator(stage.platform),
    port: 0,
  });
  const client = new Client({ name: 'airsuite-evals', version: '0.1.0' });
  const approvals: Approval[] = scenario.turns.flatMap((turn) => turn.approvals);
  const calls: McpRun['calls'] = [];
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: {
          headers: {
            authorization: `Bearer ${stage.caller.bearer}`,
            [WORKSPACE_HEADER]: stage.caller.access.workspaceId,
          },
        },
      }),
    );
    const tools = new Map<string, Tool>((await client.listTools()).tools.map((tool) => [tool.name, tool]));
    for (const turn of transcript.turns) {
      if (!('functionCalls' in turn)) continue;
      for (const call of turn.functionCalls) {
        let args = call.args;
        if (approvalReason(tools.get(call.name), args)) {
          const answer = approvals.shift() ?? 'approve';
          if (answer === 'deny') {
            calls.push({ tool: call.name, ok: true, skipped: 'denied' });
            continue;
          }
          if (typeof answer === 'object') args = { ...args, ...answer.edit };
        }
        const result = await client
          .callTool({ name: call.name, arguments: args })
          .catch((error: unknown) => ({
            isError: true,
            content: [{ type: 'text', text: String((error as Error).message ?? error) }],
          }));
        const text = (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text;
        calls.push({
          tool: call.name,
          ok: !result.isError,
          ...(result.isError && text ? { error: text } : {}),
        });
      }
    }
    const problems = await checkEndState(emulatorTableReader(world.emulator), scenario.expect.state);
    return {
      id: scenario.id,
      passed: problems.length === 0,
      calls,
      problems,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await client.close().catch(() => {});
    await server.close();
    await stage.close();
  }
}
