import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations, requirePlatform, roleOutput } from './shared.ts';

export const listWorkspacesTool = defineTool({
  name: 'list_workspaces',
  title: 'List workspaces',
  description:
    'AirSuite workspaces you belong to: id, name, your role, created_at. An API key sees only its own.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    workspaces: z.array(
      z.object({ id: z.string(), name: z.string(), role: roleOutput, created_at: z.string() }),
    ),
  }),
  annotations: platformAnnotations('List workspaces'),
  writes: false,
  platform: true,
  async handler(_input, ctx) {
    const workspaces = await requirePlatform(ctx).listWorkspaces();
    return {
      workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role, created_at: w.createdAt })),
    };
  },
  render: (out) =>
    out.workspaces.length === 0
      ? 'No workspaces.'
      : out.workspaces.map((w) => `${w.id} ${w.name} (${w.role})`).join('\n'),
});
