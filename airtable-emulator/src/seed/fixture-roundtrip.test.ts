import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, FixtureError, type RunningEmulator } from '../index.ts';
import { sampleFixture } from './sample/index.ts';

const running: RunningEmulator[] = [];
async function emulatorWith(seed: Parameters<typeof createEmulator>[0]) {
  const emulator = await createEmulator({ port: 0, tokens: ['roundtrip-token'], ...seed });
  running.push(emulator);
  return emulator;
}
afterAll(async () => {
  await Promise.all(running.map((e) => e.close()));
});

describe('fixtures', () => {
  it('export of the sample loads back into an identical export', async () => {
    const first = await emulatorWith({ seed: 'sample' });
    const exported = first.admin.exportFixture();
    const second = await emulatorWith({ seed: exported });
    expect(second.admin.exportFixture()).toEqual(exported);
  });

  it('keeps links two-sided after loading', async () => {
    const emulator = await emulatorWith({ seed: 'sample' });
    for (const base of emulator.store.bases.values()) {
      for (const table of base.tables) {
        for (const field of table.fields.filter((f) => f.type === 'multipleRecordLinks')) {
          const target = base.tables.find((t) => t.id === field.options?.linkedTableId);
          const inverseId = String(field.options?.inverseLinkFieldId);
          expect(target?.fields.some((f) => f.id === inverseId)).toBe(true);
          for (const record of base.records.get(table.id)?.values() ?? []) {
            for (const linkedId of (record.cells[field.id] as string[] | undefined) ?? []) {
              const linked = base.records.get(target?.id ?? '')?.get(linkedId);
              expect(linked?.cells[inverseId]).toContain(record.id);
            }
          }
        }
      }
    }
  });

  it('adds a missing inverse link field and generates absent ids', async () => {
    const emulator = await emulatorWith({
      seed: {
        bases: [
          {
            name: 'Tiny',
            tables: [
              {
                name: 'People',
                fields: [{ name: 'Name', type: 'singleLineText' }],
                records: [{ id: 'recPerson00000001', fields: { Name: 'Ada' } }],
              },
              {
                name: 'Teams',
                fields: [
                  { name: 'Name', type: 'singleLineText' },
                  { name: 'Members', type: 'multipleRecordLinks', options: { linkedTableId: 'People' } },
                ],
                records: [{ fields: { Name: 'Core', Members: ['recPerson00000001'] } }],
              },
            ],
          },
        ],
      },
    });
    const [base] = [...emulator.store.bases.values()];
    expect(base?.id).toMatch(/^app[A-Za-z0-9]{14}$/);
    const people = base?.tables[0];
    const inverse = people?.fields.find((f) => f.type === 'multipleRecordLinks');
    expect(inverse?.name).toBe('Teams');
    expect(
      base?.records.get(people?.id ?? '')?.get('recPerson00000001')?.cells[inverse?.id ?? ''],
    ).toHaveLength(1);
  });

  it('rejects an invalid fixture with EMULATOR_FIXTURE_INVALID and names the problem', async () => {
    const bad = sampleFixture();
    (bad.bases[0]?.tables[0]?.fields[0] as { type: string }).type = 'hologram';
    await expect(createEmulator({ port: 0, seed: bad })).rejects.toMatchObject({
      code: 'EMULATOR_FIXTURE_INVALID',
    });
    await expect(
      createEmulator({
        port: 0,
        seed: {
          bases: [
            {
              name: 'B',
              tables: [
                { name: 'T', fields: [{ name: 'N', type: 'number' }], records: [{ fields: { N: 'x' } }] },
              ],
            },
          ],
        },
      }),
    ).rejects.toBeInstanceOf(FixtureError);
  });
});
