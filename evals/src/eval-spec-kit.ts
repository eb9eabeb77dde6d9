import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the eval specs share: committed scenarios copied out to be run (and broken) apart. */
export const EVALS = fileURLToPath(new URL('..', import.meta.url));

async function findScenario(id: string): Promise<string> {
  const entries = await readdir(join(EVALS, 'scenarios'), { recursive: true });
  const found = entries.find((entry) => entry.endsWith(`/${id}.yaml`) || entry === `${id}.yaml`);
  if (!found) throw new Error(`no committed scenario ${id}`);
  return join(EVALS, 'scenarios', found);
}

/** A fresh directory under `work` with these committed scenarios and their transcripts. */
export async function copyScenarios(work: string, ids: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(work, 'run-'));
  await cp(join(EVALS, 'transcripts', 'declarations'), join(dir, 'transcripts', 'declarations'), {
    recursive: true,
  });
  for (const id of ids) {
    await cp(await findScenario(id), join(dir, 'scenarios', `${id}.yaml`));
    await cp(join(EVALS, 'transcripts', `${id}.json`), join(dir, 'transcripts', `${id}.json`));
  }
  return dir;
}

export async function editTranscript(
  dir: string,
  id: string,
  edit: (transcript: Record<string, unknown>) => void,
): Promise<void> {
  const path = join(dir, 'transcripts', `${id}.json`);
  const transcript = JSON.parse(await readFile(path, 'utf8'));
  edit(transcript);
  await writeFile(path, JSON.stringify(transcript));
}
