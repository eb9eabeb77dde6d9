import { describe } from 'vitest';
import { ERROR, table } from './test-kit.ts';

describe('array functions', () => {
  table([
    ['ARRAYJOIN({Tags})', 'red, green'],
    ["ARRAYJOIN({Tags}, '; ')", 'red; green'],
    ["ARRAYJOIN({Scores}, '')", '102030'],
    ['ARRAYJOIN({Empty})', ''],
    ["ARRAYJOIN('solo')", 'solo'],
    ["ARRAYJOIN({Nested}, '-')", '1-2-3'],
    ['ARRAYUNIQUE({Links})', ['Acme', 'Globex']],
    ['ARRAYUNIQUE({Mixed})', ['a', '', null, 0, ' ']],
    ['ARRAYCOMPACT({Mixed})', ['a', 0, ' ', 'a']],
    ['ARRAYCOMPACT({Empty})', []],
    ['ARRAYFLATTEN({Nested})', [1, 2, 3]],
    ['ARRAYFLATTEN({Tags})', ['red', 'green']],
    ['ARRAYSLICE({Scores}, 2)', [20, 30]],
    ['ARRAYSLICE({Scores}, 1, 2)', [10, 20]],
    ['ARRAYSLICE({Scores}, -1)', [30]],
    ['ARRAYSLICE({Scores}, -2, -2)', [20]],
    ['ARRAYSLICE({Scores}, 5)', []],
    ["ARRAYSLICE({Scores}, 'x')", ERROR],
    ['COUNTALL(ARRAYCOMPACT({Mixed}))', 4],
    ["ARRAYJOIN(ARRAYUNIQUE({Links}), ',')", 'Acme,Globex'],
    ["FIND('Globex', ARRAYJOIN({Links}))", 7],
    ['SUM(ARRAYSLICE({Scores}, 2))', 50],
  ]);
});

describe('record functions', () => {
  table([
    ['RECORD_ID()', 'recAAAAAAAAAAAAAA'],
    ["RECORD_ID() = 'recAAAAAAAAAAAAAA'", true],
    ["FIND('rec', RECORD_ID())", 1],
    ['IS_AFTER(LAST_MODIFIED_TIME(), CREATED_TIME())', true],
  ]);
});
