import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_ERRORS } from './errors.ts';
import { accessRows } from './permission-matrix/access-rows.ts';
import { pluginRows } from './permission-matrix/plugin-rows.ts';
import { webhookRows } from './permission-matrix/webhook-rows.ts';
import {
  owner,
  PRINCIPALS,
  type Row,
  rig,
  seat,
  setUpMatrix,
  shared,
} from './testing/permission-matrix-kit.ts';

/**
 * Every endpoint under /v1/workspaces/{id} × every role, as a signed-in user and as an API key
 * of that role. A cell expects a status (allowed) or a refusal code (its status comes from the
 * error catalogue). Destructive cells build their own target, so no cell depends on another.
 */

const ROWS: Row[] = [...accessRows, ...webhookRows, ...pluginRows];

beforeAll(setUpMatrix, 60_000);

describe.each(PRINCIPALS)('as $label', (principal) => {
  const cases = ROWS.map((row) => ({ row, expected: row.expect[principal.role] }));
  it.each(cases)('$row.name → $expected', async ({ row, expected }) => {
    const ws = row.freshWorkspace ? await rig.workspace(owner, { connect: true }) : shared;
    const auth = await seat(principal, ws);
    const request = await row.request(ws);
    const response = await rig.call(request.method, request.url, {
      auth,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const allowed = typeof expected === 'number';
    if (allowed) {
      expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: expected });
    } else {
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: PLATFORM_ERRORS[expected],
        code: expected,
      });
    }
    await request.afterwards?.(allowed);
  });
});
