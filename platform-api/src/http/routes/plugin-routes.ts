import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { checkedFunctionInput } from '../../plugins/function-input.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { registerPluginLogRoutes } from './plugin-log-routes.ts';
import {
  CALL_BODY_LIMIT_BYTES,
  callBody,
  changeVersionBody,
  functionParams,
  installationSchema,
  installBody,
  listVersionsQuery,
  PUBLISH_BODY_LIMIT_BYTES,
  pluginParams,
  publishBody,
  updatePluginBody,
  versionSchema,
} from './plugin-schemas.ts';
import { registerPluginTrustRoutes } from './plugin-trust-routes.ts';
import { problemSchema, problems, snake, workspaceParams } from './schemas.ts';

/**
 * Plugins over REST: admins and owners publish versions (immutable), install one per name, move
 * between versions, disable, enable and uninstall; any member lists them and runs their
 * functions (editors those that are not read-only). Whom a workspace trusts to sign plugins is
 * in plugin-trust-routes.ts.
 */

/** A plugin's failures while running: its timeouts, crashes, memory and output, and a closing process. */
const runProblems = { 413: problemSchema, 502: problemSchema, 503: problemSchema, 504: problemSchema };

const publishVersionRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/plugin-versions',
    summary: 'Publish a plugin version',
    description:
      'Admins and owners. Validates the manifest and the module together (PLUGIN_INVALID lists every problem) and stores the version, not installed yet; a published version never changes (PLUGIN_VERSION_EXISTS). Where the workspace requires signatures, `signature` must verify with one of its trusted keys.',
    tags: ['plugins'],
    operationId: 'publishPluginVersion',
    auth: 'required',
    params: workspaceParams,
    body: publishBody,
    bodyLimit: PUBLISH_BODY_LIMIT_BYTES,
    response: { 201: versionSchema, 413: problemSchema, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { manifest, module, signature } = request.body;
      const version = await platform.plugins.registry.publish(
        access,
        {
          manifest,
          module,
          ...(signature ? { signature: { keyId: signature.key_id, signature: signature.signature } } : {}),
        },
        request.id,
      );
      return reply.code(201).send(snake(version));
    },
  });

const listVersionsRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugin-versions',
    summary: 'List published plugin versions',
    description: 'Any member. By plugin name, then version (1.10.0 after 1.9.0).',
    tags: ['plugins'],
    operationId: 'listPluginVersions',
    auth: 'required',
    params: workspaceParams,
    query: listVersionsQuery,
    response: { 200: z.object({ versions: z.array(versionSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const versions = await platform.plugins.registry.versions(access, request.query.name);
      return { versions: versions.map(snake) };
    },
  });

const installPluginRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/plugins',
    summary: 'Install a plugin',
    description:
      'Admins and owners. Installs a published version, enabled; a name is installed once (PLUGIN_ALREADY_INSTALLED: change its version instead).',
    tags: ['plugins'],
    operationId: 'installPlugin',
    auth: 'required',
    params: workspaceParams,
    body: installBody,
    response: { 201: installationSchema, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { name, version, config } = request.body;
      const installed = await platform.plugins.registry.install(
        access,
        { name, version, ...(config !== undefined ? { config } : {}) },
        request.id,
      );
      return reply.code(201).send(snake(installed));
    },
  });

const listPluginsRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugins',
    summary: 'List installed plugins',
    description: 'Any member. Each with its version, status and manifest.',
    tags: ['plugins'],
    operationId: 'listPlugins',
    auth: 'required',
    params: workspaceParams,
    response: { 200: z.object({ plugins: z.array(installationSchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return { plugins: (await platform.plugins.registry.list(access)).map(snake) };
    },
  });

const getPluginRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugins/:name',
    summary: 'Get an installed plugin',
    description: 'Any member.',
    tags: ['plugins'],
    operationId: 'getPlugin',
    auth: 'required',
    params: pluginParams,
    response: { 200: installationSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.plugins.registry.get(access, request.params.name));
    },
  });

const changeVersionRoute = (platform: Platform) =>
  defineRoute({
    method: 'PUT',
    url: '/workspaces/:id/plugins/:name/version',
    summary: "Change an installed plugin's version",
    description:
      'Admins and owners. Moves to any published version, newer or older; the version it leaves is what a rollback goes back to.',
    tags: ['plugins'],
    operationId: 'changePluginVersion',
    auth: 'required',
    params: pluginParams,
    body: changeVersionBody,
    response: { 200: installationSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { name } = request.params;
      return snake(
        await platform.plugins.registry.changeVersion(access, name, request.body.version, request.id),
      );
    },
  });

const rollbackRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/plugins/:name/rollback',
    summary: 'Roll a plugin back',
    description:
      'Admins and owners. Back to the version installed before the last change (PLUGIN_NO_PREVIOUS_VERSION when there is none); rolling back twice returns to where it was.',
    tags: ['plugins'],
    operationId: 'rollbackPlugin',
    auth: 'required',
    params: pluginParams,
    response: { 200: installationSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.plugins.registry.rollback(access, request.params.name, request.id));
    },
  });

const updatePluginRoute = (platform: Platform) =>
  defineRoute({
    method: 'PATCH',
    url: '/workspaces/:id/plugins/:name',
    summary: 'Disable or enable a plugin',
    description:
      'Admins and owners. `enabled: false` stops its functions (PLUGIN_DISABLED) and its tools; `enabled: true` turns it back on, a quarantined plugin included, with its fault count reset.',
    tags: ['plugins'],
    operationId: 'updatePlugin',
    auth: 'required',
    params: pluginParams,
    body: updatePluginBody,
    response: { 200: installationSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { name } = request.params;
      return snake(
        await platform.plugins.registry.setEnabled(access, name, request.body.enabled, request.id),
      );
    },
  });

const uninstallPluginRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id/plugins/:name',
    summary: 'Uninstall a plugin',
    description:
      'Admins and owners. Its stored data goes with it; its published versions stay, to install again.',
    tags: ['plugins'],
    operationId: 'uninstallPlugin',
    auth: 'required',
    params: pluginParams,
    response: { 204: null, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.plugins.registry.uninstall(access, request.params.name, request.id);
      return reply.code(204).send();
    },
  });

const callFunctionRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/plugins/:name/functions/:function',
    summary: 'Run a plugin function',
    description:
      "Any member for a read-only function, editors and above for the rest (as its tool). The input is checked against the function's `input_schema`; the output is the function's JSON. A disabled or quarantined plugin is 409 (PLUGIN_DISABLED, PLUGIN_QUARANTINED); its own faults are 502 and 504 (PLUGIN_CRASHED, PLUGIN_TIMEOUT …). Cancelled when the client goes.",
    tags: ['plugins'],
    operationId: 'callPluginFunction',
    auth: 'required',
    params: functionParams,
    body: callBody,
    bodyLimit: CALL_BODY_LIMIT_BYTES,
    response: { 200: z.object({ output: z.unknown() }), ...problems, ...runProblems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { name, function: fn } = request.params;
      const input = await checkedFunctionInput(
        platform.plugins.registry,
        access,
        name,
        fn,
        request.body.input,
      );
      const controller = new AbortController();
      const abort = () => controller.abort();
      request.raw.once('close', abort);
      try {
        const output = await platform.plugins.runtime.call(access, name, fn, input, {
          signal: controller.signal,
          requestId: request.id,
        });
        return { output };
      } finally {
        request.raw.off('close', abort);
      }
    },
  });

export function pluginRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, publishVersionRoute(platform));
    registerRoute(app, listVersionsRoute(platform));
    registerRoute(app, installPluginRoute(platform));
    registerRoute(app, listPluginsRoute(platform));
    registerRoute(app, getPluginRoute(platform));
    registerRoute(app, changeVersionRoute(platform));
    registerRoute(app, rollbackRoute(platform));
    registerRoute(app, updatePluginRoute(platform));
    registerRoute(app, uninstallPluginRoute(platform));
    registerRoute(app, callFunctionRoute(platform));
    registerPluginTrustRoutes(app, platform);
    registerPluginLogRoutes(app, platform);
  };
}
