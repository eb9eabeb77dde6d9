import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, lastFunctionResponses, startFakeGemini } from './fake-gemini/index.ts';
import { runLiveEvals } from './run-live-evals.ts';

/**
 * Live mode, with a fake Gemini standing in for Google (only the base URL differs): each
 * scenario runs k times against "the model", scored like a replay; a model that gets it right
 * three times in four has pass@1 75% and pass^4 0; --record keeps a passing trial's turns.
 */

const EVALS = fileURLToPath(new URL('..', import.meta.url));
let google: FakeGemini;
let work: string;
let trial = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airsuite-live-'));
  await cp(
    join(EVALS, 'scenarios', 'reading', 'count-won-deals.yaml'),
    join(work, 'scenarios', 'count-won-deals.yaml'),
  );
  google = await startFakeGemini({ apiKey: 'a-real-looking-key' });
  // A model that counts the won deals, except on every fourth conversation, when it counts the lost ones.
  google.respondWith((request) => {
    const [answer] = lastFunctionResponses(request);
    if (!answer) {
      trial++;
      const stage = trial % 4 === 2 ? 'Closed Lost' : 'Closed Won';
      return {
        functionCalls: [
          {
            name: 'count_records',
            args: {
              base_id: 'appJRG6RjcS0ZVuqz',
              table: 'Deals',
              filter: [{ field: 'Stage', op: 'equals', value: stage }],
            },
          },
        ],
      };
    }
    const count = (answer.response as { output?: { count?: number } }).output?.count;
    return { text: `You have ${count} such deals.` };
  });
});
afterAll(async () => {
  await google?.close();
  await rm(work, { recursive: true, force: true });
});

describe('npm run eval -- --live', () => {
  it('runs each scenario k times against the model and reports pass@1 with its interval and pass^k', async () => {
    const lines: string[] = [];
    const report = await runLiveEvals({
      apiKey: 'a-real-looking-key',
      model: 'gemini-2.5-flash',
      baseUrl: google.url,
      trials: 4,
      scenariosDir: join(work, 'scenarios'),
      resultsDir: join(work, 'results'),
      transcriptsDir: join(work, 'transcripts'),
      record: true,
      log: (line) => lines.push(line),
    });
    const [result] = report.results;
    expect(result).toMatchObject({
      id: 'count-won-deals',
      successes: 3,
      passAt1: 0.75,
      passHat: { 1: 0.75, 4: 0 },
    });
    expect(result?.passAt1Interval.low).toBeLessThan(0.75);
    expect(result?.trials[1]?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wrong call: count_records was called with other arguments/),
      ]),
    );
    expect(report.overall).toMatchObject({ scenarios: 1, trials: 4, passAt1: 0.75 });
    expect(lines.at(-1)).toMatch(
      /^gemini-2\.5-flash, 1 scenarios × 4 trials: pass@1 75% \[\d+%–\d+%\], pass\^4 0%$/,
    );
    const recorded = JSON.parse(await readFile(join(work, 'transcripts', 'count-won-deals.json'), 'utf8'));
    expect(recorded).toMatchObject({
      scenario: 'count-won-deals',
      source: 'gemini-2.5-flash',
      turns: [{ functionCalls: [{ name: 'count_records' }] }, { text: 'You have 21 such deals.' }],
    });
  }, 120_000);
});
