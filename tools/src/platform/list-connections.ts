import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations, requirePlatform } from './shared.ts';

export const listConnectionsTool = defineTool({
  name: 'list_connections',
  title: 'List connections',
  description:
    'Airtable connections of the current AirSuite workspace: id, name, masked token_hint (never the token), the bases it is limited to (absent: all), is_default.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    connections: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        token_hint: z.string(),
        bases: z.array(z.string()).optional(),
        created_at: z.string(),
        is_default: z.boolean(),
      }),
    ),
  }),
  annotations: platformAnnotations('List connections'),
  writes: false,
  platform: true,
  async handler(_input, ctx) {
    const connections = await requirePlatform(ctx).listConnections();
    // Field by field, so nothing the port might carry beyond the hint (a token) can slip through.
    return {
      connections: connections.map((c) => ({
        id: c.id,
        name: c.name,
        token_hint: c.tokenHint,
        ...(c.bases === undefined ? {} : { bases: [...c.bases] }),
        created_at: c.createdAt,
        is_default: c.isDefault,
      })),
    };
  },
  render: (out) =>
    out.connections.length === 0
      ? 'No connections.'
      : out.connections
          .map(
            (c) =>
              `${c.id} ${c.name} ${c.token_hint}${c.is_default ? ' [default]' : ''} bases: ${c.bases?.join(', ') ?? 'all'}`,
          )
          .join('\n'),
});
