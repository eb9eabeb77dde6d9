import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy, type ResolveHost } from './address-policy.ts';
import type { AttemptOutcome } from './attempt-outcome.ts';
import { createWebhookSender, type WebhookAttempt, type WebhookSender } from './send-attempt.ts';
import { generateWebhookSecret } from './signing.ts';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remotePort: number;
  servername?: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A real receiver on 127.0.0.1 (or ::1), recording every request it gets. */
async function receiver(
  handler: Handler = (_req, res) => res.end('ok'),
  options: { tls?: Tls; host?: string } = {},
) {
  const received: Received[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort ?? 0,
        servername: (req.socket as { servername?: string }).servername,
      });
      handler(req, res);
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  const origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url: `${origin}/hooks/in?tenant=1`, origin, port, received, close };
}

interface Tls {
  key: string;
  cert: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const secret = generateWebhookSecret();
const body = JSON.stringify({
  type: 'member.added',
  timestamp: '2026-12-01T12:00:00Z',
  data: { memberId: 'mem_1' },
});
const attempt = (url: string, extra: Partial<WebhookAttempt> = {}): WebhookAttempt => ({
  url,
  messageId: 'msg_0001',
  body,
  secrets: [secret],
  ...extra,
});

/** The sender specs use: the loopback address allow-listed, short timeouts. */
function sender(options: Partial<Parameters<typeof createWebhookSender>[0]> = {}, allow = ['127.0.0.1']) {
  const made: WebhookSender = createWebhookSender({
    policy: createAddressPolicy({ allow }),
    timeoutMs: 2000,
    ...options,
  });
  cleanups.push(() => made.close());
  return made;
}

function expectNoSecrets(outcome: AttemptOutcome, ...secrets: string[]) {
  const text = JSON.stringify(outcome);
  for (const s of secrets) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(s.replace(/^whsec_/, ''));
  }
}

describe('sending one webhook attempt', () => {
  it('POSTs the JSON body with signature headers the receiver verifies, and reports success with what came back', async () => {
    const server = await receiver((_req, res) => {
      res.setHeader('x-receipt', 'r-1');
      res.end('{"received":true}');
    });
    const outcome = await sender().send(attempt(server.url));
    expect(outcome).toMatchObject({
      kind: 'success',
      remoteAddress: '127.0.0.1',
      reusedConnection: false,
      requestBodyBytes: Buffer.byteLength(body),
      response: {
        status: 200,
        body: '{"received":true}',
        bodyTruncated: false,
        headers: { 'x-receipt': 'r-1' },
      },
    });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    const [got] = server.received;
    expect(got).toMatchObject({ method: 'POST', path: '/hooks/in?tenant=1', body });
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'AirSuite-Webhooks/1.0',
      'webhook-id': 'msg_0001',
      'webhook-timestamp': String(Math.floor(outcome.startedAt.getTime() / 1000)),
    });
    expect(new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).toEqual(
      JSON.parse(body),
    );
    expect(outcome.requestHeaders['webhook-signature']).toBe(got!.headers['webhook-signature']);
    expectNoSecrets(outcome, secret);
  });

  it('signs with both secrets during a rotation: a receiver with either one verifies the delivery', async () => {
    const previous = generateWebhookSecret();
    const server = await receiver();
    const outcome = await sender().send(attempt(server.url, { secrets: [secret, previous] }));
    expect(outcome.kind).toBe('success');
    const [got] = server.received;
    const headers = got!.headers as Record<string, string>;
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(secret).verify(got!.body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(got!.body, headers)).not.toThrow();
    expectNoSecrets(outcome, secret, previous);
  });

  it("sends the endpoint's custom headers, and hides their values in the outcome", async () => {
    const server = await receiver();
    const outcome = await sender().send(
      attempt(server.url, { headers: { Authorization: 'Bearer receiver-token-123', 'X-Tenant': 'acme' } }),
    );
    expect(outcome.kind).toBe('success');
    expect(server.received[0]!.headers).toMatchObject({
      authorization: 'Bearer receiver-token-123',
      'x-tenant': 'acme',
    });
    expect(outcome.requestHeaders).toMatchObject({ Authorization: '[redacted]', 'X-Tenant': '[redacted]' });
    expect(JSON.stringify(outcome)).not.toContain('receiver-token-123');
  });

  it.each([
    ['webhook-signature', 'v1,forged'],
    ['Webhook-Id', 'msg_other'],
    ['webhook-anything', 'x'],
    ['Host', 'evil.example.com'],
    ['content-length', '1'],
    ['Content-Type', 'text/plain'],
    ['transfer-encoding', 'chunked'],
    ['bad header', 'x'],
    ['x-split', 'a\r\nx-injected: 1'],
  ])(
    'refuses a custom header %s that would replace ours or break the request, sending nothing',
    async (name, value) => {
      const server = await receiver();
      const outcome = await sender().send(attempt(server.url, { headers: { [name]: value } }));
      expect(outcome).toMatchObject({ kind: 'disable', code: 'WEBHOOK_HEADERS_REFUSED' });
      expect(server.received).toHaveLength(0);
    },
  );

  it('reuses one kept-alive connection for two attempts to the same endpoint', async () => {
    const server = await receiver();
    const shared = sender();
    const first = await shared.send(attempt(server.url));
    const second = await shared.send(attempt(server.url, { messageId: 'msg_0002' }));
    expect([first.kind, second.kind]).toEqual(['success', 'success']);
    expect(server.received[0]!.remotePort).toBe(server.received[1]!.remotePort);
    expect(second.reusedConnection).toBe(true);
  });

  it('reads at most the first 4 KiB of the answer, then drops the connection', async () => {
    const server = await receiver((_req, res) => res.end('x'.repeat(100_000)));
    const outcome = await sender().send(attempt(server.url));
    expect(outcome.kind).toBe('success');
    expect(outcome.response?.body).toHaveLength(4096);
    expect(outcome.response?.bodyTruncated).toBe(true);
    const small = await sender({ maxResponseBytes: 10 }).send(attempt(server.url));
    expect(small.response?.body).toBe('xxxxxxxxxx');
  });
});

describe('classifying what the endpoint answered', () => {
  it('does not follow a redirect: 3xx is a failure to retry, and the target is never called', async () => {
    const server = await receiver((req, res) => {
      if (req.url?.startsWith('/elsewhere')) return res.end('followed');
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    const outcome = await sender().send(attempt(server.url));
    expect(outcome).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_REDIRECT_REFUSED',
      response: { status: 302 },
    });
    expect(outcome.kind === 'retry' && outcome.message).toContain(server.origin);
    expect(server.received.map((r) => r.path)).toEqual(['/hooks/in?tenant=1']);
  });

  it('disables the endpoint on 410 Gone', async () => {
    const server = await receiver((_req, res) => res.writeHead(410).end('gone'));
    expect(await sender().send(attempt(server.url))).toMatchObject({
      kind: 'disable',
      code: 'WEBHOOK_GONE',
      response: { status: 410, body: 'gone' },
    });
  });

  it('retries 429 after the Retry-After seconds it asks for, clamped to the maximum', async () => {
    const server = await receiver((req, res) =>
      res.writeHead(429, { 'retry-after': req.headers['webhook-id'] === 'msg_long' ? '86400' : '120' }).end(),
    );
    expect(await sender().send(attempt(server.url))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_THROTTLED',
      retryAfterMs: 120_000,
      response: { status: 429 },
    });
    expect(
      await sender({ maxRetryAfterMs: 3_600_000 }).send(attempt(server.url, { messageId: 'msg_long' })),
    ).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('retries 503 with an HTTP-date Retry-After, and other errors without one', async () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const server = await receiver((req, res) =>
      req.headers['webhook-id'] === 'msg_500'
        ? res.writeHead(500, { 'retry-after': '60' }).end('boom')
        : res.writeHead(503, { 'retry-after': 'Tue, 01 Dec 2026 12:10:00 GMT' }).end(),
    );
    expect(await sender({ now: () => now }).send(attempt(server.url))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_HTTP_ERROR',
      retryAfterMs: 600_000,
      response: { status: 503 },
    });
    const failed = await sender().send(attempt(server.url, { messageId: 'msg_500' }));
    expect(failed).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_HTTP_ERROR',
      response: { status: 500, body: 'boom' },
    });
    expect(failed).not.toHaveProperty('retryAfterMs');
  });

  it('stops retrying the message when the answer says webhook-delivery: abort-message', async () => {
    const server = await receiver((_req, res) =>
      res.writeHead(400, { 'webhook-delivery': 'abort-message' }).end(),
    );
    expect(await sender().send(attempt(server.url))).toMatchObject({
      kind: 'abort',
      code: 'WEBHOOK_ABORT_REQUESTED',
      response: { status: 400 },
    });
  });

  it('times out an endpoint that never answers, within the configured budget', async () => {
    const server = await receiver(() => {}); // reads the request, never responds
    const outcome = await sender({ timeoutMs: 300 }).send(attempt(server.url));
    expect(outcome).toMatchObject({ kind: 'retry', code: 'WEBHOOK_TIMEOUT' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(290);
    expect(outcome.latencyMs).toBeLessThan(1500);
    expect(server.received).toHaveLength(1);
  });

  it('counts DNS in the budget: a resolver that never answers is a timeout too', async () => {
    const policy = createAddressPolicy({ resolve: () => new Promise(() => {}) });
    const made = createWebhookSender({ policy, timeoutMs: 200 });
    cleanups.push(() => made.close());
    expect(await made.send(attempt('https://hooks.example.com/'))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_TIMEOUT',
    });
  });

  it('reports a refused connection and an answer that is not HTTP', async () => {
    const gone = await receiver();
    await gone.close();
    expect(await sender().send(attempt(gone.url))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_CONNECTION_FAILED',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    const garbage = net.createServer((socket) => socket.resume().end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => garbage.close(() => resolve())));
    const { port } = garbage.address() as net.AddressInfo;
    expect(await sender().send(attempt(`http://127.0.0.1:${port}/`))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_BAD_RESPONSE',
    });
  });

  it('reports WEBHOOK_CANCELLED when the caller aborts (worker shutdown)', async () => {
    const server = await receiver(() => {});
    const controller = new AbortController();
    const pending = sender().send(attempt(server.url, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ kind: 'retry', code: 'WEBHOOK_CANCELLED' });
  });
});

describe('connecting only where the policy allows', () => {
  it.each([
    'http://127.0.0.1:PORT/',
    'http://localhost:PORT/',
    'http://[::1]:PORT/',
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://0x7f000001:PORT/',
    'http://2130706433:PORT/',
    'http://127.1:PORT/',
    'http://169.254.169.254/latest/meta-data/',
  ])('without an allow-list, %s is refused and nothing is sent', async (template) => {
    const server = await receiver();
    const strict = createWebhookSender({ policy: createAddressPolicy(), timeoutMs: 2000 });
    cleanups.push(() => strict.close());
    const outcome = await strict.send(attempt(template.replace('PORT', String(server.port))));
    expect(outcome).toMatchObject({ kind: 'retry', code: 'WEBHOOK_URL_FORBIDDEN_ADDRESS' });
    expect(outcome.response).toBeUndefined();
    expect(server.received).toHaveLength(0);
  });

  it.each([
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://0x7f000001:PORT/',
    'http://2130706433:PORT/',
    'http://127.1:PORT/',
  ])('with 127.0.0.1 allow-listed, %s is delivered', async (template) => {
    const server = await receiver();
    expect((await sender().send(attempt(template.replace('PORT', String(server.port))))).kind).toBe(
      'success',
    );
    expect(server.received).toHaveLength(1);
  });

  it('disables an endpoint whose URL can never be delivered to (scheme, credentials, port), sending nothing', async () => {
    const server = await receiver();
    const made = sender();
    for (const [url, code] of [
      [`ftp://127.0.0.1:${server.port}/`, 'WEBHOOK_URL_INVALID'],
      [`http://user:pw@127.0.0.1:${server.port}/`, 'WEBHOOK_URL_INVALID'],
      ['http://127.0.0.1:25/', 'WEBHOOK_URL_FORBIDDEN_PORT'],
    ] as const) {
      expect(await made.send(attempt(url)), url).toMatchObject({ kind: 'disable', code });
    }
    expect(server.received).toHaveLength(0);
  });

  it('refuses a name whose resolver answers private, and one answering public first and private second', async () => {
    const server = await receiver();
    const table: Record<string, string[]> = {
      'private.test': ['127.0.0.1'],
      'split.test': ['93.184.215.14', '127.0.0.1'],
    };
    const resolve: ResolveHost = async (name) => table[name]!.map((address) => ({ address, family: 4 }));
    const made = createWebhookSender({ policy: createAddressPolicy({ resolve }) });
    cleanups.push(() => made.close());
    for (const host of ['private.test', 'split.test']) {
      expect(await made.send(attempt(`http://${host}:${server.port}/`))).toMatchObject({
        code: 'WEBHOOK_URL_FORBIDDEN_ADDRESS',
      });
    }
    expect(server.received).toHaveLength(0);
  });

  it('pins the connection to the checked address: the resolver is asked once, and a different second answer is never used', async () => {
    const server = await receiver();
    const answers = ['127.0.0.1', '127.0.0.2']; // a rebinding resolver: first the good answer, then another
    const asked: string[] = [];
    const resolve: ResolveHost = async (name) => {
      asked.push(name);
      return [{ address: answers[Math.min(asked.length - 1, 1)]!, family: 4 }];
    };
    const made = createWebhookSender({ policy: createAddressPolicy({ allow: ['127.0.0.0/8'], resolve }) });
    cleanups.push(() => made.close());
    // `.invalid` never resolves in real DNS: a delivery can only arrive through the pinned lookup
    const outcome = await made.send(attempt(`http://rebind.invalid:${server.port}/hook`));
    expect(outcome).toMatchObject({ kind: 'success', remoteAddress: '127.0.0.1' });
    expect(asked).toEqual(['rebind.invalid']);
    expect(server.received[0]!.headers.host).toBe(`rebind.invalid:${server.port}`);
  });

  it('reaches an IPv6 loopback receiver when ::1 is allow-listed', async (context) => {
    let server: Awaited<ReturnType<typeof receiver>>;
    try {
      server = await receiver(undefined, { host: '::1' });
    } catch {
      return context.skip(); // no IPv6 on this machine
    }
    const outcome = await sender({}, ['::1']).send(attempt(server.url));
    expect(outcome).toMatchObject({ kind: 'success', remoteAddress: '::1' });
  });
});

let tls: Tls | undefined;
let tlsDir: string | undefined;
beforeAll(() => {
  try {
    tlsDir = mkdtempSync(join(tmpdir(), 'webhook-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=hooks.test',
        '-addext',
        'subjectAltName=DNS:hooks.test',
        '-keyout',
        join(tlsDir, 'key.pem'),
        '-out',
        join(tlsDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    tls = {
      key: readFileSync(join(tlsDir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(tlsDir, 'cert.pem'), 'utf8'),
    };
  } catch {
    tls = undefined; // no openssl: the TLS specs skip
  }
});
afterAll(() => {
  if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
});

describe('TLS', () => {
  const names: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
  const tlsSender = (ca?: string) => {
    const made = createWebhookSender({
      policy: createAddressPolicy({ allow: ['127.0.0.1'], resolve: names }),
      timeoutMs: 2000,
      ...(ca ? { ca } : {}),
    });
    cleanups.push(() => made.close());
    return made;
  };

  it('verifies the certificate against the host name (SNI = host) while connecting to the pinned address', async (context) => {
    if (!tls) return context.skip();
    const server = await receiver(undefined, { tls });
    const outcome = await tlsSender(tls.cert).send(attempt(`https://hooks.test:${server.port}/in`));
    expect(outcome).toMatchObject({ kind: 'success', remoteAddress: '127.0.0.1' });
    expect(server.received[0]!.servername).toBe('hooks.test');
  });

  it('fails with WEBHOOK_TLS_FAILED for an untrusted certificate or one for another name', async (context) => {
    if (!tls) return context.skip();
    const server = await receiver(undefined, { tls });
    expect(await tlsSender().send(attempt(`https://hooks.test:${server.port}/in`))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_TLS_FAILED',
    });
    expect(await tlsSender(tls.cert).send(attempt(`https://other.test:${server.port}/in`))).toMatchObject({
      kind: 'retry',
      code: 'WEBHOOK_TLS_FAILED',
    });
    expect(server.received).toHaveLength(0);
  });
});
