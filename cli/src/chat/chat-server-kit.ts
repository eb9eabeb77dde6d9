import { startOrchestratorServer } from '@airsuite/orchestrator';
import { type ChatRig, useChatRig } from '@airsuite/orchestrator/testing';
import { afterAll, beforeAll } from 'vitest';

export interface ChatServerKit {
  rig: ChatRig;
  /** What `airsuite chat` reads to reach the spec's server: its URL and an editor API key. */
  env(): { ORCHESTRATOR_URL: string; AIRSUITE_API_KEY: string };
}

/**
 * The `airsuite chat` specs' world: the chat rig behind a real orchestrator server, for the file
 * (`withModel: false`: a server without a Gemini key).
 */
export function useChatServer(options: { withModel?: boolean } = {}): ChatServerKit {
  const rig = useChatRig(options);
  let server: Awaited<ReturnType<typeof startOrchestratorServer>> | undefined;
  let apiKey = '';
  beforeAll(async () => {
    server = await startOrchestratorServer({ platform: rig.platform.platform(), chat: rig.chat(), port: 0 });
    apiKey = (await rig.platform.apiKey(rig.owner(), rig.workspaceId(), 'editor')).key;
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    rig,
    env() {
      if (!server) throw new Error('useChatServer: used outside a test');
      return { ORCHESTRATOR_URL: server.url, AIRSUITE_API_KEY: apiKey };
    },
  };
}
