import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChatRig } from '../testing/chat-rig.ts';
import { type RunningOrchestratorServer, startOrchestratorServer } from './server.ts';

const rig = useChatRig();
let server: RunningOrchestratorServer;

beforeAll(async () => {
  const webRoot = await mkdtemp(join(tmpdir(), 'airsuite-web-'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>AirSuite</title>');
  await writeFile(join(webRoot, 'app.js'), 'console.log(1);');
  await writeFile(join(webRoot, '.secret.js'), 'no');
  server = await startOrchestratorServer({
    platform: rig.platform.platform(),
    chat: rig.chat(),
    port: 0,
    webRoot,
  });
});
afterAll(async () => {
  // fetch (undici) leaves pooled sockets that never carried a request; Node does not count them
  // as idle, so close() would wait for their header timeout. Every request here has finished.
  server?.app.server.closeAllConnections();
  await server?.close();
});

describe('startOrchestratorServer', () => {
  it('serves health, the web page files, and nothing outside them', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'ok' });
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('AirSuite');
    expect((await fetch(`${server.url}/app.js`)).headers.get('content-type')).toContain('text/javascript');
    // The page owns `/`; the API's index (platform and chat endpoints alike) is at `/v1`.
    const index = (await (await fetch(`${server.url}/v1`)).json()) as { name: string; endpoints: string[] };
    expect(index.name).toBe('AirSuite Chat API');
    expect(index.endpoints).toEqual(expect.arrayContaining(['POST /v1/conversations', 'GET /v1/me']));
    for (const path of ['/.secret.js', '/missing.js', '/..%2f..%2fetc%2fpasswd', '/v1/nothing']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('NOT_FOUND');
    }
  });

  it('keeps a run going when the client disconnects mid-stream', async () => {
    rig
      .gemini()
      .enqueue({ functionCalls: [{ name: 'list_bases', args: {} }] }, { text: 'Finished without you.' });
    const auth = rig.owner().auth;
    const created = await fetch(`${server.url}/v1/conversations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    const { id } = (await created.json()) as { id: string };
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'List my bases' }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    let status: string | undefined;
    for (let attempt = 0; attempt < 100 && status !== 'completed'; attempt++) {
      status = (await rig.chat().store.latestRun(id))?.status;
      if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('completed');
  });
});
