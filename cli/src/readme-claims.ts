/**
 * What README.md claims about the `airsuite` command: the commands it names and, for each flag
 * it mentions, the command that should take it. A spec holds these against each command's
 * `--help`, so README never lists a flag the CLI rejects.
 *
 * Where a flag belongs: after `airsuite <command>` in the same code line, prose paragraph or
 * table row, that command; in the Configuration table, the command a qualifier names
 * (`--mcp-port` (`start`), (`--gateway-port` for `start`)), else the commands of the row's
 * variable (`EMULATOR_…`: `emulator` and `start`). A flag with neither must exist somewhere.
 */

export interface FlagClaim {
  flag: string;
  /** Commands that must each take the flag; empty: at least one command must. */
  commands: string[];
  /** The README line, for the failure message. */
  line: number;
}

export interface CommandClaim {
  command: string;
  line: number;
}

export interface ReadmeClaims {
  commands: CommandClaim[];
  flags: FlagClaim[];
}

/** `airsuite start`, not `airsuite http://…` (a URL in the claude line), `"airsuite"` or `./.airsuite of`. */
const COMMAND_MENTION = /(?<![\w./@-])airsuite ([a-z][a-z-]*)(?=[\s`),]|$)/g;
/** `--flag` or `-o`, not the hyphen of a word (`Ctrl-C`, `multi-record`). */
const FLAG = /(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g;

/** The commands of a Configuration-table row, from its (first) variable's prefix. */
const COMMANDS_OF_VARIABLE: [RegExp, string[]][] = [
  [/^EMULATOR_/, ['emulator', 'start']],
  [/^GATEWAY_/, ['gateway']],
  [/^MCP_/, ['mcp']],
  [/^PLATFORM_/, ['platform']],
  [/^(ORCHESTRATOR_PORT|ORCHESTRATOR_HOST|CHAT_)/, ['orchestrator']],
];

const ALWAYS_ACCEPTED = new Set(['--help', '-h']);

interface Span {
  text: string;
  line: number;
}

/**
 * Flags in `text` after `airsuite <command>` are that command's. Those before any such mention
 * are `fallback`'s commands (`[]`: any command), or skipped when there is no fallback.
 */
function afterMention(text: string, line: number, out: FlagClaim[], fallback?: string[]): void {
  const mentions = [...text.matchAll(COMMAND_MENTION)].map((m) => ({ at: m.index, command: m[1] as string }));
  for (const match of text.matchAll(FLAG)) {
    const flag = match[1] as string;
    const owner = mentions.filter((m) => m.at < match.index).at(-1)?.command;
    const commands = owner ? [owner] : fallback;
    if (!ALWAYS_ACCEPTED.has(flag) && commands) out.push({ flag, commands, line });
  }
}

/**
 * The flags of a prose paragraph or table row, span by span (`…`): in a span with
 * `airsuite <command>`, the flags after it are that command's; a span that starts with a flag
 * (`--message "…"`) belongs to the last command named before it (or to any command); a span that
 * starts otherwise is another program's (`npm run build -w cli`) and is skipped.
 */
function attributeProse(span: Span, out: FlagClaim[]): void {
  let last: string | undefined;
  for (const part of span.text.split('`').filter((_, i) => i % 2 === 1)) {
    const named = [...part.matchAll(COMMAND_MENTION)].at(-1)?.[1];
    if (named) afterMention(part, span.line, out);
    else if (FLAG_FIRST.test(part)) afterMention(part, span.line, out, last ? [last] : []);
    last = named ?? last;
  }
}

const FLAG_FIRST = /^(--[a-z]|-[a-zA-Z](\s|$))/;

function cells(row: string): string[] {
  return row
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/** A Configuration-table flag cell: `--port` (`--gateway-port` for `start`), `--mcp-port` (`start`). */
function configurationRow(row: string, line: number, known: ReadonlySet<string>, out: FlagClaim[]): void {
  const [variables = '', flagCell = ''] = cells(row);
  const variable = /`([A-Z0-9_]+)`/.exec(variables)?.[1] ?? '';
  const byVariable = COMMANDS_OF_VARIABLE.find(([prefix]) => prefix.test(variable))?.[1] ?? [];
  const qualified = /`(--?[a-zA-Z][\w-]*)`(?:\s*\(`?([a-z]+)`?\)| for `([a-z]+)`)?/g;
  for (const match of flagCell.matchAll(qualified)) {
    const flag = match[1] as string;
    const qualifier = match[2] ?? match[3];
    const commands = qualifier && known.has(qualifier) ? [qualifier] : byVariable;
    out.push({ flag, commands, line });
  }
}

/**
 * Reads README's claims. `knownCommands` tells a command qualifier (`(start)`) from another
 * remark in parentheses (`(repeatable)`).
 */
export function readmeClaims(markdown: string, knownCommands: readonly string[]): ReadmeClaims {
  const known = new Set(knownCommands);
  const lines = markdown.split('\n');
  const commands: CommandClaim[] = [];
  const flags: FlagClaim[] = [];
  let inCode = false;
  let table: 'commands' | 'configuration' | 'other' | undefined;
  let paragraph: Span | undefined;
  const endParagraph = () => {
    if (paragraph) attributeProse(paragraph, flags);
    paragraph = undefined;
  };

  lines.forEach((text, index) => {
    const line = index + 1;
    for (const match of text.matchAll(COMMAND_MENTION)) commands.push({ command: match[1] as string, line });
    if (text.startsWith('```')) {
      endParagraph();
      inCode = !inCode;
      return;
    }
    if (inCode) {
      afterMention(text, line, flags);
      return;
    }
    if (text.startsWith('|')) {
      endParagraph();
      if (table === undefined) {
        const header = cells(text).map((cell) => cell.toLowerCase());
        table = header[0] === 'command' ? 'commands' : header[1] === 'flag' ? 'configuration' : 'other';
        return;
      }
      if (/^\|[\s|:-]+\|$/.test(text)) return;
      if (table === 'configuration') configurationRow(text, line, known, flags);
      else attributeProse({ text, line }, flags);
      return;
    }
    table = undefined;
    // A blank line or a new list item ends a paragraph.
    if (text.trim() === '' || /^\s*[-*] /.test(text) || text.startsWith('#')) endParagraph();
    if (text.trim() === '') return;
    paragraph = paragraph ? { text: `${paragraph.text} ${text}`, line: paragraph.line } : { text, line };
  });
  endParagraph();
  return { commands, flags };
}
