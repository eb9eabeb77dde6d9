import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

/** The model's view of each tool, fingerprinted: name, description and parameters. */
export function declarationsOf(body: GenerateContentRequestBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tool of body.tools ?? []) {
    for (const declaration of tool.functionDeclarations ?? []) {
      out[declaration.name] = createHash('sha256')
        .update(JSON.stringify(declaration))
        .digest('hex')
        .slice(0, 16);
    }
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
