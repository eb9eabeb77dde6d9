import { z } from 'zod';
import { defineTool } from '../core/define-tool.ts';
import { platformAnnotations, requirePlatform, roleOutput } from './shared.ts';

export const whoamiTool = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Who you are on AirSuite: your user or API key, the current workspace, your role in it, and how you authenticated.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string().optional() }).optional(),
    api_key: z.object({ id: z.string(), name: z.string() }).optional(),
    workspace: z.object({ id: z.string(), name: z.string() }).optional(),
    role: roleOutput.optional(),
    authenticated_with: z.string().describe('access_token, api_key or standalone'),
  }),
  annotations: platformAnnotations('Who am I'),
  writes: false,
  platform: true,
  async handler(_input, ctx) {
    const me = await requirePlatform(ctx).whoami();
    return {
      ...(me.user ? { user: me.user } : {}),
      ...(me.apiKey ? { api_key: me.apiKey } : {}),
      ...(me.workspace ? { workspace: me.workspace } : {}),
      ...(me.role ? { role: me.role } : {}),
      authenticated_with: me.authenticatedWith,
    };
  },
  render(out) {
    const who = out.user
      ? `${out.user.name ? `${out.user.name} <${out.user.email}>` : out.user.email} (user ${out.user.id})`
      : out.api_key
        ? `API key "${out.api_key.name}" (${out.api_key.id})`
        : 'anonymous';
    const where = out.workspace
      ? `Workspace: ${out.workspace.name} (${out.workspace.id})${out.role ? `, role ${out.role}` : ''}`
      : 'No workspace';
    return `${who}, authenticated with ${out.authenticated_with}\n${where}`;
  },
});
