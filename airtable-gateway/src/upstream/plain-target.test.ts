import { describe, expect, it } from 'vitest';
import { splitPlainTarget } from './plain-target.ts';

const viaUrl = (target: string) => {
  const url = new URL(target, 'http://gateway.local');
  return { path: url.pathname, search: url.search };
};

describe('splitPlainTarget', () => {
  it.each([
    '/v0/appXXXXXXXXXXXXXX/Deals',
    '/v0/appXXXXXXXXXXXXXX/Deals?pageSize=3&sort%5B0%5D%5Bfield%5D=Amount',
    '/v0/appXXXXXXXXXXXXXX/Deals?filterByFormula=AND(%7BName%7D%3D%27x%27)',
    '/v0/appXXXXXXXXXXXXXX/tbl%20Name/rec1?',
    '/v0/meta/bases/appXXXXXXXXXXXXXX/tables?a=1?b=2/c',
    '/v0/a.b/..c/...d/%zz',
  ])('splits %s as the URL parser does', (target) => {
    expect(splitPlainTarget(target)).toEqual(viaUrl(target));
  });

  it.each([
    '/v0/../admin',
    '/v0/./x',
    '/v0/%2e%2E/x',
    '/v0/x/..',
    '//evil.example/v0/x',
    '/v0/x y',
    "/v0/x?q=it's",
    '/v0/x#frag',
    '/v0\\x',
    '/v0/café',
    '/v0/{x}',
    'http://other/v0/x',
  ])('leaves %s to the URL parser', (target) => {
    expect(splitPlainTarget(target)).toBeUndefined();
  });
});
