import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { diffLines } from 'diff';
import { z } from 'zod';
import type { GenerateContentRequestBody, ScriptedTurn } from '../fake-gemini/index.ts';

/**
 * A scenario's transcript: the model's turns, in order over all its user turns, replayed by the
 * fake Gemini through the real SDK and chat loop; and a fingerprint of each tool declaration the
 * model saw when it was recorded, so a replay whose tools changed under it is told (drift)
 * instead of passing on a conversation the model might no longer have.
 */
const turnSchema = z.union([
  z
    .object({
      functionCalls: z
        .array(z.object({ name: z.string(), args: z.record(z.string(), z.unknown()) }).strict())
        .min(1),
      text: z.string().optional(),
    })
    .strict(),
  z.object({ text: z.string() }).strict(),
]);

export const transcriptSchema = z
  .object({
    scenario: z.string(),
    /** The model it was recorded from, or "hand-written". */
    source: z.string(),
    /** Each declared tool's fingerprint (sha256 of its declaration), by name. */
    declarations: z.record(z.string(), z.string()).default({}),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

export type Transcript = z.output<typeof transcriptSchema>;

export const transcriptPath = (dir: string, id: string) => join(dir, `${id}.json`);

export async function readTranscript(dir: string, id: string): Promise<Transcript | undefined> {
  let text: string;
  try {
    text = await readFile(transcriptPath(dir, id), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = transcriptSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${transcriptPath(dir, id)}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

export async function writeTranscript(dir: string, transcript: Transcript): Promise<void> {
  const path = transcriptPath(dir, transcript.scenario);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(transcript, null, 2)}\n`);
}

type Declaration = NonNullable<
  NonNullable<GenerateContentRequestBody['tools']>[number]['functionDeclarations']
>[number];

const fingerprint = (declaration: Declaration) =>
  createHash('sha256').update(JSON.stringify(declaration)).digest('hex').slice(0, 16);

const declarationList = (body: GenerateContentRequestBody): Declaration[] =>
  (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []);

/** The model's view of each tool, fingerprinted: name, description and parameters. */
export function declarationsOf(body: GenerateContentRequestBody): Record<string, string> {
  return Object.fromEntries(declarationList(body).map((d) => [d.name, fingerprint(d)]));
}

/**
 * Where the declarations transcripts were recorded against are kept, by fingerprint: each once
 * however many transcripts saw it, so a drift can show what changed.
 */
export const declarationsDir = (transcriptsDir: string) => join(transcriptsDir, 'declarations');

/** Keeps each declaration of `body` under its fingerprint (those kept already are left alone). */
export async function storeDeclarations(transcriptsDir: string, body: GenerateContentRequestBody) {
  const dir = declarationsDir(transcriptsDir);
  await mkdir(dir, { recursive: true });
  for (const declaration of declarationList(body)) {
    const path = join(dir, `${fingerprint(declaration)}.json`);
    await writeFile(path, `${JSON.stringify(declaration, null, 2)}\n`, { flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
}

/** Changed lines (and one line around each), `-` as recorded and `+` as declared now. */
function changedLines(before: string, after: string): string[] {
  const lines: string[] = [];
  const parts = diffLines(before, after);
  parts.forEach((part, index) => {
    const text = part.value.replace(/\n$/, '').split('\n');
    if (part.added || part.removed) {
      lines.push(...text.map((line) => `${part.added ? '+' : '-'} ${line}`));
      return;
    }
    // Unchanged: only the line next to a change, for its place.
    if (index > 0 && text.length > 0) lines.push(`  ${text[0]}`);
    if (index < parts.length - 1 && text.length > 1) lines.push(`  ${text.at(-1)}`);
  });
  return lines;
}

/**
 * For each tool whose declaration changed since the recording: what changed, as a line diff of
 * the two declarations; or a line saying the recorded one was not kept (older transcripts).
 */
export async function driftDiffs(
  transcriptsDir: string,
  recorded: Record<string, string>,
  body: GenerateContentRequestBody,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const declaration of declarationList(body)) {
    const was = recorded[declaration.name];
    if (!was || was === fingerprint(declaration)) continue;
    const now = JSON.stringify(declaration, null, 2);
    const before = await readFile(join(declarationsDir(transcriptsDir), `${was}.json`), 'utf8').catch(
      () => undefined,
    );
    out[declaration.name] = before
      ? changedLines(before.trimEnd(), now)
      : [`(the declaration recorded as ${was} was not kept: no diff)`];
  }
  return out;
}

/**
 * How the tools a replay depends on differ from the recording: those its turns call or its
 * scenario names, changed, gone, or declared now but not recorded. A tool declared neither then
 * nor now (a write tool a viewer never sees) has not drifted. Empty: no drift.
 */
export function driftOf(
  recorded: Record<string, string>,
  now: Record<string, string>,
  tools: readonly string[],
): string[] {
  const drift: string[] = [];
  for (const name of [...new Set(tools)].sort()) {
    // Never declared to this caller, then or now (a viewer's write tools): nothing drifted.
    if (!(name in now) && !(name in recorded)) continue;
    if (!(name in now)) drift.push(`${name}: no longer declared`);
    else if (!(name in recorded)) drift.push(`${name}: not in the recording (re-record with --update)`);
    else if (recorded[name] !== now[name])
      drift.push(`${name}: its declaration changed (description or parameters)`);
  }
  return drift;
}

/** The tools a transcript's turns call. */
export const calledTools = (turns: readonly ScriptedTurn[]) =>
  turns.flatMap((turn) => ('functionCalls' in turn ? turn.functionCalls.map((call) => call.name) : []));
