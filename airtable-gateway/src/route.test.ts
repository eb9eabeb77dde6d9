import { describe, expect, it } from 'vitest';
import { routeOf } from './route.ts';

describe('what a path is about', () => {
  it.each([
    ['GET', '/v0/appA/Deals', { kind: 'records', baseId: 'appA', read: true, listByGet: true }],
    ['GET', '/v0/appA/My%20Table/recX', { kind: 'records', baseId: 'appA', read: true, listByGet: false }],
    ['POST', '/v0/appA/Deals/listRecords', { kind: 'records', baseId: 'appA', read: true, listByGet: false }],
    ['POST', '/v0/appA/Deals', { kind: 'records', baseId: 'appA', read: false, listByGet: false }],
    ['DELETE', '/v0/appA/Deals', { kind: 'records', baseId: 'appA', read: false, listByGet: false }],
    [
      'GET',
      '/v0/appA/Deals/recX/comments',
      { kind: 'comments', baseId: 'appA', read: true, listByGet: false },
    ],
    [
      'POST',
      '/v0/appA/recX/Files/uploadAttachment',
      { kind: 'upload', baseId: 'appA', read: false, listByGet: false },
    ],
    ['GET', '/v0/meta/bases/appA/tables', { kind: 'schema', baseId: 'appA', read: true, listByGet: false }],
    ['POST', '/v0/meta/bases/appA/tables', { kind: 'schema', baseId: 'appA', read: false, listByGet: false }],
    ['GET', '/v0/meta/bases', { kind: 'bases', read: true, listByGet: false }],
    ['GET', '/v0/meta/whoami', { kind: 'whoami', read: true, listByGet: false }],
    ['POST', '/v0/bases/appA/webhooks', { kind: 'webhooks', baseId: 'appA', read: false, listByGet: false }],
  ])('%s %s', (method, path, expected) => {
    expect(routeOf(method, path)).toEqual(expected);
  });
});
