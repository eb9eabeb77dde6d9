import { describe } from 'vitest';
import { At, ERROR, table } from './test-kit.ts';

// The test clock is Friday 2024-03-15T12:34:56.789Z; {Start Date} is 2024-01-31 and
// {Next Meeting} 2024-03-20T15:30:00Z.

describe('clock and record dates', () => {
  table([
    ['TODAY()', new At('2024-03-15T00:00:00.000Z')],
    ['NOW()', new At('2024-03-15T12:34:56.789Z')],
    ['CREATED_TIME()', new At('2024-01-10T08:00:00.000Z')],
    ['LAST_MODIFIED_TIME()', new At('2024-03-01T09:30:00.000Z')],
    ['LAST_MODIFIED_TIME({Name}, {Broken})', new At('2024-03-01T09:30:00.000Z')],
    ['NOW() > {Start Date}', true],
    ["DATETIME_PARSE('2024-03-20') - {Start Date}", 49],
  ]);
});

describe('DATEADD', () => {
  table([
    ["DATEADD('2024-01-31', 1, 'months')", new At('2024-02-29T00:00:00.000Z')],
    ["DATEADD('2023-01-31', 1, 'month')", new At('2023-02-28T00:00:00.000Z')],
    ["DATEADD({Start Date}, 1, 'M')", new At('2024-02-29T00:00:00.000Z')],
    ["DATEADD('2024-03-31', -1, 'months')", new At('2024-02-29T00:00:00.000Z')],
    ["DATEADD('2024-02-29', 1, 'years')", new At('2025-02-28T00:00:00.000Z')],
    ["DATEADD('2024-01-15', -15, 'days')", new At('2023-12-31T00:00:00.000Z')],
    ["DATEADD('2024-01-15T10:00:00Z', 90, 'minutes')", new At('2024-01-15T11:30:00.000Z')],
    ["DATEADD('2024-01-15', 1.5, 'hours')", new At('2024-01-15T01:30:00.000Z')],
    ["DATEADD('2024-01-15', 2, 'w')", new At('2024-01-29T00:00:00.000Z')],
    ["DATEADD('2024-01-15', 1, 'Q')", new At('2024-04-15T00:00:00.000Z')],
    ["DATEADD('2024-01-15', 30, 's')", new At('2024-01-15T00:00:30.000Z')],
    ["DATEADD('2024-01-15', 1, 'fortnights')", ERROR],
    ["DATEADD('someday', 1, 'days')", ERROR],
    ["DATEADD({Empty Date}, 1, 'days')", null],
  ]);
});

describe('DATETIME_DIFF', () => {
  table([
    ["DATETIME_DIFF('2024-03-31', '2024-01-31', 'months')", 2],
    ["DATETIME_DIFF('2024-03-30', '2024-01-31', 'months')", 1],
    // Jan 31 + 1 month is Feb 29 (clamped), so this is a whole month.
    ["DATETIME_DIFF('2024-02-29', '2024-01-31', 'months')", 1],
    ["DATETIME_DIFF('2024-01-31', '2024-03-31', 'M')", -2],
    ["DATETIME_DIFF('2024-02-15', '2024-01-15', 'days')", 31],
    ["DATETIME_DIFF('2024-01-15', '2024-02-15', 'days')", -31],
    ["DATETIME_DIFF('2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z')", 86400],
    ["DATETIME_DIFF('2024-01-01T10:00:00Z', '2024-01-01T08:30:00Z', 'hours')", 1],
    ["DATETIME_DIFF('2024-01-01T08:30:00Z', '2024-01-01T10:00:00Z', 'hours')", -1],
    ["DATETIME_DIFF('2024-01-01T10:00:00Z', '2024-01-01T08:30:00Z', 'm')", 90],
    ["DATETIME_DIFF('2024-01-01T10:00:00Z', '2024-01-01T08:30:00Z', 'ms')", 5_400_000],
    ["DATETIME_DIFF('2024-01-01T10:00:00Z', '2024-01-01T08:30:00Z', 'fortnights')", 5_400_000],
    ["DATETIME_DIFF('2024-01-22', '2024-01-01', 'weeks')", 3],
    ["DATETIME_DIFF('2024-07-01', '2024-01-01', 'quarters')", 2],
    ["DATETIME_DIFF('2025-01-15', '2024-01-16', 'years')", 0],
    ["DATETIME_DIFF('2025-01-16', '2024-01-16', 'y')", 1],
    ["DATETIME_DIFF(TODAY(), {Start Date}, 'days')", 44],
    ["DATETIME_DIFF({Empty Date}, TODAY(), 'days')", null],
    ["DATETIME_DIFF('nope', TODAY(), 'days')", ERROR],
  ]);
});

describe('DATETIME_FORMAT', () => {
  const at = "'2024-03-05T14:07:09.012Z'";
  table([
    [`DATETIME_FORMAT(${at})`, '2024-03-05T14:07:09.012Z'],
    [`DATETIME_FORMAT(${at}, '')`, '2024-03-05T14:07:09.012Z'],
    [`DATETIME_FORMAT(${at}, 'YYYY-MM-DDTHH:mm:ss.SSSZ')`, '2024-03-05T14:07:09.012+00:00'],
    [
      "DATETIME_FORMAT(SET_TIMEZONE('2024-03-05T14:07:09.012Z', 'Europe/Paris'))",
      '2024-03-05T15:07:09.012+01:00',
    ],
    [`DATETIME_FORMAT(${at}, 'YYYY-MM-DD')`, '2024-03-05'],
    [`DATETIME_FORMAT(${at}, 'M/D/YY')`, '3/5/24'],
    [`DATETIME_FORMAT(${at}, 'MMMM Do, YYYY')`, 'March 5th, 2024'],
    [`DATETIME_FORMAT(${at}, 'MMM D')`, 'Mar 5'],
    [`DATETIME_FORMAT(${at}, 'ddd dddd')`, 'Tue Tuesday'],
    [`DATETIME_FORMAT(${at}, 'h:mm A')`, '2:07 PM'],
    [`DATETIME_FORMAT(${at}, 'hh:mm a')`, '02:07 pm'],
    [`DATETIME_FORMAT(${at}, 'HH:mm:ss.SSS')`, '14:07:09.012'],
    [`DATETIME_FORMAT(${at}, 'x')`, '1709647629012'],
    [`DATETIME_FORMAT(${at}, 'X')`, '1709647629'],
    [`DATETIME_FORMAT(${at}, '[Quarter] Q, [week] W')`, 'Quarter 1, week 10'],
    [`DATETIME_FORMAT(${at}, 'LL')`, 'March 5, 2024'],
    [`DATETIME_FORMAT(${at}, 'L')`, '03/05/2024'],
    [`DATETIME_FORMAT(${at}, 'YYYY-MM-DDTHH:mmZ')`, '2024-03-05T14:07+00:00'],
    ["DATETIME_FORMAT({Start Date}, 'DD.MM.YYYY')", '31.01.2024'],
    ["DATETIME_FORMAT('2024-01-01T00:05:00Z', 'h:mm a Do')", '12:05 am 1st'],
    ["DATETIME_FORMAT('2024-03-22', 'Do')", '22nd'],
    ["DATETIME_FORMAT('2024-03-13', 'Do')", '13th'],
    ["DATETIME_FORMAT({Empty Date}, 'YYYY')", null],
    ['DATESTR({Next Meeting})', '2024-03-20'],
    ['TIMESTR({Next Meeting})', '15:30:00'],
  ]);
});

describe('time zones', () => {
  table([
    [
      "DATETIME_FORMAT(SET_TIMEZONE('2024-01-15T12:00:00Z', 'America/New_York'), 'YYYY-MM-DD HH:mm Z')",
      '2024-01-15 07:00 -05:00',
    ],
    ["DATETIME_FORMAT(SET_TIMEZONE('2024-07-15T12:00:00Z', 'America/New_York'), 'HH:mm')", '08:00'],
    ["DATETIME_FORMAT(SET_TIMEZONE('2024-01-15T12:00:00Z', 'Asia/Kolkata'), 'HH:mm')", '17:30'],
    ["HOUR(SET_TIMEZONE('2024-01-15T20:00:00Z', 'Asia/Tokyo'))", 5],
    ["DAY(SET_TIMEZONE('2024-01-15T20:00:00Z', 'Asia/Tokyo'))", 16],
    ["SET_TIMEZONE('2024-01-15T20:00:00Z', 'Asia/Tokyo') = '2024-01-15T20:00:00Z'", true],
    ["SET_TIMEZONE(NOW(), 'Mars/Olympus')", ERROR],
    ["IS_SAME(SET_TIMEZONE('2024-01-15T23:00:00Z', 'Asia/Tokyo'), '2024-01-16T01:00:00Z', 'day')", true],
  ]);
});

describe('DATETIME_PARSE', () => {
  table([
    ["DATETIME_PARSE('2024-03-05')", new At('2024-03-05T00:00:00.000Z')],
    ["DATETIME_PARSE('2024-03-05T10:00:00+02:00')", new At('2024-03-05T08:00:00.000Z')],
    ["DATETIME_PARSE('2024-03-05 10:15')", new At('2024-03-05T10:15:00.000Z')],
    ["DATETIME_PARSE('03/05/2024')", new At('2024-03-05T00:00:00.000Z')],
    ["DATETIME_PARSE('3/5/24 2:30pm')", new At('2024-03-05T14:30:00.000Z')],
    ["DATETIME_PARSE('5 March 2024')", new At('2024-03-05T00:00:00.000Z')],
    ["DATETIME_PARSE('March 5, 2024 2:30 PM')", new At('2024-03-05T14:30:00.000Z')],
    ["DATETIME_PARSE('05.03.2024', 'DD.MM.YYYY')", new At('2024-03-05T00:00:00.000Z')],
    ["DATETIME_PARSE('2024-03-05 14:30', 'YYYY-MM-DD HH:mm')", new At('2024-03-05T14:30:00.000Z')],
    ["DATETIME_PARSE('5 Mar 24', 'D MMM YY')", new At('2024-03-05T00:00:00.000Z')],
    ["DATETIME_PARSE('March 5th 2024, 9:05 pm', 'MMMM Do YYYY, h:mm a')", new At('2024-03-05T21:05:00.000Z')],
    ["DATETIME_PARSE('1709647200', 'X')", new At('2024-03-05T14:00:00.000Z')],
    ["DATETIME_PARSE('14:30', 'HH:mm')", new At('2024-03-15T14:30:00.000Z')],
    ["DATETIME_PARSE('2024', 'YYYY')", new At('2024-01-01T00:00:00.000Z')],
    ["DATETIME_PARSE('not a date')", ERROR],
    ["DATETIME_PARSE('2024-02-30')", ERROR],
    ["DATETIME_PARSE('31/02/2024', 'DD/MM/YYYY')", ERROR],
    ["DATETIME_PARSE('')", null],
  ]);
});

describe('comparisons and parts', () => {
  table([
    ['IS_BEFORE({Start Date}, TODAY())', true],
    ['IS_AFTER({Start Date}, TODAY())', false],
    ["IS_AFTER({Next Meeting}, '2024-03-20')", true],
    ['IS_BEFORE({Empty Date}, TODAY())', false],
    ["IS_SAME('2024-03-15T01:00:00Z', TODAY(), 'day')", true],
    ["IS_SAME('2024-03-15T01:00:00Z', TODAY())", false],
    ["IS_SAME('2024-03-15', TODAY())", true],
    ["IS_SAME('2024-03-01', '2024-03-31', 'month')", true],
    ["IS_SAME('2024-03-01', '2024-04-01', 'months')", false],
    ["IS_SAME('2024-01-01', '2024-12-31', 'y')", true],
    ["IS_SAME('2024-03-10', '2024-03-16', 'week')", true],
    ["IS_SAME('2024-03-16', '2024-03-17', 'week')", false],
    ['YEAR({Start Date})', 2024],
    ['MONTH({Start Date})', 1],
    ['DAY({Start Date})', 31],
    ['HOUR({Next Meeting})', 15],
    ['MINUTE({Next Meeting})', 30],
    ['SECOND(NOW())', 56],
    ["YEAR('2023-07-04')", 2023],
    ['YEAR({Empty Date})', null],
    ["WEEKDAY('2017-04-05')", 3],
    ["WEEKDAY('2024-03-17')", 0],
    ["WEEKDAY('2024-03-17', 'Monday')", 6],
    ["WEEKNUM('02/17/2016')", 8],
    ["WEEKNUM('2024-01-06')", 1],
    ["WEEKNUM('2024-01-07')", 2],
    ["WEEKNUM('2024-01-07', 'Monday')", 1],
  ]);
});

describe('working days', () => {
  table([
    ["WORKDAY('2020-10-16', 10)", new At('2020-10-30T00:00:00.000Z')],
    ["WORKDAY('2024-03-15', 1)", new At('2024-03-18T00:00:00.000Z')],
    ["WORKDAY('2024-03-18', -1)", new At('2024-03-15T00:00:00.000Z')],
    ["WORKDAY('2024-03-15', 1, '2024-03-18')", new At('2024-03-19T00:00:00.000Z')],
    ["WORKDAY('2024-03-15', 0)", new At('2024-03-15T00:00:00.000Z')],
    ["WORKDAY('2024-03-15', 1000000000)", ERROR],
    ["WORKDAY_DIFF('2024-03-11', '2024-03-15')", 5],
    ["WORKDAY_DIFF('2024-03-11', '2024-03-22')", 10],
    ["WORKDAY_DIFF('2024-03-15', '2024-03-11')", -5],
    ["WORKDAY_DIFF('2024-03-11', '2024-03-15', '2024-03-13, 2024-03-16')", 4],
    ["WORKDAY_DIFF('2024-03-16', '2024-03-17')", 0],
    ["WORKDAY_DIFF('2024-03-11', '2024-03-15', 'holiday')", ERROR],
  ]);
});
