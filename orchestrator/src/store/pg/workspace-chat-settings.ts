import type { Database } from '@airsuite/platform-api';
import type { ChatStore } from '../chat-store.ts';
import { num } from './rows.ts';

/** A workspace's chat settings: its monthly token budget and its own (sealed) Gemini key. */
export function pgWorkspaceChatSettings(
  db: Database,
): Pick<
  ChatStore,
  'monthlyTokenBudget' | 'setMonthlyTokenBudget' | 'workspaceGeminiKey' | 'setWorkspaceGeminiKey'
> {
  return {
    async monthlyTokenBudget(workspaceId) {
      const [row] = await db.query<{ monthly_token_budget: string | number | null }>(
        'SELECT monthly_token_budget FROM workspace_chat_settings WHERE workspace_id = $1',
        [workspaceId],
      );
      return row?.monthly_token_budget === null || row?.monthly_token_budget === undefined
        ? undefined
        : num(row.monthly_token_budget);
    },

    async setMonthlyTokenBudget(workspaceId, budget) {
      await db.query(
        `INSERT INTO workspace_chat_settings (workspace_id, monthly_token_budget) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET monthly_token_budget = $2, updated_at = now()`,
        [workspaceId, budget],
      );
    },

    async workspaceGeminiKey(workspaceId) {
      const [row] = await db.query<{ gemini_key_ciphertext: string | null }>(
        'SELECT gemini_key_ciphertext FROM workspace_chat_settings WHERE workspace_id = $1',
        [workspaceId],
      );
      return row?.gemini_key_ciphertext ?? undefined;
    },

    async setWorkspaceGeminiKey(workspaceId, sealed) {
      await db.query(
        `INSERT INTO workspace_chat_settings (workspace_id, gemini_key_ciphertext) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET gemini_key_ciphertext = $2, updated_at = now()`,
        [workspaceId, sealed],
      );
    },
  };
}
