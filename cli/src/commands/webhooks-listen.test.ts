import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type CuttableLink,
  type RigUser,
  SAMPLE_CRM,
  startCuttableLink,
  usePlatformRig,
} from '@airsuite/platform-api/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingIo } from '../test-io.ts';
import { runWebhooksListen } from './webhooks-listen.ts';

/**
 * `airsuite webhooks listen` end to end: a real platform listening on a port (behind a link the
 * spec can cut), the command as a child process, a local receiver, and record changes made
 * through the platform's tools.
 */

const BIN = fileURLToPath(new URL('../../bin/airsuite.js', import.meta.url));
const rig = usePlatformRig();

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let owner: RigUser;
let workspace: string;
let adminKey: string;
let platformUrl: string;
let link: CuttableLink;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

async function until<T>(probe: () => T, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Listener {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function listen(args: string[], env: Record<string, string>): Listener {
  const child = spawn(process.execPath, [BIN, 'webhooks', 'listen', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = (stream: NodeJS.ReadableStream | null, into: string[]) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      into.push(...parts);
    });
  };
  const stdout: string[] = [];
  const stderr: string[] = [];
  lines(child.stdout, stdout);
  lines(child.stderr, stderr);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exit };
}

const createCompanies = async (names: string[]) => {
  const created = await rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
    auth: owner.auth,
    body: { base_id: SAMPLE_CRM, table: 'Companies', records: names.map((Name) => ({ fields: { Name } })) },
  });
  expect(created.statusCode).toBe(200);
};

interface Envelope {
  id: string;
  type: string;
  data: { record?: { fields: { Name?: string } } };
}

const envelopes = () => received.map((r) => JSON.parse(r.body) as Envelope);
const namesReceived = () =>
  envelopes()
    .filter((e) => e.type === 'record.created')
    .map((e) => e.data.record?.fields.Name);

beforeAll(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  adminKey = (await rig.apiKey(owner, workspace, 'admin')).key;
  await rig.app().listen({ port: 0, host: '127.0.0.1' });
  link = await startCuttableLink(`http://127.0.0.1:${(rig.app().server.address() as AddressInfo).port}`);
  platformUrl = link.url.replace(/\/$/, '');
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}, 60_000);

afterAll(async () => {
  await link?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('airsuite webhooks listen', () => {
  it('forwards record changes to a local server, signed with the secret it printed, and picks up after a drop without losing one', async () => {
    const cli = listen(['--forward-to', receiverUrl, '--events', 'record.*', '--platform-url', platformUrl], {
      AIRSUITE_API_KEY: adminKey,
    });
    try {
      await until(
        () => cli.stdout,
        (lines) => lines.some((line) => line.startsWith('Ready:')),
      );
      const secret = /(whsec_[A-Za-z0-9+/=]+)/.exec(cli.stdout.join('\n'))?.[1] ?? '';
      expect(secret).not.toBe('');
      expect(cli.stdout.join('\n')).toContain(`of ${workspace} from ${platformUrl} to ${receiverUrl}`);

      await createCompanies(['Forwarded']);
      await until(namesReceived, (names) => names.length >= 1);
      const [first] = received;
      const verified = new Webhook(secret).verify(
        first?.body ?? '',
        first?.headers as Record<string, string>,
      );
      expect(verified).toMatchObject({ type: 'record.created', workspace_id: workspace });
      expect(first?.headers['webhook-id']).toBe(envelopes()[0]?.id);
      expect(first?.headers['content-type']).toBe('application/json');
      const line = await until(
        () => cli.stdout.find((l) => l.includes(envelopes()[0]?.id ?? '?')),
        (found) => found !== undefined,
      );
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z {2}record\.created {2}evt_\S+ {2}→ 202 {2}\(\d+ ms\)$/);

      // The connection drops; changes keep coming meanwhile; once it is back they all arrive.
      await link.cut();
      await until(
        () => cli.stderr,
        (lines) => lines.some((l) => l.startsWith('Connection lost')),
      );
      await createCompanies(['While away 1', 'While away 2']);
      await link.restore();
      await createCompanies(['After']);
      const names = await until(namesReceived, (got) => got.length >= 4);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(namesReceived()).toEqual(['Forwarded', 'While away 1', 'While away 2', 'After']);
      expect(names).toHaveLength(4);
      for (const request of received) {
        expect(() =>
          new Webhook(secret).verify(request.body, request.headers as Record<string, string>),
        ).not.toThrow();
      }

      // Ctrl-C: a clean exit.
      cli.child.kill('SIGINT');
      expect(await cli.exit).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('airsuite webhooks listen, refused', () => {
  async function run(env: Record<string, string>, flags: Record<string, string> = {}) {
    const { io, out, stop } = recordingIo();
    const error = await runWebhooksListen({ forwardTo: receiverUrl, platformUrl, ...flags }, io, env).then(
      () => undefined,
      (e: unknown) => e as { exitCode: number; message: string },
    );
    stop();
    return { error, out };
  }

  it('exits 2 when the API key is refused', async () => {
    const { error } = await run({ AIRSUITE_API_KEY: 'ask_live_notARealKey000000000000' });
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('the API key was refused');
  });

  it('exits 2 for a workspace the key cannot reach, or a key below admin', async () => {
    const elsewhere = await rig.workspace(owner);
    const otherWorkspace = await run({ AIRSUITE_API_KEY: adminKey }, { workspace: elsewhere });
    expect(otherWorkspace.error?.exitCode).toBe(2);
    expect(otherWorkspace.error?.message).toContain(`workspace ${elsewhere} is not visible`);
    const editor = await rig.apiKey(owner, workspace, 'editor');
    const belowAdmin = await run({ AIRSUITE_API_KEY: editor.key });
    expect(belowAdmin.error?.exitCode).toBe(2);
    expect(belowAdmin.error?.message).toContain('admin');
  });

  it('exits 2 for an unknown event type, 1 when no platform answers', async () => {
    const badEvents = await run({ AIRSUITE_API_KEY: adminKey }, { events: 'recrd.*' });
    expect(badEvents.error?.exitCode).toBe(2);
    expect(badEvents.error?.message).toContain('WEBHOOK_EVENT_TYPE_UNKNOWN');
    const nobody = await run({ AIRSUITE_API_KEY: adminKey }, { platformUrl: 'http://127.0.0.1:9' });
    expect(nobody.error?.exitCode).toBe(1);
    expect(nobody.error?.message).toContain('cannot reach the platform at http://127.0.0.1:9');
  });
});
