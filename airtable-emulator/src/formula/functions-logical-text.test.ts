import { describe } from 'vitest';
import { ERROR, table } from './test-kit.ts';

describe('logical functions', () => {
  table([
    ["IF({Qty} > 2, 'many', 'few')", 'many'],
    ["IF({Qty} > 5, 'many', 'few')", 'few'],
    ["IF({Qty} > 5, 'many')", null],
    ["IF('', 'yes', 'no')", 'no'],
    ["IF('0', 'yes', 'no')", 'yes'],
    ["IF({Tags}, 'tagged', 'untagged')", 'tagged'],
    ["if({Done}, 'done', 'open')", 'done'],
    ["SWITCH({Status}, 'Open', 1, 'Closed', 2)", 1],
    ["SWITCH({Status}, 'Closed', 2, 'none')", 'none'],
    ["SWITCH({Status}, 'Closed', 2)", null],
    ["SWITCH({Qty}, 1, 'one', 3, 'three', 'other')", 'three'],
    ["SWITCH({Empty}, BLANK(), 'blank', 'filled')", 'blank'],
    ["SWITCH({Status}, 'open', 'lower', 'Open', 'exact')", 'exact'],
    ["SWITCH({Status}, 'Open', 'first', 'Open', 'second')", 'first'],
    ["AND(1, TRUE(), 'x')", true],
    ['AND(1, 0)', false],
    ['AND({Name}, {Empty})', false],
    ["OR(0, '', BLANK(), 1)", true],
    ['OR(0, FALSE())', false],
    ['XOR(1, 0)', true],
    ['XOR(1, 1)', false],
    ['XOR(1, 1, 1)', true],
    ['NOT(0)', true],
    ["NOT('text')", false],
    ['NOT({Empty})', true],
    ['ISERROR(ERROR())', true],
    ['ISERROR(BLANK())', false],
    ['TRUE() & FALSE()', '10'],
    ['FALSE() = 0', true],
    ['IF(BLANK(), 1, 0)', 0],
  ]);
});

describe('IF with two arguments', () => {
  // IF(condition, value): the value when the condition holds, blank otherwise.
  table([
    ["IF({Qty} > 2, 'many')", 'many'],
    ['IF({Done}, {Qty})', 3],
    ['IF(1, 0)', 0],
    ["IF({Qty} > 5, 'many')", null],
    ["IF({Empty}, 'filled')", null],
  ]);
});

describe('FIND and SEARCH from a start position', () => {
  // 'foo boo': f=1 o=2 o=3 space=4 b=5 o=6 o=7. The start is 1-based and inclusive: a needle
  // exactly at the start is found there; 0 and 1 both mean the beginning.
  table([
    ["FIND('b', 'foo boo', 5)", 5],
    ["FIND('boo', 'foo boo', 5)", 5],
    ["FIND('o', 'foo boo', 3)", 3],
    ["FIND('f', 'foo boo', 1)", 1],
    ["FIND('b', 'foo boo', 4)", 5],
    ["FIND('b', 'foo boo', 6)", 0],
    ["FIND('o', 'foo boo', 8)", 0],
    ["SEARCH('b', 'foo boo', 5)", 5],
    ["SEARCH('f', 'foo boo', 1)", 1],
    ["SEARCH('b', 'foo boo', 4)", 5],
    ["SEARCH('b', 'foo boo', 6)", null],
  ]);
});

describe('text functions', () => {
  table([
    ["FIND('fox', 'quick brown fox')", 13],
    ["FIND('Fox', 'quick brown fox')", 0],
    ["FIND('o', 'foo boo', 4)", 6],
    ["FIND('o', 'foo boo', 0)", 2],
    ["FIND('z', 'abc')", 0],
    ["FIND('', 'abc')", 1],
    ["FIND('Smith', {Name})", 7],
    ["FIND('recB', ARRAYJOIN({Links}))", 0],
    ["SEARCH('brown', 'quick brown fox')", 7],
    ["SEARCH('z', 'abc')", null],
    ["SEARCH('o', 'foo boo', 4)", 6],
    ["SEARCH('Brown', 'quick brown fox')", null],
    ["LOWER('MiXeD')", 'mixed'],
    ["UPPER('MiXeD')", 'MIXED'],
    ['UPPER(12.5)', '12.5'],
    ["LEN('hello')", 5],
    ['LEN(12345)', 5],
    ['LEN({Tags})', 10],
    ["TRIM('  both ends  ')", 'both ends'],
    ['TRIM({Notes})', 'padded'],
    ["TRIM('a  b')", 'a  b'],
    ["LEFT('quick brown', 5)", 'quick'],
    ["LEFT('abc', 10)", 'abc'],
    ["LEFT('abc', 0)", ''],
    ["RIGHT('quick brown', 5)", 'brown'],
    ["RIGHT('abc', 10)", 'abc'],
    ["RIGHT('abc', 0)", ''],
    ["MID('quick brown fox', 7, 5)", 'brown'],
    ["MID('abc', 2, 100)", 'bc'],
    ["MID('abc', 5, 1)", ''],
    ["LEFT('abc', 'x')", ERROR],
    ["SUBSTITUTE('a-b-c', '-', '+')", 'a+b+c'],
    ["SUBSTITUTE('a-b-c', '-', '+', 2)", 'a-b+c'],
    ["SUBSTITUTE('a-b-c', '-', '+', 3)", 'a-b-c'],
    ["SUBSTITUTE('aaa', 'aa', 'b')", 'ba'],
    ["SUBSTITUTE('abc', '', 'x')", 'abc'],
    ["REPLACE('Hello world', 7, 5, 'there')", 'Hello there'],
    ["REPLACE('abc', 2, 0, 'X')", 'aXbc'],
    ["REPT('ab', 3)", 'ababab'],
    ["REPT('ab', 0)", ''],
    ["CONCATENATE('a', 1, TRUE(), BLANK(), 'z')", 'a11z'],
    ["CONCATENATE({Name}, ': ', {Tags})", 'Alice Smith: red, green'],
    ["VALUE('42')", 42],
    ["VALUE('$1,000.50')", 1000.5],
    ["VALUE('-3.5')", -3.5],
    ["VALUE('50%')", 0.5],
    ["VALUE('')", null],
    ["VALUE('abc')", ERROR],
    ['VALUE({Num Text}) + 1', 43],
    ["T('text')", 'text'],
    ['T(42)', null],
    ['T({Tags})', null],
    ["ENCODE_URL_COMPONENT('a b&c')", 'a%20b%26c'],
  ]);
});

describe('regex functions', () => {
  table([
    ["REGEX_MATCH('abc123', '[0-9]+')", true],
    ["REGEX_MATCH('abc', '^[0-9]+$')", false],
    ["REGEX_MATCH('ABC', '(?i)abc')", true],
    ["REGEX_MATCH({Name}, '^Alice')", true],
    ["REGEX_EXTRACT('order #123 shipped', '[0-9]+')", '123'],
    ["REGEX_EXTRACT('no digits', '[0-9]+')", ERROR],
    ["REGEX_EXTRACT('user@example.com', '@.*')", '@example.com'],
    ["REGEX_REPLACE('a1b22c333', '[0-9]+', '#')", 'a#b#c#'],
    ["REGEX_REPLACE('John Smith', '(\\\\w+) (\\\\w+)', '$2, $1')", 'Smith, John'],
    ["REGEX_MATCH('abc', '(')", ERROR],
  ]);
});
