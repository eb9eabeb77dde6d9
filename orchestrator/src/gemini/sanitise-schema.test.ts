import { describe, expect, it } from 'vitest';
import { findUnsupportedKeywords, GEMINI_SCHEMA_KEYWORDS } from './gemini-schema-subset.ts';
import { sanitiseSchema } from './sanitise-schema.ts';
import { GeminiDeclarationError, type McpTool, toFunctionDeclarations } from './tool-declarations.ts';

const SAFE = Number.MAX_SAFE_INTEGER;

describe('sanitiseSchema', () => {
  it('strips the draft-7 envelope and zod int bounds, keeping real bounds and descriptions', () => {
    const out = sanitiseSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'x',
      $comment: 'internal',
      type: 'object',
      additionalProperties: false,
      properties: {
        count: { type: 'integer', minimum: -SAFE, maximum: SAFE, description: 'How many' },
        page: { type: 'integer', minimum: 1, maximum: SAFE, examples: [1, 2] },
      },
      required: ['count', 'ghost'],
    });
    expect(out).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        count: { type: 'integer', description: 'How many' },
        page: { type: 'integer', minimum: 1 },
      },
      required: ['count'],
    });
    expect(findUnsupportedKeywords(out)).toEqual([]);
  });

  it('turns const into a one-value enum', () => {
    expect(sanitiseSchema({ type: 'string', const: 'a' })).toEqual({ type: 'string', enum: ['a'] });
    expect(sanitiseSchema({ type: 'integer', const: 3 })).toEqual({ type: 'integer', enum: [3] });
    expect(sanitiseSchema({ type: 'boolean', const: true })).toEqual({ type: 'boolean' });
  });

  it('turns a discriminated union (oneOf of consts) into anyOf of enums', () => {
    const out = sanitiseSchema({
      oneOf: [
        { type: 'object', properties: { k: { type: 'string', const: 'a' } }, required: ['k'] },
        {
          type: 'object',
          properties: { k: { type: 'string', const: 'b' }, x: { type: 'number', exclusiveMinimum: 0 } },
          required: ['k', 'x'],
        },
      ],
    });
    expect(out).toEqual({
      anyOf: [
        { type: 'object', properties: { k: { type: 'string', enum: ['a'] } }, required: ['k'] },
        {
          type: 'object',
          properties: { k: { type: 'string', enum: ['b'] }, x: { type: 'number', minimum: 0 } },
          required: ['k', 'x'],
        },
      ],
    });
    expect(findUnsupportedKeywords(out)).toEqual([]);
  });

  it('makes exclusive bounds inclusive: exact for integers, loosened for numbers', () => {
    expect(sanitiseSchema({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 9,
    });
    expect(sanitiseSchema({ type: 'integer', exclusiveMinimum: 0.5 })).toEqual({
      type: 'integer',
      minimum: 1,
    });
    expect(sanitiseSchema({ type: 'number', exclusiveMaximum: 1 })).toEqual({ type: 'number', maximum: 1 });
    // Draft 4's boolean form, and a stricter inclusive bound that wins.
    expect(sanitiseSchema({ type: 'integer', minimum: 5, exclusiveMinimum: true })).toEqual({
      type: 'integer',
      minimum: 6,
    });
    expect(sanitiseSchema({ type: 'integer', minimum: 5, exclusiveMinimum: 0 })).toEqual({
      type: 'integer',
      minimum: 5,
    });
  });

  it('keeps nullable types and anyOf with null, splits wider type unions', () => {
    expect(sanitiseSchema({ type: ['string', 'null'] })).toEqual({ type: ['string', 'null'] });
    expect(sanitiseSchema({ anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(sanitiseSchema({ type: ['string', 'number'], description: 'id or index' })).toEqual({
      description: 'id or index',
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('sanitises nested arrays of objects all the way down', () => {
    const out = sanitiseSchema({
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          uniqueItems: true,
          items: {
            type: 'object',
            properties: {
              tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$', maxLength: 20 } },
              cells: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    at: { type: 'string', format: 'date-time' },
                    mail: { type: 'string', format: 'email' },
                  },
                  propertyNames: { type: 'string' },
                  additionalProperties: {},
                  required: ['at'],
                },
              },
            },
          },
        },
      },
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: {
            type: 'object',
            properties: {
              tags: { type: 'array', items: { type: 'string' } },
              cells: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { at: { type: 'string', format: 'date-time' }, mail: { type: 'string' } },
                  additionalProperties: true,
                  required: ['at'],
                },
              },
            },
          },
        },
      },
    });
    expect(findUnsupportedKeywords(out)).toEqual([]);
  });

  it('moves draft-7 definitions to $defs and keeps recursive $refs', () => {
    const out = sanitiseSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { tree: { $ref: '#/definitions/__schema0' }, other: { $ref: 'https://example.com/x' } },
      definitions: {
        __schema0: {
          type: 'object',
          properties: {
            v: { type: 'string' },
            kids: { type: 'array', items: { $ref: '#/definitions/__schema0' } },
          },
        },
      },
    });
    expect(out).toEqual({
      type: 'object',
      properties: { tree: { $ref: '#/$defs/__schema0' }, other: {} },
      $defs: {
        __schema0: {
          type: 'object',
          properties: {
            v: { type: 'string' },
            kids: { type: 'array', items: { $ref: '#/$defs/__schema0' } },
          },
        },
      },
    });
    expect(findUnsupportedKeywords(out)).toEqual([]);
  });

  it('folds defaults into descriptions, merges allOf and turns tuples into prefixItems', () => {
    expect(sanitiseSchema({ type: 'integer', default: 25, description: 'Page size' })).toEqual({
      type: 'integer',
      description: 'Page size. Default: 25.',
    });
    expect(
      sanitiseSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'string' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      required: ['a', 'b'],
    });
    expect(sanitiseSchema({ type: 'array', items: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('keeps only string and number enum values, and drops an enum left empty', () => {
    expect(sanitiseSchema({ enum: ['a', 1, null, true, 'a'] })).toEqual({ enum: ['a', 1] });
    expect(sanitiseSchema({ type: 'string', enum: [null] })).toEqual({ type: 'string' });
  });
});

describe('findUnsupportedKeywords', () => {
  it('reports keyword paths, bad types and rejected formats, but not property names', () => {
    expect(
      findUnsupportedKeywords({
        $schema: 'x',
        type: 'object',
        properties: {
          const: { type: 'string', const: 'a' },
          when: { type: 'string', format: 'uri' },
          n: { type: 'integer', exclusiveMinimum: 0 },
          any: { type: 'any' },
          list: { type: 'array', items: { oneOf: [{ type: 'string' }] } },
        },
      }),
    ).toEqual([
      '/$schema',
      '/properties/const/const',
      '/properties/when/format',
      '/properties/n/exclusiveMinimum',
      '/properties/any/type',
      '/properties/list/items/oneOf',
    ]);
  });

  it('accepts every documented keyword', () => {
    expect(GEMINI_SCHEMA_KEYWORDS).toEqual(
      expect.arrayContaining(['type', 'properties', 'required', 'items', 'enum', 'anyOf', '$ref', '$defs']),
    );
  });
});

describe('toFunctionDeclarations', () => {
  const tool = (overrides: Partial<McpTool>): McpTool => ({
    name: 'list_things',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    ...overrides,
  });

  it('falls back to the title, then the name, for an empty description', () => {
    const [fromTitle, fromName] = toFunctionDeclarations([
      tool({ description: '  ', title: 'List things' }),
      tool({ name: 'get_thing.v2' }),
    ]);
    expect(fromTitle?.description).toBe('List things');
    expect(fromName?.description).toBe('get thing v2');
  });

  it('throws GEMINI_INVALID_FUNCTION_NAME for a name Gemini rejects', () => {
    const codes = ['1tool', 'has space', 'a'.repeat(65), 'ns:tool'].map((name) => {
      try {
        toFunctionDeclarations([tool({ name })]);
        return 'accepted';
      } catch (error) {
        return error instanceof GeminiDeclarationError ? error.code : 'other error';
      }
    });
    expect(codes).toEqual(Array(4).fill('GEMINI_INVALID_FUNCTION_NAME'));
  });
});
