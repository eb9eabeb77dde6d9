import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { inMemoryMcpClients } from '@airsuite/mcp-server';
import {
  type ChatService,
  createChatService,
  createGeminiModel,
  createPgChatStore,
} from '@airsuite/orchestrator';
import { createPlatform, type Database, openDatabase, type Platform } from '@airsuite/platform-api';
import type { SafetyPolicy, ToolDefinition } from '@airsuite/tools';
import { type FakeGemini, startFakeGemini } from '../fake-gemini/index.ts';
import type { PluginSetup } from '../scenario/scenario-schema.ts';
import { setUpPlugins } from './example-plugins.ts';

/** The Airtable token the world's emulator accepts and its workspaces connect with. */
const TOKEN = `patEvalWorld.${randomBytes(16).toString('hex')}`;
const GEMINI_KEY = 'eval-gemini-key';
const PASSWORD = randomBytes(18).toString('base64url');

export type Role = 'viewer' | 'editor' | 'admin' | 'owner';
type Access = Awaited<ReturnType<Platform['workspaces']['access']>>;
/** What a caller is given: the tools, and the policy that narrows what they may do. */
export interface Catalogue {
  tools: ToolDefinition[];
  policy: SafetyPolicy;
}

/** One scenario's stage: a fresh workspace connected to the emulator, and its caller. */
export interface Stage {
  platform: Platform;
  chat: ChatService;
  caller: { access: Access; bearer: string };
  /** The workspace's owner, for what the caller may not do itself (an API key of its role). */
  owner: Access;
  close(): Promise<void>;
}

export interface EvalWorld {
  emulator: RunningEmulator;
  gemini: FakeGemini;
  token: string;
  /**
   * Resets the emulator to `seed` and opens a stage with a fresh gateway, platform and workspace,
   * with the kit's example `plugins` published (and installed) in it.
   */
  stage(seed: 'sample' | 'empty', role: Role, plugins?: readonly PluginSetup[]): Promise<Stage>;
  close(): Promise<void>;
}

async function register(platform: Platform, label: string) {
  const email = `${label}-${randomBytes(4).toString('hex')}@evals.example.com`;
  const user = await platform.accounts.register({ email, password: PASSWORD });
  const tokens = await platform.accounts.login({ email, password: PASSWORD, ip: '127.0.0.1' });
  return { user, bearer: tokens.access_token, principal: await platform.authenticate(tokens.access_token) };
}

/** The caller of a scenario: the owner itself, or a member of the workspace with `role`. */
async function callerWith(platform: Platform, role: Role): Promise<Pick<Stage, 'caller' | 'owner'>> {
  const owner = await register(platform, 'owner');
  const workspace = await platform.workspaces.create(owner.principal, 'Eval workspace');
  const ownerAccess = await platform.workspaces.access(owner.principal, workspace.id);
  await platform.connections.create(ownerAccess, { name: 'Emulator', token: TOKEN });
  if (role === 'owner') return { caller: { access: ownerAccess, bearer: owner.bearer }, owner: ownerAccess };
  const member = await register(platform, role);
  await platform.members.add(ownerAccess, { email: member.user.email, role });
  const access = await platform.workspaces.access(member.principal, workspace.id);
  return { caller: { access, bearer: member.bearer }, owner: ownerAccess };
}

/**
 * What every scenario runs on, as a deployment would: the emulator (Airtable's real limits),
 * a gateway, the platform on an embedded database, the real MCP server (in memory), the real
 * chat loop with the real `@google/genai` SDK pointed at the fake Gemini. Each scenario gets a
 * stage of its own: the emulator reset to its seed, a new gateway (so no cache outlives a
 * reset) and platform over the same database, and a new workspace.
 */
export interface EvalWorldOptions {
  /** A real model (live mode): its key, model name and base URL (Google's when absent). */
  live?: { apiKey: string; model?: string; baseUrl?: string };
  /**
   * Changes the catalogue each caller is given, everywhere it is served (chat, MCP, REST): how
   * a spec breaks a tool on purpose (a renamed parameter, a handler writing the wrong value, a
   * write tool listed to a viewer) to prove the eval notices.
   */
  alterCatalogue?: (catalogue: Catalogue, role: Role) => Catalogue;
  /** The gateway's settings besides its upstream (a spec's short 429 penalty). */
  gateway?: Omit<NonNullable<Parameters<typeof createGatewayEngine>[0]>, 'upstreamUrl'>;
}

/** The platform, its catalogue changed by `alter` when given. */
function withCatalogue(platform: Platform, alter: EvalWorldOptions['alterCatalogue']): Platform {
  if (!alter) return platform;
  const tools = platform.tools;
  return {
    ...platform,
    tools: {
      ...tools,
      async catalogueFor(access) {
        return alter(await tools.catalogueFor(access), access.role as Role);
      },
    },
  };
}

export async function openEvalWorld(options: EvalWorldOptions = {}): Promise<EvalWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'airsuite-evals-'));
  // Seeded ids: a scenario makes the same record ids on every run, those of its recording too.
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [TOKEN],
    idSeed: 'airsuite-evals',
    log: () => {},
  });
  const gemini = await startFakeGemini({ apiKey: GEMINI_KEY });
  let db: Database | undefined;
  try {
    db = await openDatabase({ dataDir });
  } catch (error) {
    await Promise.all([emulator.close(), gemini.close()]);
    throw error;
  }
  const database = db;
  // One key for the world: stages open new platforms over the same database and its sealed secrets.
  const secretKey = randomBytes(32);
  return {
    emulator,
    gemini,
    token: TOKEN,
    async stage(seed, role, plugins = []) {
      // Resetting also ends the last scenario's outage (its turns' faults) and its rate budgets.
      emulator.admin.reset(seed);
      const engine = await createGatewayEngine({ ...options.gateway, upstreamUrl: emulator.url });
      const created = await createPlatform({
        db: database,
        engine,
        secretKey,
        // Nothing is delivered, and there is no network here: any public-looking name resolves to a
        // documentation address, so webhook URLs pass the address policy as they would in production.
        webhooks: { deliver: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
      });
      const platform = withCatalogue(created, options.alterCatalogue);
      const live = options.live;
      const model = live
        ? createGeminiModel({
            apiKey: live.apiKey,
            ...(live.model ? { model: live.model } : {}),
            ...(live.baseUrl ? { baseUrl: live.baseUrl } : {}),
          })
        : createGeminiModel({ apiKey: GEMINI_KEY, baseUrl: gemini.url, backoffMs: 5 });
      const chat = createChatService({
        store: createPgChatStore(database),
        connect: inMemoryMcpClients(platform),
        modelFor: async () => model,
        limits: { maxWallClockMs: 60_000 },
      });
      const { caller, owner } = await callerWith(platform, role);
      await setUpPlugins(platform, owner, plugins);
      return {
        platform,
        chat,
        caller,
        owner,
        async close() {
          await platform.close();
          await engine.close();
        },
      };
    },
    async close() {
      await database.close();
      await Promise.all([emulator.close(), gemini.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
