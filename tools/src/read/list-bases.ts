import { z } from 'zod';
import { isBaseAllowed } from '../airtable/access.ts';
import { callAirtable } from '../airtable/call-airtable.ts';
import { defineTool } from '../core/define-tool.ts';
import { readAnnotations } from './shared.ts';

export const listBasesTool = defineTool({
  name: 'list_bases',
  title: 'List bases',
  description: 'Airtable bases you can use (id, name, permission). Start here.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    bases: z.array(z.looseObject({ id: z.string() })),
  }),
  annotations: readAnnotations('List bases'),
  writes: false,
  async handler(_input, ctx) {
    const bases = await callAirtable(() => ctx.airtable.listBases({ signal: ctx.signal }));
    return {
      bases: bases
        .filter((b) => isBaseAllowed(ctx.policy, b.id))
        .map((b) => ({ id: b.id, name: b.name, permission: b.permissionLevel })),
    };
  },
  render: (out) =>
    out.bases.length === 0
      ? 'No bases available.'
      : out.bases.map((b) => `${b.id} ${b.name} (${b.permission})`).join('\n'),
});
