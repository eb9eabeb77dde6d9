import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTableReader, checkEndState, emulatorTableReader } from './end-state.ts';

/**
 * The end state, the primary criterion: records picked by matchers on their cells must exist
 * or not, in number, with the values asked, read from the emulator itself.
 */

const TOKEN = 'patEndStateSpec.0123456789abcdef0123456789abcdef';
const CRM = 'appJRG6RjcS0ZVuqz';
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await createEmulator({ port: 0, seed: 'sample', tokens: [TOKEN], log: () => {} });
  await fetch(`${emulator.url}/v0/${CRM}/Companies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      records: [{ fields: { Name: "O'Brien & Sons — Zoë" } }, { fields: { Name: "O'Brien & Sons — Zoë" } }],
    }),
  });
});
afterAll(() => emulator.close());

const read = () => emulatorTableReader(emulator);

describe('the end state', () => {
  it('holds when the records exist in number with their values', async () => {
    expect(
      await checkEndState(read(), [
        {
          base: CRM,
          table: 'Companies',
          where: { Name: "O'Brien & Sons — Zoë" },
          exists: true,
          count: 2,
          fields: { Name: { $contains: 'zoë' } },
        },
        { base: CRM, table: 'Companies', where: { Name: 'Nobody Ltd' }, exists: false },
      ]),
    ).toEqual([]);
  });

  it('reads the same records over the API as from the emulator itself', async () => {
    const state = [
      { base: CRM, table: 'Companies', where: { Name: "O'Brien & Sons — Zoë" }, exists: true, count: 2 },
    ];
    expect(await checkEndState(apiTableReader(emulator.url, TOKEN), state)).toEqual([]);
  });

  it('names each state that does not hold, and why', async () => {
    const problems = await checkEndState(read(), [
      { base: CRM, table: 'Companies', where: { Name: { $regex: "^O'Brien" } }, exists: true, count: 1 },
      { base: CRM, table: 'Companies', where: { Name: 'Nobody Ltd' }, exists: true },
      { base: CRM, table: 'Companies', where: { Name: { $regex: "^O'Brien" } }, exists: false },
      {
        base: CRM,
        table: 'Companies',
        where: { Name: { $regex: "^O'Brien" } },
        exists: true,
        fields: { Industry: 'Retail' },
      },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/matches 2 records, expected 1$/),
      expect.stringMatching(/^wrong end state: no record of Companies where \{"Name":"Nobody Ltd"\}$/),
      expect.stringMatching(/should not exist, found rec\w+, rec\w+$/),
      expect.stringMatching(/Industry: expected "Retail", got nothing$/),
      expect.stringMatching(/Industry: expected "Retail", got nothing$/),
    ]);
  });
});
