import type { RunEvent } from '@airsuite/orchestrator';

/** Values longer than this are cut in a tool line; the whole line is kept near one terminal row. */
export const ARGUMENT_CHARS = 40;
/** A tool result's summary is cut to its first line and this many characters. */
export const SUMMARY_CHARS = 100;
/** Lines of an approval's preview shown before "…". */
export const PREVIEW_LINES = 30;

/**
 * What to say, besides the code, for errors the user can fix. None for a code whose message
 * already says what to do (CHAT_MODEL_NOT_CONFIGURED), so the advice is printed once.
 */
const HINTS: Readonly<Record<string, string>> = {
  CHAT_MONTHLY_BUDGET_EXHAUSTED: "the workspace used this month's token budget",
  CHAT_TOOLS_UNAVAILABLE: 'the tools could not be reached: is the workspace connected to Airtable?',
};

export interface Style {
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** ANSI styles, or none: colours only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function styleFor(colors: boolean): Style {
  return colors
    ? { dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), bold: ansi(1, 22) }
    : { dim: plain, red: plain, yellow: plain, bold: plain };
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `list_records(base_id=appJRG6RjcS0ZVuqz, table=Deals)`: strings bare, the rest as JSON, long values cut. */
export function formatCall(name: string, args: Record<string, unknown>): string {
  const shown = Object.entries(args).map(([key, value]) => {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    return `${key}=${cut(text, ARGUMENT_CHARS)}`;
  });
  return `${name}(${shown.join(', ')})`;
}

/** JSON as people read it, indented by `indent` spaces, at most `maxLines` lines. */
export function prettyJson(value: unknown, indent = 2, maxLines = PREVIEW_LINES): string {
  const lines = (JSON.stringify(value, null, 2) ?? String(value)).split('\n');
  const kept = lines.length > maxLines ? [...lines.slice(0, maxLines), '…'] : lines;
  return kept.map((line) => `${' '.repeat(indent)}${line}`).join('\n');
}

export function formatError(code: string, message: string): string {
  const hint = HINTS[code];
  return `✗ ${code}: ${message}${hint ? ` (${hint})` : ''}`;
}

/** A tool result's summary on one line. */
export const oneLine = (summary: string) => cut(summary.split('\n')[0] ?? '', SUMMARY_CHARS);

const count = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

type Usage = Extract<RunEvent, { type: 'usage' }>;

/** `7,761 tokens (prompt 7,735, output 26) · 1 tool call · 2 steps` */
export function formatUsage(e: Usage): string {
  return (
    `${count(e.total_tokens, 'token')} (prompt ${e.prompt_tokens.toLocaleString('en-US')}, ` +
    `output ${e.output_tokens.toLocaleString('en-US')}) · ${count(e.tool_calls, 'tool call')} · ` +
    count(e.steps, 'step')
  );
}

export interface Renderer {
  /** Prints one run event; text deltas as they come, everything else on lines of its own. */
  event(event: RunEvent): void;
  /** A line of its own (after ending the text being streamed, if any). */
  line(text: string): void;
  /** A prompt: text left at the cursor; the user's Enter ends its line. */
  prompt(text: string): void;
  readonly style: Style;
}

/**
 * Renders a run for a terminal or a pipe. `write` gets raw text (no newline added): text
 * deltas are printed as they stream, so the renderer tracks whether a line is open.
 */
export function createRenderer(options: { write: (text: string) => void; colors: boolean }): Renderer {
  const { write } = options;
  const style = styleFor(options.colors);
  let open = false;
  let usage: Usage | undefined;

  const endText = () => {
    if (open) write('\n');
    open = false;
  };
  const line = (text: string) => {
    endText();
    write(`${text}\n`);
  };

  const event = (e: RunEvent) => {
    switch (e.type) {
      case 'run_started':
        return;
      case 'text_delta':
        if (e.text === '') return;
        write(e.text);
        open = !e.text.endsWith('\n');
        return;
      case 'tool_call_started':
        return line(style.dim(`→ ${formatCall(e.name, e.arguments)}`));
      case 'tool_call_finished':
        return line(
          e.ok
            ? style.dim(`✓ ${oneLine(e.summary)}`)
            : style.red(`✗ ${e.code ?? 'TOOL_ERROR'} ${oneLine(e.summary)}`),
        );
      case 'approval_requested':
        line(style.yellow(`? ${style.bold(e.name)} needs your approval (${e.reason})`));
        line(prettyJson(e.arguments, 2));
        if (e.preview !== undefined) {
          line(style.dim('  what would change:'));
          line(prettyJson(e.preview, 4));
        }
        return;
      case 'approval_decided': {
        const verb = { approve: 'approved', deny: 'denied', edit: 'edited and approved' }[e.decision];
        return line(style.dim(`${verb}${e.reason ? `: ${e.reason}` : ''}`));
      }
      case 'usage':
        // Sent after every step, with the run's totals so far: the last one is shown at the end.
        usage = e;
        return;
      case 'error':
        return line(style.red(formatError(e.code, e.message)));
      case 'done':
        endText();
        if (usage) line(style.dim(formatUsage(usage)));
        usage = undefined;
        if (e.status === 'cancelled') line(style.dim('(cancelled)'));
        return;
    }
  };

  return {
    event,
    line,
    prompt: (text) => {
      endText();
      write(text);
    },
    style,
  };
}
