import { describe } from 'vitest';
import { ERROR, table } from './test-kit.ts';

describe('rounding', () => {
  table([
    ['ROUND(1.234, 2)', 1.23],
    ['ROUND(1.235, 2)', 1.24],
    ['ROUND(1.005, 2)', 1.01],
    ['ROUND(2.5, 0)', 3],
    ['ROUND(-2.5, 0)', -2],
    ['ROUND(-2.51, 0)', -3],
    ['ROUND(1234.5678, -2)', 1200],
    ['ROUND(7.5)', 8],
    ['ROUNDUP(1.231, 2)', 1.24],
    ['ROUNDUP(-1.231, 2)', -1.24],
    ['ROUNDUP(1.2, 0)', 2],
    ['ROUNDUP(1234, -2)', 1300],
    ['ROUNDDOWN(1.239, 2)', 1.23],
    ['ROUNDDOWN(-1.239, 2)', -1.23],
    ['ROUNDDOWN(1299, -2)', 1200],
    ['CEILING(2.1)', 3],
    ['CEILING(-2.5)', -2],
    ['CEILING(7, 5)', 10],
    ['CEILING(0.3, 0.1)', 0.3],
    ['CEILING(1.21, 0.05)', 1.25],
    ['FLOOR(2.9)', 2],
    ['FLOOR(-2.5)', -3],
    ['FLOOR(7, 5)', 5],
    ['FLOOR(1.29, 0.05)', 1.25],
    ["ROUND('abc', 1)", ERROR],
  ]);
});

describe('arithmetic functions', () => {
  table([
    ['ABS(-5.5)', 5.5],
    ['ABS({Qty})', 3],
    ['INT(1.9)', 1],
    ['INT(-1.1)', -2],
    ['MOD(7, 5)', 2],
    ['MOD(-7, 3)', -1],
    ['MOD(7.5, 2)', 1.5],
    ['POWER(2, 10)', 1024],
    ['POWER(9, 0.5)', 3],
    ['SQRT(16)', 4],
    ['EXP(0)', 1],
    ['LOG(100)', 2],
    ['LOG(8, 2)', 3],
    ['EVEN(1.5)', 2],
    ['EVEN(3)', 4],
    ['ODD(2)', 3],
    ['ODD(-1.5)', -3],
    ["ABS('-3')", 3],
    ['ABS({Empty Number})', 0],
  ]);
});

describe('aggregates', () => {
  table([
    ['MAX(1, 5, 3)', 5],
    ['MIN(4, -2, 9)', -2],
    ['MAX({Scores})', 30],
    ['MIN({Scores}, 5)', 5],
    ["MAX(1, 'abc', BLANK(), '7')", 7],
    ['MAX({Empty})', 0],
    ['SUM(1, 2, 3)', 6],
    ['SUM({Scores})', 60],
    ['SUM({Scores}, {Qty}, TRUE())', 64],
    ["SUM('x', 1)", 1],
    ['AVERAGE(1, 2, 3, 4)', 2.5],
    ['AVERAGE({Scores})', 20],
    ['AVERAGE({Scores}, BLANK())', 20],
    ['AVERAGE({Empty})', Number.NaN],
    ["COUNT(1, 2, 'three', BLANK())", 2],
    ['COUNT({Scores})', 3],
    ["COUNTA(1, 'a', '', BLANK())", 2],
    ['COUNTA({Tags})', 2],
    ["COUNTALL(1, 'a', '', BLANK())", 4],
    ['COUNTALL({Links})', 3],
  ]);
});
