import { describe, expect, it } from 'vitest';
import type { StoredTurn } from '../store/chat-store.ts';
import { renderConversation } from './render-conversation.ts';

const turn = (seq: number, role: 'user' | 'model', parts: StoredTurn['content']['parts']): StoredTurn => ({
  seq,
  role,
  content: { role, parts: parts ?? [] },
});

describe('renderConversation', () => {
  it('pairs tool calls with their results and merges one answer across steps', () => {
    const turns = renderConversation([
      turn(1, 'user', [{ text: 'Clean up the CRM' }]),
      turn(2, 'model', [
        { text: 'thinking…', thought: true },
        { text: 'Looking. ' },
        { functionCall: { name: 'count_records', args: { table: 'Deals' } }, thoughtSignature: 'sig' },
        { functionCall: { name: 'delete_records', args: { record_ids: ['rec1'] } } },
        { functionCall: { name: 'update_records', args: { updates: [] } } },
      ]),
      turn(3, 'user', [
        { functionResponse: { name: 'count_records', response: { output: { count: 3 } } } },
        {
          functionResponse: {
            name: 'delete_records',
            response: { error: { code: 'USER_DENIED', message: 'The user denied this call: no' } },
          },
        },
        {
          functionResponse: {
            name: 'update_records',
            response: { output: { summary: 'Updated 2 records' }, edited_arguments: { updates: [1] } },
          },
        },
      ]),
      turn(4, 'model', [{ text: 'Done: ' }, { text: '3 deals.' }]),
      turn(5, 'user', [{ text: 'And now?' }]),
      turn(6, 'model', [{ functionCall: { name: 'delete_records', args: {} } }]),
      turn(7, 'user', [
        {
          functionResponse: {
            name: 'delete_records',
            response: { error: { code: 'USER_CANCELLED', message: 'c' } },
          },
        },
      ]),
      turn(8, 'model', [{ functionCall: { name: 'delete_records', args: {} } }]),
    ]);
    expect(turns).toEqual([
      { role: 'user', text: 'Clean up the CRM' },
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Looking. ' },
          {
            type: 'tool_call',
            name: 'count_records',
            arguments: { table: 'Deals' },
            status: 'ok',
            summary: '{"count":3}',
          },
          {
            type: 'tool_call',
            name: 'delete_records',
            arguments: { record_ids: ['rec1'] },
            status: 'denied',
            code: 'USER_DENIED',
            summary: 'The user denied this call: no',
          },
          {
            type: 'tool_call',
            name: 'update_records',
            arguments: { updates: [] },
            status: 'ok',
            summary: 'Updated 2 records',
            edited_arguments: { updates: [1] },
          },
          { type: 'text', text: 'Done: 3 deals.' },
        ],
      },
      { role: 'user', text: 'And now?' },
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            name: 'delete_records',
            arguments: {},
            status: 'cancelled',
            code: 'USER_CANCELLED',
            summary: 'c',
          },
          { type: 'tool_call', name: 'delete_records', arguments: {}, status: 'pending' },
        ],
      },
    ]);
  });

  it('summarises stored (truncated) results and errors by code', () => {
    const [, answer] = renderConversation([
      turn(1, 'user', [{ text: 'q' }]),
      turn(2, 'model', [
        { functionCall: { id: 'c1', name: 'list_records', args: {} } },
        { functionCall: { id: 'c2', name: 'list_records', args: { page: 2 } } },
      ]),
      turn(3, 'user', [
        {
          functionResponse: {
            id: 'c2',
            name: 'list_records',
            response: { error: { code: 'TOOL_UNKNOWN_FIELD', message: 'no' } },
          },
        },
        {
          functionResponse: {
            id: 'c1',
            name: 'list_records',
            response: {
              output: { truncated: true, result_handle: 'res_1', total_chars: 90000, preview: '…' },
            },
          },
        },
      ]),
    ]);
    expect(answer).toMatchObject({
      role: 'assistant',
      parts: [
        { status: 'ok', summary: expect.stringContaining('90000') },
        { status: 'error', code: 'TOOL_UNKNOWN_FIELD' },
      ],
    });
  });
});
