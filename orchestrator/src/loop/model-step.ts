import type { Content, FunctionDeclaration } from '@google/genai';
import type { ModelPort, ModelTurn } from '../model/model-port.ts';
import { alternateTurns, answerDanglingCalls, windowHistory } from './history-window.ts';
import type { LoopContext, RunScope } from './run-context.ts';

/**
 * One model call over the windowed history: its text streams out as `text_delta` events, its
 * turn is kept (an answer without calls ends the run in the same statement that keeps it) and
 * added to `history`, and the run's totals count it.
 */
export async function modelStep(
  context: LoopContext,
  scope: RunScope,
  model: ModelPort,
  declarations: FunctionDeclaration[],
  history: Content[],
): Promise<{ turn: ModelTurn; completed: boolean }> {
  const { run, conversation, totals, signal } = scope;
  const turn = await model.generate({
    contents: alternateTurns(windowHistory(answerDanglingCalls(history), context.limits.historyTokenBudget)),
    tools: declarations,
    systemInstruction: context.systemInstruction,
    signal,
    onTextDelta: (text) => context.note(run.id, { type: 'text_delta', text }),
  });
  totals.steps += 1;
  totals.promptTokens += turn.usage.promptTokens;
  totals.outputTokens += turn.usage.outputTokens;
  const completed = turn.functionCalls.length === 0;
  await context.store.appendTurns(conversation.id, run.id, [turn.content], {
    totals: { ...totals },
    completed,
  });
  history.push(turn.content);
  context.note(run.id, {
    type: 'usage',
    prompt_tokens: totals.promptTokens,
    output_tokens: totals.outputTokens,
    total_tokens: totals.promptTokens + totals.outputTokens,
    tool_calls: totals.toolCalls,
    steps: totals.steps,
  });
  return { turn, completed };
}
