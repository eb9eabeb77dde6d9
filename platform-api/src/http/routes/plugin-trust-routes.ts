import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { addKeyBody, keyParams, keySchema, settingsSchema, updateSettingsBody } from './plugin-schemas.ts';
import { problems, snake, workspaceParams } from './schemas.ts';

/** Whom a workspace trusts to sign its plugins, whether it requires signatures, how much memory plugins may take. */

const getSettingsRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugin-settings',
    summary: 'Get plugin settings',
    description: 'Any member.',
    tags: ['plugins'],
    operationId: 'getPluginSettings',
    auth: 'required',
    params: workspaceParams,
    response: { 200: settingsSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return snake(await platform.plugins.trust.settings(access));
    },
  });

const updateSettingsRoute = (platform: Platform) =>
  defineRoute({
    method: 'PATCH',
    url: '/workspaces/:id/plugin-settings',
    summary: 'Change plugin settings',
    description:
      'Admins and owners. Only the fields given change; they apply to later publishes, not to versions published already.',
    tags: ['plugins'],
    operationId: 'updatePluginSettings',
    auth: 'required',
    params: workspaceParams,
    body: updateSettingsBody,
    response: { 200: settingsSchema, ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { require_signatures, max_memory_pages } = request.body;
      const settings = await platform.plugins.trust.updateSettings(
        access,
        {
          ...(require_signatures !== undefined ? { requireSignatures: require_signatures } : {}),
          ...(max_memory_pages !== undefined ? { maxMemoryPages: max_memory_pages } : {}),
        },
        request.id,
      );
      return snake(settings);
    },
  });

const listKeysRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/workspaces/:id/plugin-keys',
    summary: 'List trusted signing keys',
    description: 'Any member. Public keys only: AirSuite never holds a private one.',
    tags: ['plugins'],
    operationId: 'listPluginKeys',
    auth: 'required',
    params: workspaceParams,
    response: { 200: z.object({ keys: z.array(keySchema) }), ...problems },
    async handler(request) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      return { keys: (await platform.plugins.trust.keys(access)).map(snake) };
    },
  });

const addKeyRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/workspaces/:id/plugin-keys',
    summary: 'Trust a signing key',
    description:
      'Admins and owners. Plugins signed with its private key (`signature.key_id` = `id`) are accepted from now on; a key that is not Ed25519 is PLUGIN_SIGNATURE_INVALID.',
    tags: ['plugins'],
    operationId: 'addPluginKey',
    auth: 'required',
    params: workspaceParams,
    body: addKeyBody,
    response: { 201: keySchema, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      const { id, name, public_key } = request.body;
      const key = await platform.plugins.trust.addKey(
        access,
        { id, name, publicKey: public_key },
        request.id,
      );
      return reply.code(201).send(snake(key));
    },
  });

const removeKeyRoute = (platform: Platform) =>
  defineRoute({
    method: 'DELETE',
    url: '/workspaces/:id/plugin-keys/:keyId',
    summary: 'Stop trusting a signing key',
    description: 'Admins and owners. Later publishes signed with it are refused; published versions stay.',
    tags: ['plugins'],
    operationId: 'removePluginKey',
    auth: 'required',
    params: keyParams,
    response: { 204: null, ...problems },
    async handler(request, reply) {
      const access = await platform.workspaces.access(principalOf(request), request.params.id);
      await platform.plugins.trust.removeKey(access, request.params.keyId, request.id);
      return reply.code(204).send();
    },
  });

/** Registers the trust routes on `app` (the plugin route group's instance). */
export function registerPluginTrustRoutes(app: FastifyInstance, platform: Platform): void {
  registerRoute(app, getSettingsRoute(platform));
  registerRoute(app, updateSettingsRoute(platform));
  registerRoute(app, listKeysRoute(platform));
  registerRoute(app, addKeyRoute(platform));
  registerRoute(app, removeKeyRoute(platform));
}
