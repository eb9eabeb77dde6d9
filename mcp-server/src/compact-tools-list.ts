import type { ToolAnnotations, ToolDefinition } from '@airsuite/tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServedTools } from './served-tools.ts';

/** MCP's defaults for annotation hints: a hint equal to its default says nothing. */
const HINT_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

/** Drops what a JSON schema repeats on every object without telling a model anything. */
function compact(node: unknown, dropRequired: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => compact(item, dropRequired));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || (key === 'additionalProperties' && value === false)) continue;
    if (dropRequired && key === 'required') continue;
    out[key] = key === 'properties' || typeof value === 'object' ? compact(value, dropRequired) : value;
  }
  return out;
}

/**
 * Output schemas keep each top-level key and its JSON type; what is nested inside is
 * left open. A model learns result shapes from the text rendering and `structuredContent`
 * itself; clients still validate every result against this (looser) schema.
 */
function shallow(node: unknown, depth: number): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const schema = node as Record<string, unknown>;
  if (depth >= 2) return schema.type === undefined ? {} : { type: schema.type };
  const out: Record<string, unknown> = { ...schema };
  if (schema.properties && typeof schema.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, unknown>).map(([key, value]) => [
        key,
        shallow(value, depth + 1),
      ]),
    );
  }
  if (schema.items !== undefined) out.items = shallow(schema.items, depth + 1);
  return out;
}

/**
 * `minLength: 1`, JavaScript's safe-integer bounds and generous length caps (guards against
 * abuse, still enforced by zod) tell a model nothing it would act on.
 */
function dropNoise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropNoise);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minLength' && value === 1) continue;
    if (key === 'maxLength' && Number(value) >= 255) continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(Number(value)) === Number.MAX_SAFE_INTEGER)
      continue;
    out[key] = dropNoise(value);
  }
  return out;
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const converted = dropNoise(compact(z.toJSONSchema(schema, { target: 'draft-7', io }), io === 'output'));
  return (io === 'output' ? shallow(converted, 0) : converted) as Record<string, unknown>;
}

function hints(annotations: ToolAnnotations): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(HINT_DEFAULTS) as (keyof typeof HINT_DEFAULTS)[]) {
    // destructiveHint only means something for tools that write.
    if (key === 'destructiveHint' && annotations.readOnlyHint) continue;
    if (annotations[key] !== HINT_DEFAULTS[key]) out[key] = annotations[key];
  }
  return out;
}

export interface CompactTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: Record<string, boolean>;
}

/** Core tools are the same objects in every session: each is compacted once per process. */
const compacted = new WeakMap<ToolDefinition, CompactTool>();

/**
 * A tool as `tools/list` shows it, without what every tool would repeat: the `$schema` dialect
 * line (draft-07 is the MCP default), `additionalProperties:false` on every object, the default
 * `execution` block, annotation hints equal to MCP's defaults, and `required` lists in output
 * schemas (the server, not the model, produces outputs). The catalogue sits in the model's
 * context on every turn, so each character is paid for many times; calls are still validated
 * against the full zod schemas.
 */
export function compactTool(tool: ToolDefinition): CompactTool {
  let listed = compacted.get(tool);
  if (!listed) {
    listed = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.inputSchema, 'input'),
      outputSchema: jsonSchema(tool.outputSchema, 'output'),
      annotations: hints(tool.annotations),
    };
    compacted.set(tool, listed);
  }
  return listed;
}

/** Serves `tools/list` from the server's current tools (see ServedTools). */
export function serveCompactToolsList(server: McpServer, served: ServedTools): void {
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: served.listed() as never }));
}
