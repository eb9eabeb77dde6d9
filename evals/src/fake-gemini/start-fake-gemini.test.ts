import { ApiError, GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGemini, type FakeGeminiOptions, startFakeGemini } from './start-fake-gemini.ts';
import { estimatePromptTokens } from './usage.ts';

const MODEL = 'gemini-2.5-flash';
const API_KEY = 'test-key-123';

let fake: FakeGemini | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGeminiOptions = {}): Promise<{ fake: FakeGemini; ai: GoogleGenAI }> {
  fake = await startFakeGemini(options);
  return { fake, ai: new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: fake.url } }) };
}

/**
 * The ApiError a call rejected with, plus the Google envelope its message carries: the whole
 * message for an HTTP error, after a `got status: X. ` prefix for an error event mid-stream.
 */
async function apiErrorOf(
  promise: Promise<unknown>,
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  return { status: apiError.status, body: JSON.parse(apiError.message.slice(apiError.message.indexOf('{'))) };
}

describe('startFakeGemini: text', () => {
  it('answers generateContent in Gemini’s shape, with usage estimated from the request', async () => {
    const { fake, ai } = await start({ script: [{ text: 'Hello there' }] });
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: 'Say hello',
      config: { systemInstruction: 'Be brief.' },
    });
    expect(response.text).toBe('Hello there');
    expect(response.candidates?.[0]).toMatchObject({
      content: { role: 'model', parts: [{ text: 'Hello there' }] },
      finishReason: 'STOP',
      index: 0,
    });
    expect(response.modelVersion).toBe(MODEL);
    expect(response.responseId).toBe('fake-gemini-response-1');
    const prompt = estimatePromptTokens(fake.requests[0]!.body);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: prompt,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 0,
      totalTokenCount: prompt + 3,
    });
    expect(fake.requests[0]).toMatchObject({
      path: `/v1beta/models/${MODEL}:generateContent`,
      model: MODEL,
      stream: false,
      body: {
        contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
      },
    });
    expect(fake.remaining()).toBe(0);
  });

  it('lets a turn override usage', async () => {
    const { ai } = await start({
      script: [{ text: 'ok', usage: { promptTokenCount: 1000, thoughtsTokenCount: 50 } }],
    });
    const response = await ai.models.generateContent({ model: MODEL, contents: 'x' });
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 1000,
      candidatesTokenCount: 1,
      thoughtsTokenCount: 50,
      totalTokenCount: 1051,
    });
  });

  it('streams text deltas, one event per chunk, finishReason and usage on the last', async () => {
    const { fake, ai } = await start({
      script: [{ text: ['Hel', 'lo ', 'world'] }, { text: 'one two three' }],
    });
    const chunks = [];
    for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'hi' })) {
      chunks.push(chunk);
    }
    expect(chunks.map((chunk) => chunk.text)).toEqual(['Hel', 'lo ', 'world']);
    expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([
      undefined,
      undefined,
      'STOP',
    ]);
    expect(chunks.map((chunk) => chunk.usageMetadata === undefined)).toEqual([true, true, false]);
    expect(fake.requests[0]).toMatchObject({
      path: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
      stream: true,
    });

    const words = [];
    for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'again' })) {
      words.push(chunk.text);
    }
    expect(words).toEqual(['one ', 'two ', 'three']);
  });

  it('takes turns from a responder once the script is used up', async () => {
    const { fake, ai } = await start({ script: [{ text: 'scripted' }] });
    fake.respondWith((request) => ({ text: `you sent ${request.body.contents.length} content(s)` }));
    expect((await ai.models.generateContent({ model: MODEL, contents: 'a' })).text).toBe('scripted');
    expect((await ai.models.generateContent({ model: MODEL, contents: 'b' })).text).toBe(
      'you sent 1 content(s)',
    );
  });

  it('waits latencyMs before answering and between streamed events', async () => {
    const { ai } = await start({ latencyMs: 40, script: [{ text: ['a', 'b', 'c'] }] });
    const started = Date.now();
    const arrivals: number[] = [];
    for await (const _chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'x' })) {
      arrivals.push(Date.now() - started);
    }
    expect(arrivals).toHaveLength(3);
    expect(arrivals[0]).toBeGreaterThanOrEqual(35);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(70);
  });

  it('answers v1 paths too', async () => {
    const { fake } = await start({ script: [{ text: 'v1' }] });
    const v1 = new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: fake.url, apiVersion: 'v1' } });
    expect((await v1.models.generateContent({ model: MODEL, contents: 'x' })).text).toBe('v1');
    expect(fake.requests[0]!.path).toBe(`/v1/models/${MODEL}:generateContent`);
  });
});

describe('startFakeGemini: errors', () => {
  it('answers 429 with Retry-After and RetryInfo, which the SDK surfaces as ApiError 429 without retrying', async () => {
    const { fake, ai } = await start({
      script: [
        {
          error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' },
          retryAfterSeconds: 7,
        },
      ],
    });
    const { status, body } = await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'x' }));
    expect(status).toBe(429);
    expect(body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
    });
    expect(fake.requests).toHaveLength(1);

    fake.enqueue({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota' },
      retryAfterSeconds: 3,
    });
    const raw = await fetch(`${fake.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('3');
  });

  it('answers 500 and 503 as ApiError with that status', async () => {
    const { ai } = await start({
      script: [
        { error: { code: 500, status: 'INTERNAL', message: 'An internal error has occurred.' } },
        { error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } },
      ],
    });
    const internal = await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'x' }));
    expect(internal.status).toBe(500);
    expect(internal.body.error.status).toBe('INTERNAL');
    const unavailable = await apiErrorOf(ai.models.generateContentStream({ model: MODEL, contents: 'x' }));
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error.status).toBe('UNAVAILABLE');
  });

  it('fails a stream mid-way: the text before arrives, then the iterator throws ApiError', async () => {
    const { ai } = await start({
      script: [
        { errorMidStream: { code: 500, status: 'INTERNAL', message: 'boom' }, textBefore: 'Partial ' },
      ],
    });
    const texts: (string | undefined)[] = [];
    const consume = async () => {
      for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'x' })) {
        texts.push(chunk.text);
      }
    };
    const { status, body } = await apiErrorOf(consume());
    expect(status).toBe(500);
    expect(body.error).toMatchObject({ code: 500, status: 'INTERNAL' });
    expect(texts).toEqual(['Partial ']);
  });

  it('fails a stream at its first event: the SDK call itself rejects', async () => {
    const { ai } = await start({
      script: [{ errorMidStream: { code: 503, status: 'UNAVAILABLE', message: 'overloaded' } }],
    });
    const consume = async () => {
      for await (const _chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'x' })) {
        // nothing arrives
      }
    };
    const { status } = await apiErrorOf(consume());
    expect(status).toBe(503);
  });

  it('answers 500 INTERNAL when the script is exhausted', async () => {
    const { ai } = await start();
    const { status, body } = await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'x' }));
    expect(status).toBe(500);
    expect(body.error.status).toBe('INTERNAL');
  });

  it('answers 500 INTERNAL when the responder throws', async () => {
    const { ai } = await start({
      script: () => {
        throw new Error('bad responder');
      },
    });
    const { status } = await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'x' }));
    expect(status).toBe(500);
  });

  it('answers 404 NOT_FOUND with Google’s envelope off the Gemini routes', async () => {
    const { fake } = await start({ script: [{ text: 'unused' }] });
    for (const [method, path] of [
      ['POST', `/v1beta/models/${MODEL}:countTokens`],
      ['GET', `/v1beta/models/${MODEL}:generateContent`],
      ['POST', `/v1beta/models/${MODEL}:streamGenerateContent`],
      ['POST', '/v2/models/x:generateContent'],
    ] as const) {
      const response = await fetch(`${fake.url}${path}`, {
        method,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    }
    expect(fake.remaining()).toBe(1);
  });

  it('rejects a body that is not JSON with 400 INVALID_ARGUMENT', async () => {
    const { fake } = await start({ script: [{ text: 'unused' }] });
    const response = await fetch(`${fake.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect(fake.remaining()).toBe(1);
  });
});

describe('startFakeGemini: API key', () => {
  it('answers 400 API_KEY_INVALID to a wrong key and 403 PERMISSION_DENIED to none', async () => {
    const { fake } = await start({ apiKey: 'the-right-key', script: [{ text: 'welcome' }] });
    const wrong = new GoogleGenAI({ apiKey: 'a-wrong-key', httpOptions: { baseUrl: fake.url } });
    const { status, body } = await apiErrorOf(wrong.models.generateContent({ model: MODEL, contents: 'x' }));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      details: [{ reason: 'API_KEY_INVALID' }],
    });

    const none = await fetch(`${fake.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      body: '{}',
    });
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });

    const right = new GoogleGenAI({ apiKey: 'the-right-key', httpOptions: { baseUrl: fake.url } });
    expect((await right.models.generateContent({ model: MODEL, contents: 'x' })).text).toBe('welcome');
  });

  it('records every request with the API key redacted', async () => {
    const { fake, ai } = await start({ apiKey: API_KEY, script: [{ text: 'ok' }] });
    await ai.models.generateContent({ model: MODEL, contents: 'x' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.headers['x-goog-api-key']).toBe('[REDACTED]');
    expect(JSON.stringify(fake.requests)).not.toContain(API_KEY);
  });
});

describe('startFakeGemini: hang', () => {
  it('holds a request until the client aborts; the SDK call rejects promptly', async () => {
    const { fake, ai } = await start({ script: [{ hang: true }, { hang: true }, { text: 'still alive' }] });
    const controller = new AbortController();
    const started = Date.now();
    const call = ai.models.generateContent({
      model: MODEL,
      contents: 'x',
      config: { abortSignal: controller.signal },
    });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);

    const streamController = new AbortController();
    const stream = ai.models.generateContentStream({
      model: MODEL,
      contents: 'x',
      config: { abortSignal: streamController.signal },
    });
    setTimeout(() => streamController.abort(), 50);
    await expect(stream).rejects.toMatchObject({ name: 'AbortError' });

    expect((await ai.models.generateContent({ model: MODEL, contents: 'x' })).text).toBe('still alive');
    expect(fake.requests).toHaveLength(3);
  });

  it('close() drops a hanging request instead of waiting for it', async () => {
    const { fake, ai } = await start({ script: [{ hang: true }] });
    const call = ai.models.generateContent({ model: MODEL, contents: 'x' });
    await expect.poll(() => fake.requests.length).toBe(1);
    await fake.close();
    await expect(call).rejects.toThrow();
  });
});
