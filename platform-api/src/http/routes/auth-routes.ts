import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform.ts';
import { defineRoute, registerRoute } from '../define-route.ts';
import { principalOf } from './auth-hook.ts';
import { emailSchema, nameSchema, problems, snake } from './schemas.ts';

const tokenPairSchema = z.object({
  access_token: z.string().describe('EdDSA-signed JWT; send as "Authorization: Bearer …"'),
  refresh_token: z.string().describe('opaque; rotated on every use'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().describe('seconds until the access token expires'),
});

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  created_at: z.string(),
});

/** Passwords are taken as given (no trimming, no case change); the policy checks length and commonness. */
const passwordSchema = z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters');

const registerAccountRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/auth/register',
    summary: 'Create an account',
    description: 'Passwords need 8+ characters and must not be a common password; no composition rules.',
    tags: ['auth'],
    operationId: 'register',
    auth: 'none',
    body: z.object({ email: emailSchema, password: passwordSchema, name: nameSchema().optional() }),
    response: { 201: userSchema, ...problems },
    async handler(request, reply) {
      const user = await platform.accounts.register(request.body, request.id);
      return reply.code(201).send(snake(user));
    },
  });

const loginRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/auth/login',
    summary: 'Sign in',
    description: 'Repeated failures lock the account and the client address out for a growing time (429).',
    tags: ['auth'],
    operationId: 'login',
    auth: 'none',
    body: z.object({ email: emailSchema, password: passwordSchema }),
    response: { 200: tokenPairSchema, ...problems },
    handler: (request) => platform.accounts.login({ ...request.body, ip: request.ip }, request.id),
  });

const refreshTokensRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/auth/refresh',
    summary: 'Trade a refresh token for new tokens',
    description: 'The refresh token is spent; presenting a spent one again ends its whole session.',
    tags: ['auth'],
    operationId: 'refreshTokens',
    auth: 'none',
    body: z.object({ refresh_token: z.string().min(1).max(512) }),
    response: { 200: tokenPairSchema, ...problems },
    handler: (request) => platform.accounts.refresh(request.body.refresh_token, request.id),
  });

const logoutRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/auth/logout',
    summary: 'End this session',
    description: 'Its refresh tokens and access tokens stop working at once.',
    tags: ['auth'],
    operationId: 'logout',
    auth: 'required',
    response: { 204: null, ...problems },
    async handler(request, reply) {
      await platform.accounts.logout(principalOf(request), request.id);
      return reply.code(204).send();
    },
  });

const changePasswordRoute = (platform: Platform) =>
  defineRoute({
    method: 'POST',
    url: '/me/password',
    summary: 'Change my password',
    description:
      'Needs the current password (wrong guesses are throttled like sign-ins). Every other session of the user ends; this one goes on. Signed-in users only: an API key gets 403 AUTH_USER_TOKEN_REQUIRED.',
    tags: ['auth'],
    operationId: 'changePassword',
    auth: 'required',
    body: z.object({ current_password: passwordSchema, new_password: passwordSchema }),
    response: {
      200: z.object({ sessions_ended: z.number().describe('other sessions signed out') }),
      ...problems,
    },
    async handler(request) {
      const { sessionsEnded } = await platform.accounts.changePassword(
        principalOf(request),
        {
          currentPassword: request.body.current_password,
          newPassword: request.body.new_password,
          ip: request.ip,
        },
        request.id,
      );
      return { sessions_ended: sessionsEnded };
    },
  });

const getMeRoute = (platform: Platform) =>
  defineRoute({
    method: 'GET',
    url: '/me',
    summary: 'Who am I',
    description: 'The signed-in user, or the API key and its workspace.',
    tags: ['auth'],
    operationId: 'getMe',
    auth: 'required',
    response: {
      200: z.object({
        kind: z.enum(['user', 'api_key']),
        user: userSchema.optional(),
        api_key: z
          .object({ id: z.string(), name: z.string(), workspace_id: z.string(), role: z.string() })
          .optional(),
      }),
      ...problems,
    },
    async handler(request) {
      const principal = principalOf(request);
      if (principal.kind === 'user') {
        return {
          kind: 'user' as const,
          user: snake(await platform.accounts.getUser(principal.userId)),
        };
      }
      return {
        kind: 'api_key' as const,
        api_key: {
          id: principal.keyId,
          name: principal.keyName,
          workspace_id: principal.workspaceId,
          role: principal.role,
        },
      };
    },
  });

export function authRoutes(platform: Platform) {
  return async (app: FastifyInstance) => {
    registerRoute(app, registerAccountRoute(platform));
    registerRoute(app, loginRoute(platform));
    registerRoute(app, refreshTokensRoute(platform));
    registerRoute(app, logoutRoute(platform));
    registerRoute(app, changePasswordRoute(platform));
    registerRoute(app, getMeRoute(platform));
  };
}
