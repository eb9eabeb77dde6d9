import { ApiError, type Content, type FunctionDeclaration, GoogleGenAI, type Part } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import { lastFunctionResponses } from './last-function-responses.ts';
import { type FakeGemini, type FakeGeminiOptions, startFakeGemini } from './start-fake-gemini.ts';

const MODEL = 'gemini-2.5-flash';

const LIST_RECORDS: FunctionDeclaration = {
  name: 'list_records',
  description: 'List the records of a table.',
  parametersJsonSchema: {
    type: 'object',
    properties: { baseId: { type: 'string' }, table: { type: 'string', const: 'Tasks' } },
    required: ['baseId'],
    additionalProperties: false,
  },
};
const GET_BASE: FunctionDeclaration = {
  name: 'get_base',
  description: 'Describe a base.',
  parametersJsonSchema: { type: 'object', properties: { baseId: { type: 'string' } } },
};
const TOOLS = [{ functionDeclarations: [LIST_RECORDS, GET_BASE] }];

let fake: FakeGemini | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGeminiOptions = {}): Promise<{ fake: FakeGemini; ai: GoogleGenAI }> {
  fake = await startFakeGemini(options);
  return { fake, ai: new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: fake.url } }) };
}

/** The `status` of the ApiError a call rejected with, and the Google error status code. */
async function rejection(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  const { status, message } = error as ApiError;
  return { status, code: JSON.parse(message).error.status };
}

function userText(text: string): Content {
  return { role: 'user', parts: [{ text }] };
}

describe('fake Gemini: function calling', () => {
  it('round-trips a call: the model turn echoed verbatim plus one functionResponse turn gets the final text', async () => {
    const { fake, ai } = await start({
      script: [
        { functionCalls: [{ name: 'list_records', args: { baseId: 'app1' } }], thoughtSignature: 'c2lnLTE=' },
        { text: 'You have 2 tasks.' },
      ],
    });
    const contents: Content[] = [userText('What tasks do I have?')];
    const first = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    expect(first.functionCalls).toEqual([{ name: 'list_records', args: { baseId: 'app1' } }]);
    expect(first.candidates?.[0]?.content?.parts?.[0]?.thoughtSignature).toBe('c2lnLTE=');

    contents.push(first.candidates![0]!.content!);
    contents.push({
      role: 'user',
      parts: [{ functionResponse: { name: 'list_records', response: { output: { records: ['a', 'b'] } } } }],
    });
    const second = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    expect(second.text).toBe('You have 2 tasks.');
    expect(fake.requests[1]!.body.contents[1]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { name: 'list_records', args: { baseId: 'app1' } }, thoughtSignature: 'c2lnLTE=' },
      ],
    });
    expect(fake.requests[1]!.body.tools?.[0]?.functionDeclarations?.[0]?.parametersJsonSchema).toEqual(
      LIST_RECORDS.parametersJsonSchema,
    );
  });

  it('streams text then the calls whole in one event, signed by a minted signature by default', async () => {
    const { ai } = await start({
      script: [
        {
          text: 'Let me look.',
          functionCalls: [{ name: 'get_base', args: { baseId: 'app1' }, id: 'call-1' }],
        },
        { text: 'Done.' },
      ],
    });
    const contents: Content[] = [userText('Describe app1')];
    const parts: Part[] = [];
    for await (const chunk of await ai.models.generateContentStream({
      model: MODEL,
      contents,
      config: { tools: TOOLS },
    })) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    }
    expect(parts.map((part) => part.text ?? part.functionCall?.name)).toEqual([
      'Let ',
      'me ',
      'look.',
      'get_base',
    ]);
    const call = parts.at(-1)!;
    expect(call.functionCall).toEqual({ name: 'get_base', args: { baseId: 'app1' }, id: 'call-1' });
    expect(call.thoughtSignature).toEqual(expect.any(String));

    contents.push({ role: 'model', parts });
    contents.push({
      role: 'user',
      parts: [
        { functionResponse: { id: 'call-1', name: 'get_base', response: { output: { name: 'CRM' } } } },
      ],
    });
    const final = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    expect(final.text).toBe('Done.');
  });

  it('answers parallel calls with one user turn of two functionResponse parts (output and error)', async () => {
    const { ai } = await start({
      script: [
        {
          functionCalls: [
            { name: 'get_base', args: { baseId: 'app1' } },
            { name: 'list_records', args: { baseId: 'app1' } },
          ],
        },
        { text: 'CRM has tasks, but listing failed.' },
      ],
    });
    const contents: Content[] = [userText('Describe app1 and its tasks')];
    const first = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    expect(first.functionCalls?.map((call) => call.name)).toEqual(['get_base', 'list_records']);
    const modelParts = first.candidates![0]!.content!.parts!;
    expect(modelParts[0]!.thoughtSignature).toEqual(expect.any(String));
    expect(modelParts[1]!.thoughtSignature).toBeUndefined();

    contents.push(first.candidates![0]!.content!);
    contents.push({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_base', response: { output: { name: 'CRM' } } } },
        {
          functionResponse: { name: 'list_records', response: { error: { code: 'AIRTABLE_RATE_LIMITED' } } },
        },
      ],
    });
    const second = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    expect(second.text).toBe('CRM has tasks, but listing failed.');
  });

  it('rejects a history whose function call lost its thought signature with 400, consuming no turn', async () => {
    const { fake, ai } = await start({
      script: [{ functionCalls: [{ name: 'get_base', args: { baseId: 'app1' } }] }, { text: 'unreached' }],
    });
    const contents: Content[] = [userText('Describe app1')];
    const first = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    const rebuilt: Content = { role: 'model', parts: [{ functionCall: first.functionCalls![0]! }] };
    const answer: Content = {
      role: 'user',
      parts: [{ functionResponse: { name: 'get_base', response: { output: {} } } }],
    };
    const dropped = ai.models.generateContent({ model: MODEL, contents: [...contents, rebuilt, answer] });
    expect(await rejection(dropped)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });

    const tampered: Content = {
      role: 'model',
      parts: [{ functionCall: first.functionCalls![0]!, thoughtSignature: 'Zm9v' }],
    };
    const corrupted = ai.models.generateContent({ model: MODEL, contents: [...contents, tampered, answer] });
    expect(await rejection(corrupted)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(fake.remaining()).toBe(1);
  });

  it('rejects a functionResponse turn whose count or ids do not match the calls with 400', async () => {
    const { ai } = await start({
      script: [
        {
          functionCalls: [
            { name: 'get_base', args: { baseId: 'app1' }, id: 'a' },
            { name: 'get_base', args: { baseId: 'app2' }, id: 'b' },
          ],
        },
      ],
    });
    const contents: Content[] = [userText('Describe app1 and app2')];
    const first = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    contents.push(first.candidates![0]!.content!);
    const one = ai.models.generateContent({
      model: MODEL,
      contents: [
        ...contents,
        { role: 'user', parts: [{ functionResponse: { id: 'a', name: 'get_base', response: {} } }] },
      ],
    });
    expect(await rejection(one)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });

    const wrongId = ai.models.generateContent({
      model: MODEL,
      contents: [
        ...contents,
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'a', name: 'get_base', response: {} } },
            { functionResponse: { id: 'c', name: 'get_base', response: {} } },
          ],
        },
      ],
    });
    expect(await rejection(wrongId)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });

    const textOnly = ai.models.generateContent({
      model: MODEL,
      contents: [...contents, userText('never mind')],
    });
    expect(await rejection(textOnly)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
  });

  it('rejects additionalProperties in `parameters` with 400 while `parametersJsonSchema` passes', async () => {
    const { fake, ai } = await start({ script: [{ text: 'fine' }] });
    // On the wire: Google's "Unknown name" error, pointing at the declaration.
    const wire = await fetch(`${fake.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'x' }] }],
        tools: [
          {
            functionDeclarations: [
              GET_BASE,
              { name: 'f', parameters: { type: 'OBJECT', additionalProperties: false } },
            ],
          },
        ],
      }),
    });
    expect(wire.status).toBe(400);
    const envelope = (await wire.json()) as {
      error: { status: string; details: { fieldViolations: { field: string }[] }[] };
    };
    expect(envelope.error.status).toBe('INVALID_ARGUMENT');
    expect(envelope.error.details[0]!.fieldViolations[0]!.field).toBe(
      'tools[0].function_declarations[1].parameters',
    );

    // Through the SDK: it strips additionalProperties from `parameters` itself, but not `const`.
    const openApi = {
      name: 'list_records',
      parameters: {
        type: 'object',
        properties: { table: { type: 'string', const: 'Tasks' } },
        additionalProperties: false,
      },
    } as unknown as FunctionDeclaration;
    const rejected = ai.models.generateContent({
      model: MODEL,
      contents: 'x',
      config: { tools: [{ functionDeclarations: [openApi] }] },
    });
    expect(await rejection(rejected)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(fake.requests[1]!.body.tools?.[0]?.functionDeclarations?.[0]?.parameters).toEqual({
      type: 'OBJECT',
      properties: { table: { type: 'STRING', const: 'Tasks' } },
    });

    const accepted = await ai.models.generateContent({
      model: MODEL,
      contents: 'x',
      config: { tools: TOOLS },
    });
    expect(accepted.text).toBe('fine');
  });

  it('rejects `$schema` inside parametersJsonSchema with 400', async () => {
    const { ai } = await start({ script: [{ text: 'unreached' }] });
    const withDollarSchema: FunctionDeclaration = {
      name: 'get_base',
      parametersJsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
    };
    const call = ai.models.generateContent({
      model: MODEL,
      contents: 'x',
      config: { tools: [{ functionDeclarations: [withDollarSchema] }] },
    });
    expect(await rejection(call)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });

    // The SDK moves `parameters` with a top-level `$schema` to parametersJsonSchema, `$schema` included.
    const moved = {
      name: 'get_base',
      parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
    };
    const viaParameters = ai.models.generateContent({
      model: MODEL,
      contents: 'x',
      config: { tools: [{ functionDeclarations: [moved as FunctionDeclaration] }] },
    });
    expect(await rejection(viaParameters)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(Object.keys(moved)).toEqual(['name', 'parametersJsonSchema']);
  });

  it('lets a responder react to the last functionResponse', async () => {
    const { fake, ai } = await start();
    fake.respondWith((request) => {
      const [response] = lastFunctionResponses(request);
      if (!response) return { functionCalls: [{ name: 'get_base', args: { baseId: 'app1' } }] };
      return response.response.error
        ? { text: 'The tool failed.' }
        : { text: `Base is ${JSON.stringify(response.response.output)}` };
    });
    const contents: Content[] = [userText('Describe app1')];
    const first = await ai.models.generateContent({ model: MODEL, contents, config: { tools: TOOLS } });
    contents.push(first.candidates![0]!.content!);
    const answered = (response: Record<string, unknown>): Content[] => [
      ...contents,
      { role: 'user', parts: [{ functionResponse: { name: 'get_base', response } }] },
    ];
    const ok = await ai.models.generateContent({ model: MODEL, contents: answered({ output: 'CRM' }) });
    expect(ok.text).toBe('Base is "CRM"');
    const failed = await ai.models.generateContent({
      model: MODEL,
      contents: answered({ error: 'NOT_FOUND' }),
    });
    expect(failed.text).toBe('The tool failed.');
  });
});

describe('fake Gemini: request validation', () => {
  it('rejects roles other than user/model and empty parts with 400', async () => {
    const { fake, ai } = await start({ script: [{ text: 'unreached' }] });
    const badRole = ai.models.generateContent({
      model: MODEL,
      contents: [{ role: 'assistant', parts: [{ text: 'hi' }] }],
    });
    expect(await rejection(badRole)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    const noParts = ai.models.generateContent({
      model: MODEL,
      contents: [userText('hi'), { role: 'model', parts: [] }],
    });
    expect(await rejection(noParts)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    const orphan = ai.models.generateContent({
      model: MODEL,
      contents: [{ role: 'user', parts: [{ functionResponse: { name: 'get_base', response: {} } }] }],
    });
    expect(await rejection(orphan)).toEqual({ status: 400, code: 'INVALID_ARGUMENT' });
    const empty = await fetch(`${fake.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      body: JSON.stringify({ contents: [] }),
    });
    expect(empty.status).toBe(400);
    expect(fake.remaining()).toBe(1);
  });
});
