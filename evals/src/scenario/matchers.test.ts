import { describe, expect, it } from 'vitest';
import { matchValue } from './matchers.ts';

/** Argument matchers, as scenarios write them: each says why a value does not match, and where. */
describe('argument matchers', () => {
  it('match plain values exactly, objects key by key with no extra keys, arrays item by item', () => {
    expect(matchValue({ table: 'Deals', max_records: 5 }, { table: 'Deals', max_records: 5 })).toEqual([]);
    expect(matchValue({ table: 'Deals' }, { table: 'Deals', view: 'Grid' })).toEqual([
      { path: 'view', message: 'unexpected "Grid"' },
    ]);
    expect(matchValue(['a', 'b'], ['a', 'c'])).toEqual([{ path: '[1]', message: 'expected "b", got "c"' }]);
    expect(
      matchValue({ records: [{ fields: { Name: 'Zoë' } }] }, { records: [{ fields: { Name: 'Zoe' } }] }),
    ).toEqual([{ path: 'records[0].fields.Name', message: 'expected "Zoë", got "Zoe"' }]);
  });

  it('match a regex, a substring, one of several values, a number within a tolerance', () => {
    expect(matchValue({ $regex: "^\\{Stage\\} = 'Won'$" }, "{Stage} = 'Won'")).toEqual([]);
    expect(matchValue({ $regex: '^acme', $flags: 'i' }, 'ACME Rockets')).toEqual([]);
    expect(matchValue({ $contains: "o'brien" }, 'FIND("O\'Brien", {Name})')).toEqual([]);
    expect(matchValue({ $any_of: ['Deals', 'tblKcraO7XrOoV3jk'] }, 'tblKcraO7XrOoV3jk')).toEqual([]);
    expect(matchValue({ $approx: 1500.5, $tolerance: 0.5 }, 1500)).toEqual([]);
    expect(matchValue({ $approx: 1500.5, $tolerance: 0.1 }, 1500)).toEqual([
      { path: '', message: 'expected 1500.5 ± 0.1, got 1500' },
    ]);
    expect(matchValue({ $any_of: [{ $regex: '^rec' }, null] }, null)).toEqual([]);
  });

  it('match a subset of an object or of an array, in any order, and presence', () => {
    const args = { base_id: 'app1', table: 'Deals', records: [{ fields: { A: 1 } }, { fields: { B: 2 } }] };
    expect(matchValue({ $subset: { table: 'Deals' } }, args)).toEqual([]);
    expect(matchValue({ $subset: { records: { $subset: [{ fields: { B: 2 } }] } } }, args)).toEqual([]);
    expect(matchValue({ $subset: [{ fields: { C: 3 } }] }, args.records)).toEqual([
      { path: '', message: 'no element matches {"fields":{"C":3}}' },
    ]);
    // Inside a subset, nested objects are subsets too.
    expect(
      matchValue(
        { $subset: { records: [{ fields: { A: 1 } }] } },
        { ...args, records: [{ id: 'rec1', fields: { A: 1, Z: 0 } }] },
      ),
    ).toEqual([]);
    expect(matchValue({ filter: { $present: false } }, {})).toEqual([]);
    expect(matchValue({ $subset: { filter: { $present: true } } }, {})).toEqual([
      { path: 'filter', message: 'expected a value, got nothing' },
    ]);
  });
});
