import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { startFakeGemini } from '@airsuite/evals/fake-gemini';
import { inMemoryMcpClients } from '@airsuite/mcp-server';
import {
  createChatService,
  createGeminiModel,
  createPgChatStore,
  type ModelPort,
} from '@airsuite/orchestrator';
import { createPlatform, ensureLocalBootstrap } from '@airsuite/platform-api';
import { openBenchDatabase } from './isolated-database.ts';
import { quantile } from './stats.ts';

const CRM = 'appJRG6RjcS0ZVuqz';
const TURNS = 20;
const RUNS_FOR_OVERHEAD = 60;

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The chat loop's own cost and its context growth. Overhead per step is the run's wall
 * time minus the time inside Gemini (the real SDK against the fake) and inside tools
 * (the real MCP server and gateway over the emulator); what is left is history loading,
 * windowing, persistence, event fan-out and scheduling. Tokens per turn compare a
 * 20-turn conversation with the history window on and off.
 */
export async function benchOrchestrator() {
  const token = `pat${randomBytes(12).toString('hex')}`;
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [token],
    rateLimits: { enabled: false },
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 1_000_000,
    perOwnerLimit: 1_000_000,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-bench-chat-'));
  const database = await openBenchDatabase(dataDir);
  const { db } = database;
  const platform = await createPlatform({ db, engine, secretKey: randomBytes(32) });
  const local = await ensureLocalBootstrap({
    platform,
    dataDir: join(dataDir, 'state'),
    airtableToken: token,
  });
  const gemini = await startFakeGemini({ apiKey: 'bench' });
  const principal = await platform.authenticate(local.apiKey);
  const access = await platform.workspaces.access(principal, local.workspaceId);
  const caller = { access, bearer: local.apiKey };
  const store = createPgChatStore(db);
  try {
    // Overhead per step: every run is a tool call then an answer (2 model steps, 1 tool call).
    let modelMs = 0;
    let toolMs = 0;
    const real = createGeminiModel({ apiKey: 'bench', baseUrl: gemini.url });
    const timedModel: ModelPort = {
      model: real.model,
      async generate(request) {
        const started = performance.now();
        try {
          return await real.generate(request);
        } finally {
          modelMs += performance.now() - started;
        }
      },
    };
    const connect = inMemoryMcpClients(platform);
    const chat = createChatService({
      store,
      connect: async (who) => {
        const client = await connect(who);
        const callTool = client.callTool.bind(client);
        client.callTool = (async (...args: Parameters<typeof callTool>) => {
          const started = performance.now();
          try {
            return await callTool(...args);
          } finally {
            toolMs += performance.now() - started;
          }
        }) as typeof client.callTool;
        return client;
      },
      modelFor: async () => timedModel,
    });
    gemini.respondWith((request) => {
      const last = request.body.contents?.at(-1);
      const answered = (last?.parts ?? []).some((part) => part.functionResponse);
      return answered
        ? { text: 'There are 12 deals.' }
        : { functionCalls: [{ name: 'count_records', args: { base_id: CRM, table: 'Deals' } }] };
    });
    const warm = await chat.create(caller);
    await chat.send(caller, warm.id, 'warm up');
    modelMs = 0;
    toolMs = 0;
    let steps = 0;
    let totalMs = 0;
    const perRunStep: number[] = [];
    for (let i = 0; i < RUNS_FOR_OVERHEAD; i++) {
      const conversation = await chat.create(caller);
      const [modelBefore, toolBefore] = [modelMs, toolMs];
      const started = performance.now();
      const run = await chat.send(caller, conversation.id, `How many deals? (${i})`);
      const elapsed = performance.now() - started;
      totalMs += elapsed;
      steps += run.steps;
      perRunStep.push((elapsed - (modelMs - modelBefore) - (toolMs - toolBefore)) / run.steps);
    }
    const overheadPerStepMs = (totalMs - modelMs - toolMs) / steps;
    // The target is judged on the median run: on a shared machine one GC pause or a
    // neighbour's burst moves the mean of a few dozen runs by more than the margin.
    const medianPerStepMs = quantile(perRunStep, 0.5);

    // Tokens sent per turn as one conversation grows, window on and off.
    const longTurn = 'Tell me about the pipeline. '.repeat(120);
    const tokensPerTurn = async (historyTokenBudget: number) => {
      const perTurn: number[] = [];
      const chatted = createChatService({
        store,
        connect,
        modelFor: async () => real,
        limits: { historyTokenBudget },
      });
      const conversation = await chatted.create(caller);
      gemini.respondWith(() => ({ text: `Noted. ${'The pipeline looks healthy. '.repeat(60)}` }));
      for (let turn = 0; turn < TURNS; turn++) {
        const run = await chatted.send(caller, conversation.id, `${longTurn} (turn ${turn})`);
        perTurn.push(run.promptTokens);
      }
      return perTurn;
    };
    const windowed = await tokensPerTurn(6_000);
    const unwindowed = await tokensPerTurn(10_000_000);
    return {
      database: db.kind,
      overhead: {
        runs: RUNS_FOR_OVERHEAD,
        steps,
        totalMs: round(totalMs),
        modelMs: round(modelMs),
        toolMs: round(toolMs),
        overheadPerStepMs: round(overheadPerStepMs),
        medianPerStepMs: round(medianPerStepMs),
        p90PerStepMs: round(quantile(perRunStep, 0.9)),
        targetMs: 5,
        met: medianPerStepMs < 5,
      },
      tokensPerTurn: {
        turns: TURNS,
        windowOn: {
          historyTokenBudget: 6000,
          perTurn: windowed,
          max: Math.max(...windowed),
          last: windowed.at(-1),
        },
        windowOff: { perTurn: unwindowed, max: Math.max(...unwindowed), last: unwindowed.at(-1) },
        bounded: Math.max(...windowed.slice(5)) <= Math.max(...windowed.slice(0, 5)) * 2,
      },
    };
  } finally {
    await gemini.close();
    await platform.close();
    await database.drop();
    await engine.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
