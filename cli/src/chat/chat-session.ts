import type { RunEvent, RunStatus } from '@airsuite/orchestrator';
import { askDecision } from './approval-prompt.ts';
import type { ChatClient, PendingApproval, RunEventFrame } from './chat-client.ts';
import { ChatClientError } from './chat-client-error.ts';
import type { LineReader } from './line-reader.ts';
import type { Renderer } from './render-event.ts';
import { renderTurns } from './render-turns.ts';

type ApprovalRequested = Extract<RunEvent, { type: 'approval_requested' }>;

/** How a run ended for this terminal. */
export interface RunOutcome {
  /** The `done` status; `interrupted` when the user quit mid-stream; `ended` when no `done` came. */
  status: RunStatus | 'interrupted' | 'ended';
  /** The last `error` event's code. */
  errorCode?: string;
  /** Approvals still waiting (with status awaiting_approval). */
  approvals: ApprovalRequested[];
  lastEventId?: string;
}

export interface ChatSessionOptions {
  client: ChatClient;
  renderer: Renderer;
  /** Where new conversations start (an API key's own workspace when absent). */
  workspaceId?: string;
  /** Reads approval answers; without it the session stops at an approval (non-interactive). */
  lines?: LineReader;
}

export interface ChatSession {
  readonly conversationId: string | undefined;
  /** Starts a new conversation and makes it current. */
  newConversation(): Promise<string>;
  /** Leaves the current conversation: the next message starts a new one. */
  leave(): void;
  /** Makes `id` current: prints its recent turns, then settles its waiting approvals or follows its running run. */
  open(id: string): Promise<RunOutcome | undefined>;
  /** Sends a message (starting a conversation if none), streams the answer, and settles approvals. */
  send(text: string): Promise<RunOutcome>;
  /** Cancels the current conversation's run; false when nothing was running. */
  cancel(): Promise<boolean>;
  /**
   * Ctrl-C: during a stream the first cancels the run (`cancelling`) and the next one stops
   * reading (`quit`); with no stream it is `quit`.
   */
  interrupt(): 'cancelling' | 'quit';
}

const asRequested = (approval: PendingApproval): ApprovalRequested => ({
  type: 'approval_requested',
  approval_id: approval.id,
  call_id: approval.call_id,
  name: approval.tool,
  arguments: approval.arguments,
  reason: approval.reason,
  ...(approval.preview !== undefined ? { preview: approval.preview } : {}),
});

export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { client, renderer, lines } = options;
  const { style } = renderer;
  let conversationId: string | undefined;
  const reading: Reading = {};

  const current = () => {
    if (conversationId === undefined) throw new Error('chat session: no conversation yet');
    return conversationId;
  };
  const stream = (open: (signal: AbortSignal) => AsyncIterable<RunEventFrame>) =>
    readStream(renderer, reading, open);

  const settle = (first: RunOutcome) =>
    lines ? settleApprovals({ client, renderer, lines, current, stream }, first) : Promise.resolve(first);

  const session: ChatSession = {
    get conversationId() {
      return conversationId;
    },
    async newConversation() {
      conversationId = (await client.createConversation(options.workspaceId)).id;
      return conversationId;
    },
    async open(id) {
      const detail = await client.getConversation(id);
      conversationId = detail.id;
      renderTurns(detail.turns, renderer);
      if (detail.pending_approvals.length > 0) {
        const approvals = detail.pending_approvals.map(asRequested);
        for (const approval of approvals) renderer.event(approval);
        return settle({ status: 'awaiting_approval', approvals });
      }
      if (detail.latest_run?.status === 'running') {
        return settle(await stream((signal) => client.resume(detail.id, undefined, { signal })));
      }
      return undefined;
    },
    leave() {
      conversationId = undefined;
    },
    async send(text) {
      if (conversationId === undefined) {
        const id = await session.newConversation();
        renderer.line(style.dim(`conversation ${id} (resume with: airsuite chat --conversation ${id})`));
      }
      const id = current();
      return settle(await stream((signal) => client.sendMessage(id, text, { signal })));
    },
    cancel: () => (conversationId === undefined ? Promise.resolve(false) : client.cancel(conversationId)),
    interrupt() {
      const active = reading.active;
      if (!active) return 'quit';
      if (active.cancelling) {
        active.controller.abort();
        return 'quit';
      }
      active.cancelling = true;
      renderer.line(style.dim('cancelling… (Ctrl-C again to quit)'));
      client.cancel(current()).catch((error: unknown) => {
        renderer.line(
          style.red(`✗ could not cancel: ${error instanceof Error ? error.message : String(error)}`),
        );
      });
      return 'cancelling';
    },
  };
  return session;
}

/** The stream being read now, if any, and whether Ctrl-C already asked its run to cancel. */
interface Reading {
  active?: { controller: AbortController; cancelling: boolean } | undefined;
}

/** Renders one stream of events to its end; Ctrl-C twice aborts it (`interrupted`). */
async function readStream(
  renderer: Renderer,
  reading: Reading,
  open: (signal: AbortSignal) => AsyncIterable<RunEventFrame>,
): Promise<RunOutcome> {
  const controller = new AbortController();
  reading.active = { controller, cancelling: false };
  const outcome: RunOutcome = { status: 'ended', approvals: [] };
  try {
    for await (const frame of open(controller.signal)) {
      renderer.event(frame.event);
      noteEvent(outcome, frame);
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    renderer.line(renderer.style.dim('(stopped reading; the run was asked to cancel)'));
    outcome.status = 'interrupted';
  } finally {
    reading.active = undefined;
  }
  return outcome;
}

/** What the run's outcome says after one more of its events. */
function noteEvent(outcome: RunOutcome, { id, event }: RunEventFrame): void {
  if (id !== undefined) outcome.lastEventId = id;
  if (event.type === 'approval_requested') outcome.approvals.push(event);
  else if (event.type === 'approval_decided') {
    outcome.approvals = outcome.approvals.filter((a) => a.approval_id !== event.approval_id);
  } else if (event.type === 'error') outcome.errorCode = event.code;
  else if (event.type === 'done') outcome.status = event.status;
}

interface SettleDeps {
  client: ChatClient;
  renderer: Renderer;
  lines: LineReader;
  current(): string;
  stream(open: (signal: AbortSignal) => AsyncIterable<RunEventFrame>): Promise<RunOutcome>;
}

/** While the run waits: asks for each approval, posts it, follows the run on. */
async function settleApprovals(deps: SettleDeps, first: RunOutcome): Promise<RunOutcome> {
  const { client, current, stream } = deps;
  let outcome = first;
  while (outcome.status === 'awaiting_approval') {
    const decided = await decideEach(deps, outcome.approvals);
    if (decided === 'stopped') return outcome;
    let next = decided;
    // Every answer was refused or left others pending elsewhere: pick the run up where it was.
    if (!next && outcome.lastEventId) {
      const after = outcome.lastEventId;
      next = await stream((signal) => client.resume(current(), after, { signal }));
    }
    if (!next || next.status === 'ended') return outcome;
    outcome = next;
  }
  return outcome;
}

/**
 * Asks for the approvals in turn until one resumes the run (its continuation's outcome);
 * undefined when none did, 'stopped' when the user gave no answer.
 */
async function decideEach(
  { client, renderer, lines, current, stream }: SettleDeps,
  approvals: ApprovalRequested[],
): Promise<RunOutcome | undefined | 'stopped'> {
  const { style } = renderer;
  for (const [index, approval] of approvals.entries()) {
    if (approvals.length > 1)
      renderer.line(style.yellow(`(${index + 1}/${approvals.length}) ${approval.name}`));
    const decision = await askDecision(approval.arguments, lines, renderer);
    if (!decision) return 'stopped';
    let result: Awaited<ReturnType<ChatClient['decide']>>;
    try {
      result = await client.decide(current(), approval.approval_id, decision);
    } catch (error) {
      if (!(error instanceof ChatClientError) || error.code !== 'CHAT_CLIENT_PROBLEM') throw error;
      renderer.line(style.red(`✗ ${error.message}`));
      continue;
    }
    if (result.kind === 'pending') {
      renderer.line(style.dim(`waiting for other approvals (${result.pending} pending)`));
      continue;
    }
    const { events } = result;
    return stream(() => events);
  }
  return undefined;
}
