import { PlatformError } from '../errors.ts';
import type { WorkspaceAccess } from '../principal.ts';
import { requireRole } from '../services/workspaces.ts';
import type { PluginRegistry } from './plugin-registry.ts';
import { minimumRoleOf, schemaOf } from './plugin-tools.ts';

/**
 * A caller's input to a plugin function, checked as the function's tool would take it: the
 * plugin's declared functions only (hooks are the platform's to call), the role its tool needs
 * (FORBIDDEN), its input schema (VALIDATION_FAILED, each problem under `input.`). The REST run
 * route and the run_plugin_function tool both ask this before the runtime runs anything.
 */
export async function checkedFunctionInput(
  registry: Pick<PluginRegistry, 'get'>,
  access: WorkspaceAccess,
  plugin: string,
  fn: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { manifest } = await registry.get(access, plugin);
  const declared = manifest.functions.find((f) => f.name === fn);
  if (!declared) {
    throw new PlatformError('PLUGIN_FUNCTION_NOT_FOUND', `plugin "${plugin}" has no function "${fn}"`);
  }
  requireRole(access, minimumRoleOf(declared), `running ${plugin}.${fn}`);
  const parsed = schemaOf(declared.input_schema).safeParse(input);
  if (parsed.success) return parsed.data;
  // FieldError's shape (http/problem.ts), so REST answers them as any other validation failure.
  const errors = parsed.error.issues.map((issue) => ({
    field: ['input', ...issue.path.map(String)].join('.'),
    location: 'body' as const,
    message: issue.message,
  }));
  throw new PlatformError(
    'VALIDATION_FAILED',
    `the input does not match the input_schema of ${plugin}.${fn}: ${errors[0]?.field}: ${errors[0]?.message}`,
    { errors },
  );
}
