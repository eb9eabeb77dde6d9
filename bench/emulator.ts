import { createEmulator } from '@airsuite/airtable-emulator';
import { cliStartupMs } from './cli-startup.ts';
import { summarize, timeCalls } from './stats.ts';

const TOKEN = 'bench-token-full-access';
const CRM = 'appJRG6RjcS0ZVuqz';

/**
 * The emulator is the upstream of every other benchmark, so it must start fast and answer
 * list requests in a few milliseconds. Latencies are also given as ratios to a bare
 * health-check round trip measured in the same run, which is what to compare across
 * machines.
 */
export async function benchEmulator() {
  const startAt = performance.now();
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    rateLimits: { enabled: false },
  });
  const startupMs = performance.now() - startAt;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const get = async (path: string) => {
    const response = await fetch(`${emulator.url}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  try {
    const runs = 200;
    await timeCalls(20, () => get('/__emulator/health'));
    const health = summarize(await timeCalls(runs, () => get('/__emulator/health')));
    const listPage = summarize(await timeCalls(runs, () => get(`/v0/${CRM}/Deals?pageSize=100`)));
    const filtered = summarize(
      await timeCalls(runs, () =>
        get(
          `/v0/${CRM}/Deals?filterByFormula=${encodeURIComponent("AND({Amount} > 20000, FIND('a', LOWER({Deal Name})))")}&sort%5B0%5D%5Bfield%5D=Amount`,
        ),
      ),
    );
    const stringFormat = summarize(
      await timeCalls(runs, () => get(`/v0/${CRM}/Deals?cellFormat=string&timeZone=UTC&userLocale=en-us`)),
    );
    const create = summarize(
      await timeCalls(100, async (i) => {
        const response = await fetch(`${emulator.url}/v0/${CRM}/Companies`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            records: Array.from({ length: 10 }, (_, j) => ({ fields: { Name: `Bench ${i}-${j}` } })),
          }),
        });
        if (!response.ok) throw new Error(`create: ${response.status}`);
      }),
    );
    const ratio = (x: { p50Ms: number }) => Math.round((x.p50Ms / health.p50Ms) * 100) / 100;
    const cliStartup = [await cliStartupMs(), await cliStartupMs(), await cliStartupMs()].sort(
      (a, b) => a - b,
    );
    return {
      startupMs: Math.round(startupMs),
      cliStartupMedianMs: cliStartup[1],
      healthRoundTrip: health,
      listPage100: { ...listPage, ratioToHealth: ratio(listPage) },
      listFilteredSorted: { ...filtered, ratioToHealth: ratio(filtered) },
      listCellFormatString: { ...stringFormat, ratioToHealth: ratio(stringFormat) },
      createBatch10: { ...create, ratioToHealth: ratio(create) },
    };
  } finally {
    await emulator.close();
  }
}
