import { isDeepStrictEqual } from 'node:util';

/**
 * How a scenario says what an argument (or a cell value) must be, BFCL-style: a plain value
 * must be equal; an object with one `$` key is a matcher:
 *
 * - `{$regex: "^Acme"}` (optionally `$flags: "i"`): a string matching it;
 * - `{$any_of: [a, b]}`: equal to one of them (each may itself be a matcher);
 * - `{$approx: 100, $tolerance: 0.5}`: a number within the tolerance (default 1e-9);
 * - `{$subset: {...}}` / `{$subset: [...]}`: an object holding at least these keys, or an array
 *   holding an element matching each given one, in any order; inside it, nested objects are
 *   subsets too (`{$subset: {records: [{fields: {Name: "A"}}]}}` allows other fields and keys);
 * - `{$contains: "text"}`: a string containing it (case-insensitive);
 * - `{$present: true}` / `{$present: false}`: any value / no value at all.
 *
 * A plain object is matched key by key and must have no other keys than those given (use
 * `$subset` to allow more); a plain array must match element by element.
 */
export type Matcher = unknown;

export interface Mismatch {
  /** Where, as a path from the argument root (`records[0].fields.Name`). */
  path: string;
  message: string;
}

const MATCHER_KEYS = ['$regex', '$any_of', '$approx', '$subset', '$contains', '$present'] as const;

function matcherKey(expected: unknown): (typeof MATCHER_KEYS)[number] | undefined {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return undefined;
  return MATCHER_KEYS.find((key) => Object.hasOwn(expected, key));
}

const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function matchSpecial(
  key: (typeof MATCHER_KEYS)[number],
  spec: Record<string, unknown>,
  actual: unknown,
  path: string,
) {
  const fail = (message: string): Mismatch[] => [{ path, message }];
  switch (key) {
    case '$present':
      return (actual !== undefined) === Boolean(spec.$present)
        ? []
        : fail(spec.$present ? 'expected a value, got nothing' : `expected nothing, got ${show(actual)}`);
    case '$regex': {
      const pattern = new RegExp(String(spec.$regex), typeof spec.$flags === 'string' ? spec.$flags : '');
      return typeof actual === 'string' && pattern.test(actual)
        ? []
        : fail(`expected a string matching /${String(spec.$regex)}/, got ${show(actual)}`);
    }
    case '$contains':
      return typeof actual === 'string' && actual.toLowerCase().includes(String(spec.$contains).toLowerCase())
        ? []
        : fail(`expected a string containing ${show(spec.$contains)}, got ${show(actual)}`);
    case '$approx': {
      const tolerance = typeof spec.$tolerance === 'number' ? spec.$tolerance : 1e-9;
      return typeof actual === 'number' && Math.abs(actual - Number(spec.$approx)) <= tolerance
        ? []
        : fail(`expected ${String(spec.$approx)} ± ${tolerance}, got ${show(actual)}`);
    }
    case '$any_of': {
      const options = Array.isArray(spec.$any_of) ? spec.$any_of : [];
      return options.some((option) => matchValue(option, actual, path).length === 0)
        ? []
        : fail(`expected one of ${show(options)}, got ${show(actual)}`);
    }
    case '$subset':
      return matchSubset(spec.$subset, actual, path);
  }
}

/** Within a subset, plain objects and arrays are subsets too; matchers and scalars as ever. */
function matchLoosely(expected: unknown, actual: unknown, path: string): Mismatch[] {
  if (matcherKey(expected) || expected === null || typeof expected !== 'object') {
    return matchValue(expected, actual, path);
  }
  return matchSubset(expected, actual, path);
}

function matchSubset(expected: unknown, actual: unknown, path: string): Mismatch[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
    const unmatched = expected.filter(
      (want) => !actual.some((have) => matchLoosely(want, have, path).length === 0),
    );
    return unmatched.map((want) => ({ path, message: `no element matches ${show(want)}` }));
  }
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    return [{ path, message: `expected an object holding ${show(expected)}, got ${show(actual)}` }];
  }
  return Object.entries(expected).flatMap(([key, want]) =>
    matchLoosely(want, (actual as Record<string, unknown>)[key], child(path, key)),
  );
}

/** Every way `actual` differs from `expected` (empty: it matches). */
export function matchValue(expected: Matcher, actual: unknown, path = ''): Mismatch[] {
  const key = matcherKey(expected);
  if (key) return matchSpecial(key, expected as Record<string, unknown>, actual, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [{ path, message: `expected ${expected.length} items, got ${show(actual)}` }];
    }
    return expected.flatMap((want, i) => matchValue(want, actual[i], child(path, i)));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [{ path, message: `expected an object, got ${show(actual)}` }];
    }
    const extra = Object.keys(actual).filter((k) => !Object.hasOwn(expected, k));
    return [
      ...Object.entries(expected).flatMap(([k, want]) =>
        matchValue(want, (actual as Record<string, unknown>)[k], child(path, k)),
      ),
      ...extra.map((k) => ({
        path: child(path, k),
        message: `unexpected ${show((actual as Record<string, unknown>)[k])}`,
      })),
    ];
  }
  return isDeepStrictEqual(expected, actual)
    ? []
    : [{ path, message: `expected ${show(expected)}, got ${show(actual)}` }];
}
