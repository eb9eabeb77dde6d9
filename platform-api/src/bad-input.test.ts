import { describe, expect, it } from 'vitest';
import { expectClientOutcome, expectFieldError, useBadInputWorld } from './testing/bad-input-world.ts';

/**
 * Hostile and odd input on every endpoint that takes a body, params or a query, sent as a
 * signed-in owner: the answer is always a problem+json 4xx with a `code`, never a 5xx, and a
 * refused request leaves no row behind.
 */

const world = useBadInputWorld();
const { rig, ENDPOINTS, PARAM_TEMPLATES, send, sendJson } = world;

describe('bodies that are not the expected object', () => {
  const shapes: [string, string][] = [
    ['malformed JSON', '{"name": '],
    ['trailing garbage', '{"name":"x"} x'],
    ['JSON null', 'null'],
    ['an array', '[1,2,3]'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['a boolean', 'true'],
    ['a raw NUL in a string', '{"name":"a\u0000b"}'],
  ];
  for (const endpoint of ENDPOINTS) {
    it.each(shapes)(`${endpoint.label}: %s is a 400 problem`, async (_label, text) => {
      const response = await send({ ...endpoint, url: endpoint.path() }, text);
      const code = expectClientOutcome(response);
      expect(response.statusCode).toBe(400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED', 'TOOL_INVALID_INPUT']).toContain(code);
    });
  }
});

describe('fields that are missing, of the wrong type or huge', () => {
  for (const endpoint of ENDPOINTS) {
    const fields = endpoint.stringFields ?? [];
    const required = endpoint.required ?? [];

    it(`${endpoint.label}: an empty object names every required field`, async () => {
      const response = await sendJson(endpoint, {});
      for (const field of required) expectFieldError(endpoint, response, field);
    });

    it.each(required)(`${endpoint.label}: a missing %s is named`, async (field) => {
      const body = endpoint.valid!();
      delete body[field];
      expectFieldError(endpoint, await sendJson(endpoint, body), field);
    });

    it.each(
      fields.flatMap((f) => [
        [f, 12345] as const,
        [f, { nested: true }] as const,
        [f, [f]] as const,
        [f, null] as const,
      ]),
    )(`${endpoint.label}: %s of the wrong type (%j) is named`, async (field, value) => {
      const response = await sendJson(endpoint, { ...endpoint.valid!(), [field]: value });
      expectFieldError(endpoint, response, field);
    });

    it.each(fields)(`${endpoint.label}: a 100k-character %s is refused`, async (field) => {
      const response = await sendJson(endpoint, { ...endpoint.valid!(), [field]: 'x'.repeat(100_000) });
      if (endpoint.label === 'call a tool') {
        // Tool inputs have no length caps of their own; the answer is the tool's verdict.
        expectClientOutcome(response);
        return;
      }
      expectFieldError(endpoint, response, field);
    });

    it(`${endpoint.label}: a huge unknown extra key is ignored or refused cleanly`, async () => {
      const response = await sendJson(endpoint, {
        ...endpoint.valid!(),
        ['k'.repeat(10_000)]: 'v'.repeat(100_000),
      });
      expectClientOutcome(response);
    });

    it(`${endpoint.label}: __proto__ and constructor keys pollute nothing`, async () => {
      const text = `${JSON.stringify(endpoint.valid!()).slice(0, -1)},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
      const response = await send({ ...endpoint, url: endpoint.path() }, text);
      expectClientOutcome(response);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it(`${endpoint.label}: a body over 1 MiB is 413 BODY_TOO_LARGE`, async () => {
      const response = await sendJson(endpoint, { ...endpoint.valid!(), pad: 'x'.repeat(1024 * 1024 + 10) });
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe('BODY_TOO_LARGE');
    });

    it.each([
      ['text/plain', 'name=x'],
      ['application/x-www-form-urlencoded', 'name=x&email=a%40b.c'],
      [
        'multipart/form-data; boundary=zz',
        '--zz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--zz--',
      ],
      ['application/xml', '<name>x</name>'],
    ])(`${endpoint.label}: a %s body is 415 UNSUPPORTED_MEDIA_TYPE`, async (type, text) => {
      const response = await send({ ...endpoint, url: endpoint.path() }, text, type);
      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  }
});

describe('unicode edge cases in string fields', () => {
  const cases: [string, string, 'refused' | 'any'][] = [
    ['a lone high surrogate', 'a\ud800b', 'refused'],
    ['a lone low surrogate', '\udfff', 'refused'],
    ['an escaped NUL', 'a\u0000b', 'refused'],
    ['an RTL override', '\u202eTeam', 'any'],
    ['emoji', 'Team 👩‍👩‍👧‍👦 🚀', 'any'],
    ['combining marks', `T${'\u0301\u0302\u0303'.repeat(20)}`, 'any'],
    ['a 300-character name', 'n'.repeat(300), 'refused'],
  ];
  const nameFields = ENDPOINTS.flatMap((endpoint) =>
    (endpoint.stringFields ?? []).filter((f) => f === 'name').map((f) => [endpoint.label, f] as const),
  );
  const otherFields = ENDPOINTS.flatMap((endpoint) =>
    (endpoint.stringFields ?? []).filter((f) => f !== 'name').map((f) => [endpoint.label, f] as const),
  );
  const byLabel = (label: string) => ENDPOINTS.find((e) => e.label === label)!;

  for (const [label, value, expected] of cases) {
    it.each(nameFields)(`%s: ${label} in %s`, async (endpointLabel, field) => {
      const endpoint = byLabel(endpointLabel);
      const response = await sendJson(endpoint, { ...endpoint.valid!(), [field]: value });
      if (expected === 'refused') expectFieldError(endpoint, response, field);
      else expectClientOutcome(response);
    });

    it.each(otherFields)(`%s: ${label} in %s is never a server fault`, async (endpointLabel, field) => {
      const endpoint = byLabel(endpointLabel);
      const response = await sendJson(endpoint, { ...endpoint.valid!(), [field]: value });
      expectClientOutcome(response);
    });
  }

  it('keeps a name with emoji and combining marks exactly as sent', async () => {
    const name = `Café\u0301 👩‍👩‍👧‍👦 \u202eabc`;
    const created = await rig.call('POST', '/v1/workspaces', { auth: world.owner().auth, body: { name } });
    expect(created.statusCode).toBe(201);
    expect(created.json().name).toBe(name);
  });
});

describe('bad ids in the path', () => {
  /** [label, id as it goes in the URL, the code when it is certain] */
  const badIds: [string, string, string | undefined][] = [
    ['a traversal, encoded', encodeURIComponent('wsp_../../etc'), 'VALIDATION_FAILED'],
    ['a traversal, raw', 'wsp_../../etc', undefined],
    ['an empty id', '', undefined],
    ['a 10k-character id', `wsp_${'a'.repeat(10_000)}`, undefined],
    ['unicode', encodeURIComponent('wsp_é🙂\u202e'), 'VALIDATION_FAILED'],
    ['a NUL', 'wsp_%00', 'VALIDATION_FAILED'],
    ['broken percent-encoding', 'wsp_%ZZ', undefined],
    ['a lone surrogate, percent-encoded', 'wsp_%ED%A0%80', undefined],
    ['an SQL-ish id', encodeURIComponent("wsp_1' OR '1'='1"), 'VALIDATION_FAILED'],
    ['a well-formed unknown id', 'wsp_doesnotexist123', 'WORKSPACE_NOT_FOUND'],
  ];
  for (const route of PARAM_TEMPLATES) {
    it.each(badIds)(`${route.method} ${route.template}: %s`, async (_label, id, expected) => {
      const endpoint = ENDPOINTS.find((e) => e.label === route.label);
      const url = route.template.replace('{id}', id).replace('{userId}', world.member().id);
      const body = endpoint?.valid ? JSON.stringify(endpoint.valid()) : undefined;
      const response = await send({ method: route.method, auth: true, url }, body);
      const code = expectClientOutcome(response);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      if (expected) expect(code).toBe(expected);
      if (expected === 'VALIDATION_FAILED') {
        expect(response.json().errors.map((e: { field: string }) => e.field)).toContain('id');
      }
    });
  }

  it.each([
    ['a traversal, encoded', encodeURIComponent('usr_../../etc')],
    ['a 10k-character id', `usr_${'a'.repeat(10_000)}`],
    ['unicode', encodeURIComponent('usr_ü')],
    ['another prefix', 'wsp_abc'],
    ['a well-formed unknown id', 'usr_doesnotexist123'],
  ])('PATCH a member: %s as the user id', async (_label, userId) => {
    const response = await send(
      { method: 'PATCH', auth: true, url: `/v1/workspaces/${world.workspaceId()}/members/${userId}` },
      JSON.stringify({ role: 'viewer' }),
    );
    const code = expectClientOutcome(response);
    if (userId === 'usr_doesnotexist123') expect(code).toBe('MEMBER_NOT_FOUND');
    if (userId === 'wsp_abc' || userId.startsWith('usr_..')) {
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain('userId');
    }
  });

  it.each([
    ['an unknown tool', 'no_such_tool', 'TOOL_NOT_FOUND'],
    ['an upper-case name', 'Count_Records', 'VALIDATION_FAILED'],
    ['a traversal', encodeURIComponent('../../admin'), 'VALIDATION_FAILED'],
    ['unicode', encodeURIComponent('cöunt'), 'VALIDATION_FAILED'],
  ])('POST a tool: %s as the tool name', async (_label, name, expected) => {
    const response = await send(
      { method: 'POST', auth: true, url: `/v1/workspaces/${world.workspaceId()}/tools/${name}` },
      '{}',
    );
    expect(expectClientOutcome(response)).toBe(expected);
  });
});

describe('the audit query', () => {
  const audit = () => `/v1/workspaces/${world.workspaceId()}/audit`;
  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-1', 'limit'],
    [`cursor=${'c'.repeat(10_000)}`, 'cursor'],
    [`action=${'a'.repeat(101)}`, 'action'],
    [`actor_id=${'u'.repeat(101)}`, 'actor_id'],
    ['outcome=maybe', 'outcome'],
    ['since=yesterday', 'since'],
    ['until=2030-13-45T99:00:00Z', 'until'],
    ['since=1700000000', 'since'],
  ])('%s is VALIDATION_FAILED naming the field', async (query, field) => {
    const response = await send({ method: 'GET', auth: true, url: `${audit()}?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(response.json().errors[0].location).toBe('query');
  });

  it.each([
    'cursor=not-a-cursor',
    'cursor=%ED%A0%80',
    'action=%00',
    `action=${encodeURIComponent('tool.*%_\\')}`,
    `actor_id=${encodeURIComponent("x' OR 1=1 --")}`,
    'limit=1&limit=2',
    'outcome=success&outcome=failure',
    'since=%ZZ',
    'unknown=1',
    'action=%E2%80%AE%F0%9F%9A%80',
    `${'q'.repeat(5000)}=1`,
  ])('%s is never a server fault', async (query) => {
    const response = await send({ method: 'GET', auth: true, url: `${audit()}?${query}` });
    expectClientOutcome(response);
  });
});
