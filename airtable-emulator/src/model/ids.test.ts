import { describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator.ts';
import { createSeededIdGenerator, isAirtableId } from './ids.ts';

describe('seeded ids', () => {
  it('are valid Airtable ids that repeat after a restart and differ between seeds', () => {
    const ids = createSeededIdGenerator('evals');
    const first = [ids('rec'), ids('rec'), ids('tbl')];
    expect(first.every((id) => isAirtableId(id))).toBe(true);
    expect(new Set(first).size).toBe(3);
    ids.restart?.();
    expect([ids('rec'), ids('rec'), ids('tbl')]).toEqual(first);
    expect(createSeededIdGenerator('other')('rec')).not.toBe(first[0]);
  });

  it("make an emulator create the same record ids after each reset, as a replay needs its recording's", async () => {
    const token = 'patSeeded0000000.0000000000000000000000000000000000000000000000000000000000000000';
    const emulator = await createEmulator({ port: 0, seed: 'sample', tokens: [token], idSeed: 'x' });
    const create = async () => {
      const response = await fetch(`${emulator.url}/v0/appJRG6RjcS0ZVuqz/Companies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ fields: { Name: 'Seeded Ltd' } }] }),
      });
      return ((await response.json()) as { records: { id: string }[] }).records[0]?.id;
    };
    try {
      const first = await create();
      expect(first).toMatch(/^rec[A-Za-z0-9]{14}$/);
      expect(await create()).not.toBe(first);
      emulator.admin.reset('sample');
      expect(await create()).toBe(first);
    } finally {
      await emulator.close();
    }
  });
});
