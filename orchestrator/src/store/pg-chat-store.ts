import type { Database } from '@airsuite/platform-api';
import type { ChatStore } from './chat-store.ts';
import { pgApprovals } from './pg/approvals.ts';
import { pgConversations } from './pg/conversations.ts';
import { pgRunEvents } from './pg/run-events.ts';
import { pgRuns } from './pg/runs.ts';
import { pgToolResults } from './pg/tool-results.ts';
import { pgTurns } from './pg/turns.ts';
import { pgUsage } from './pg/usage.ts';
import { pgWorkspaceChatSettings } from './pg/workspace-chat-settings.ts';

/** The chat store over the platform's database (PostgreSQL or PGlite), one file per table group (pg/). */
export function createPgChatStore(db: Database): ChatStore {
  return {
    ...pgConversations(db),
    ...pgTurns(db),
    ...pgRuns(db),
    ...pgRunEvents(db),
    ...pgApprovals(db),
    ...pgToolResults(db),
    ...pgUsage(db),
    ...pgWorkspaceChatSettings(db),
  };
}
