import { approvalReason, toolJudgedFor } from '@airsuite/orchestrator';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { checkEndState, emulatorTableReader } from '../scoring/end-state.ts';
import { checkPlatformState } from '../scoring/platform-state.ts';
import { type FailedCall, resultProblems, resultText } from '../scoring/results-contain.ts';
import { runBeforeActions } from './before-actions.ts';
import type { EvalWorld } from './eval-world.ts';
import { type McpTransportKind, openMcpClient } from './mcp-client.ts';
import { stageFor } from './replay-scenario.ts';
import type { Transcript } from './transcript.ts';

/** One scenario's calls run straight against the MCP server, no model: a server-side verdict. */
export interface McpRun {
  id: string;
  transport: McpTransportKind;
  passed: boolean;
  /** The calls made, and how each answered (a tool error's text). */
  calls: { tool: string; ok: boolean; error?: string; skipped?: 'denied' }[];
  problems: string[];
  wallMs: number;
}

type Approval = Scenario['turns'][number]['approvals'][number];

interface CallOutcome {
  ok: boolean;
  text: string;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallOutcome> {
  try {
    const result = await client.callTool({ name, arguments: args });
    const text = resultText(result.structuredContent ?? result.content);
    const first = (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text;
    return { ok: !result.isError, text: result.isError ? (first ?? text) : text };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs the transcript's function calls, in order, over the MCP SDK client as the scenario's
 * caller (Streamable HTTP, or stdio through `airsuite mcp` as Claude Desktop starts it),
 * answering confirmations as the scenario does (the chat's own policy decides which calls ask:
 * destructive tools, bulk writes): denied calls are not made, edited ones are made with the edit.
 * Then checks the end state, the platform's, and the facts the results must hold. A model
 * regression passes here and fails in replay; a server regression fails in both.
 */
export async function runMcpScenario(
  world: EvalWorld,
  scenario: Scenario,
  transcript: Transcript,
  transport: McpTransportKind = 'http',
): Promise<McpRun> {
  const started = performance.now();
  const stage = await stageFor(world, scenario);
  const opened = await openMcpClient(stage, transport).catch(async (error: unknown) => {
    await stage.close();
    throw error;
  });
  const approvals: Approval[] = scenario.turns.flatMap((turn) => turn.approvals);
  const calls: McpRun['calls'] = [];
  const results: string[] = [];
  const failed: FailedCall[] = [];
  try {
    const listed = await opened.client.listTools();
    const tools = new Map<string, Tool>(listed.tools.map((tool) => [tool.name, tool]));
    // A model turn of text ends the person's turn: the next one's `before` happens then.
    let userTurn = 0;
    let begun = false;
    for (const turn of transcript.turns) {
      if (!begun) {
        await runBeforeActions(world, scenario.turns[userTurn]?.before ?? []);
        begun = true;
      }
      if (!('functionCalls' in turn)) {
        userTurn += 1;
        begun = false;
        continue;
      }
      for (const made of turn.functionCalls) {
        let args = made.args;
        if (approvalReason(toolJudgedFor(made.name, args, tools), args)) {
          const answer = approvals.shift() ?? 'approve';
          if (answer === 'deny') {
            calls.push({ tool: made.name, ok: true, skipped: 'denied' });
            // What the chat answers the model for a declined call: the denial is its result.
            results.push('USER_DENIED: the person declined this call');
            continue;
          }
          if (typeof answer === 'object') args = { ...args, ...answer.edit };
        }
        const outcome = await call(opened.client, made.name, args);
        results.push(outcome.text);
        if (!outcome.ok) failed.push({ tool: made.name, error: outcome.text });
        calls.push({ tool: made.name, ok: outcome.ok, ...(outcome.ok ? {} : { error: outcome.text }) });
      }
    }
    const problems = [
      ...(approvals.length > 0
        ? [
            `wrong call: ${approvals.length} confirmation${approvals.length === 1 ? '' : 's'} the scenario answers ${approvals.length === 1 ? 'was' : 'were'} never asked for`,
          ]
        : []),
      ...(await checkEndState(emulatorTableReader(world.emulator), scenario.expect.state)),
      ...(await checkPlatformState(stage.platform, stage.caller.access, scenario.expect.platform)),
      ...resultProblems(results, scenario.expect.results_contain, failed),
    ];
    return {
      id: scenario.id,
      transport,
      passed: problems.length === 0,
      calls,
      problems,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await opened.close();
    await stage.close();
  }
}
