import type { SecretBox } from '@airsuite/platform-api';
import type { ChatStore } from '../store/chat-store.ts';
import { createGeminiModel } from './gemini-model.ts';
import type { ModelPort } from './model-port.ts';

/** The sealed key opens only for its own workspace. */
export const geminiKeyAad = (workspaceId: string) => `gemini:${workspaceId}`;

export interface ModelResolverOptions {
  store: ChatStore;
  secretBox: SecretBox;
  /** GEMINI_API_KEY: the deployment's key, used where a workspace has none of its own. */
  defaultApiKey?: string;
  model: string;
  baseUrl?: string;
}

/**
 * Which Gemini a workspace chats with: its own key (set by an admin, stored encrypted like
 * Airtable tokens) or the deployment's. One SDK client per key.
 */
export function createModelResolver(options: ModelResolverOptions) {
  const clients = new Map<string, ModelPort>();
  const modelFor = (apiKey: string) => {
    let model = clients.get(apiKey);
    if (!model) {
      model = createGeminiModel({
        apiKey,
        model: options.model,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      });
      clients.set(apiKey, model);
    }
    return model;
  };
  return {
    async modelFor(workspaceId: string): Promise<ModelPort | undefined> {
      const sealed = await options.store.workspaceGeminiKey(workspaceId);
      if (sealed) return modelFor(options.secretBox.open(sealed, geminiKeyAad(workspaceId)));
      return options.defaultApiKey ? modelFor(options.defaultApiKey) : undefined;
    },
    /** Stores (or with null, removes) a workspace's own key. */
    async setWorkspaceKey(workspaceId: string, apiKey: string | null): Promise<void> {
      await options.store.setWorkspaceGeminiKey(
        workspaceId,
        apiKey === null ? null : options.secretBox.seal(apiKey, geminiKeyAad(workspaceId)),
      );
    },
  };
}
