import type { Decision } from './chat-client.ts';
import type { LineReader } from './line-reader.ts';
import type { Renderer } from './render-event.ts';

export const APPROVAL_PROMPT = 'Approve? [y]es / [n]o / [e]dit: ';

/** A JSON object, or why the line is not one. */
export function parseArguments(line: string): { ok: true; value: Record<string, unknown> } | { ok: false } {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // Reported below, like any non-object.
  }
  return { ok: false };
}

/**
 * Asks for one approval's decision: y approves; n denies, with an optional reason for the
 * model; e shows the arguments as one line of JSON and reads the edited line (again until it
 * is a JSON object; an empty line goes back to the question). Undefined when input ended.
 */
export async function askDecision(
  args: Record<string, unknown>,
  lines: LineReader,
  renderer: Renderer,
): Promise<Decision | undefined> {
  for (;;) {
    renderer.prompt(APPROVAL_PROMPT);
    const answer = await lines.next();
    if (answer === undefined) return undefined;
    const choice = answer.trim().toLowerCase();
    if (choice === 'y' || choice === 'yes') return { decision: 'approve' };
    if (choice === 'n' || choice === 'no') {
      renderer.prompt('Reason (optional, for the model): ');
      const reason = (await lines.next())?.trim();
      return reason ? { decision: 'deny', reason } : { decision: 'deny' };
    }
    if (choice === 'e' || choice === 'edit') {
      const edited = await askArguments(args, lines, renderer);
      if (edited === null) continue;
      if (edited === undefined) return undefined;
      return { decision: 'edit', arguments: edited };
    }
    renderer.line(renderer.style.dim('answer y, n or e'));
  }
}

/** The edited arguments; null to go back to the question; undefined when input ended. */
async function askArguments(
  args: Record<string, unknown>,
  lines: LineReader,
  renderer: Renderer,
): Promise<Record<string, unknown> | null | undefined> {
  renderer.line(renderer.style.dim('Edit the arguments (one line of JSON; empty to go back):'));
  renderer.line(JSON.stringify(args));
  for (;;) {
    renderer.prompt('> ');
    const line = await lines.next();
    if (line === undefined) return undefined;
    if (line.trim() === '') return null;
    const parsed = parseArguments(line);
    if (parsed.ok) return parsed.value;
    renderer.line(renderer.style.red('not a JSON object; try again (empty to go back)'));
  }
}
