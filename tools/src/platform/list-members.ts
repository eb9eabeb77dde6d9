import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations, requirePlatform, roleOutput } from './shared.ts';

export const listMembersTool = defineTool({
  name: 'list_members',
  title: 'List members',
  description: 'Members of the current AirSuite workspace: user_id, email, name, role, joined_at.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    members: z.array(
      z.object({
        user_id: z.string(),
        email: z.string(),
        name: z.string().optional(),
        role: roleOutput,
        joined_at: z.string(),
      }),
    ),
  }),
  annotations: platformAnnotations('List members'),
  writes: false,
  platform: true,
  async handler(_input, ctx) {
    const members = await requirePlatform(ctx).listMembers();
    return {
      members: members.map((m) => ({
        user_id: m.userId,
        email: m.email,
        ...(m.name === undefined ? {} : { name: m.name }),
        role: m.role,
        joined_at: m.joinedAt,
      })),
    };
  },
  render: (out) =>
    out.members.length === 0
      ? 'No members.'
      : out.members
          .map((m) => `${m.user_id} ${m.name ? `${m.name} <${m.email}>` : m.email} (${m.role})`)
          .join('\n'),
});
