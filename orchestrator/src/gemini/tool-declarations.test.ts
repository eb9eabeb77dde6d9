import { createMcpServer } from '@airsuite/mcp-server';
import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import type { FunctionDeclaration } from '@google/genai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnsupportedKeywords, isPlainObject } from './gemini-schema-subset.ts';
import { GEMINI_FUNCTION_NAME, type McpTool, toFunctionDeclarations } from './tool-declarations.ts';

type Schema = Record<string, unknown>;

/** Every schema node of a declaration's parameters, with its path. */
function* schemaNodes(node: unknown, path = ''): Generator<[string, Schema]> {
  if (!isPlainObject(node)) return;
  yield [path, node];
  for (const key of ['properties', '$defs'] as const) {
    const children = node[key];
    if (isPlainObject(children))
      for (const [name, child] of Object.entries(children))
        yield* schemaNodes(child, `${path}/${key}/${name}`);
  }
  for (const key of ['anyOf', 'prefixItems'] as const) {
    const children = node[key];
    if (Array.isArray(children))
      for (const [i, child] of children.entries()) yield* schemaNodes(child, `${path}/${key}/${i}`);
  }
  yield* schemaNodes(node.items, `${path}/items`);
  yield* schemaNodes(node.additionalProperties, `${path}/additionalProperties`);
}

function propertyOf(declaration: FunctionDeclaration | undefined, ...path: string[]): Schema {
  let node = declaration?.parametersJsonSchema as Schema;
  for (const name of path) node = (node.properties as Record<string, Schema>)[name]!;
  return node;
}

describe('toFunctionDeclarations over the real catalogue, listed by the real MCP server', () => {
  let client: Client;
  let tools: McpTool[];
  let declarations: FunctionDeclaration[];
  const byName = (name: string) => declarations.find((d) => d.name === name);

  beforeAll(async () => {
    const server = createMcpServer({
      tools: createCatalogue(OPEN_POLICY, { platform: true }),
      policy: OPEN_POLICY,
      // Listing never calls a tool, so the caller context is never built.
      contextFor: () => {
        throw new Error('not called while listing');
      },
    });
    client = new Client({ name: 'gemini-declarations-test', version: '1.0.0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    ({ tools } = await client.listTools());
    declarations = toFunctionDeclarations(tools);
  });

  afterAll(async () => {
    await client.close();
  });

  it('declares every listed tool, platform tools included, under its own name', () => {
    const catalogue = createCatalogue(OPEN_POLICY, { platform: true }).map((t) => t.name);
    expect(tools.map((t) => t.name).sort()).toEqual([...catalogue].sort());
    expect(declarations.map((d) => d.name)).toEqual(tools.map((t) => t.name));
    expect(declarations.map((d) => d.name)).toContain('list_audit_events');
  });

  it('uses names Gemini accepts and never an empty description', () => {
    for (const declaration of declarations) {
      expect(declaration.name).toMatch(GEMINI_FUNCTION_NAME);
      expect(declaration.description?.trim()).toBeTruthy();
      expect(declaration.parameters).toBeUndefined();
    }
  });

  it('leaves nothing outside the documented subset, $schema included', () => {
    for (const declaration of declarations) {
      expect({
        tool: declaration.name,
        unsupported: findUnsupportedKeywords(declaration.parametersJsonSchema ?? {}),
      }).toEqual({
        tool: declaration.name,
        unsupported: [],
      });
      expect(JSON.stringify(declaration)).not.toContain('$schema');
    }
    // The raw listing does carry keywords Gemini does not document, so the check above has teeth.
    expect(tools.flatMap((t) => findUnsupportedKeywords(t.inputSchema)).length).toBeGreaterThan(0);
  });

  it('describes objects with required names that exist, enums of strings and no safe-integer bounds', () => {
    for (const declaration of declarations) {
      const root = declaration.parametersJsonSchema as Schema | undefined;
      if (root === undefined) continue;
      expect(root.type).toBe('object');
      for (const [path, node] of schemaNodes(root)) {
        const where = `${declaration.name}${path}`;
        if (node.required !== undefined) {
          const names = Object.keys((node.properties as Schema | undefined) ?? {});
          expect({ where, missing: (node.required as string[]).filter((r) => !names.includes(r)) }).toEqual({
            where,
            missing: [],
          });
        }
        for (const bound of ['minimum', 'maximum'] as const) {
          if (typeof node[bound] === 'number')
            expect(Math.abs(node[bound] as number), where).toBeLessThan(Number.MAX_SAFE_INTEGER);
        }
        if (node.enum !== undefined) {
          expect(Array.isArray(node.enum), where).toBe(true);
          expect((node.enum as unknown[]).length, where).toBeGreaterThan(0);
          for (const value of node.enum as unknown[]) expect(typeof value, where).toBe('string');
        }
      }
    }
  });

  it('converts record-valued fields, defaults and date-times into supported forms', () => {
    // z.record(...) → {propertyNames, additionalProperties: {}} → an open object.
    const fields = propertyOf(byName('create_records'), 'records');
    expect((fields.items as Schema).properties).toMatchObject({
      fields: { type: 'object', additionalProperties: true },
    });
    expect(JSON.stringify((fields.items as Schema).properties)).not.toContain('propertyNames');
    // A default is folded into the description; a date-time keeps its format, loses its regex.
    const limit = propertyOf(byName('list_audit_events'), 'limit');
    expect(limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(limit.default).toBeUndefined();
    expect(limit.description).toContain('Default: 25.');
    expect(propertyOf(byName('list_audit_events'), 'since')).toEqual({
      description: 'ISO date-time, inclusive',
      type: 'string',
      format: 'date-time',
    });
  });

  it('leaves out the parameters of a tool that takes none', () => {
    const bare = tools.filter((t) => Object.keys(t.inputSchema.properties ?? {}).length === 0);
    for (const tool of bare) expect(byName(tool.name)?.parametersJsonSchema).toBeUndefined();
  });
});
