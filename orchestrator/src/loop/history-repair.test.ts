import type { Content } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { alternateTurns, answerDanglingCalls, windowHistory } from './history-window.ts';

const user = (text: string): Content => ({ role: 'user', parts: [{ text }] });
const call = (name: string, id?: string): Content => ({
  role: 'model',
  parts: [{ functionCall: { name, args: {}, ...(id ? { id } : {}) } }],
});
const answer = (name: string): Content => ({
  role: 'user',
  parts: [{ functionResponse: { name, response: { output: {} } } }],
});

describe('a history sent to Gemini', () => {
  it('answers calls a stopped process never answered, as INTERRUPTED', () => {
    const repaired = answerDanglingCalls([user('hi'), call('list_bases', 'c1'), user('again')]);
    expect(repaired).toHaveLength(4);
    expect(repaired[2]?.parts?.[0]?.functionResponse).toMatchObject({
      id: 'c1',
      name: 'list_bases',
      response: { error: { code: 'INTERRUPTED' } },
    });
  });

  it('leaves answered calls alone', () => {
    const history = [user('hi'), call('list_bases'), answer('list_bases')];
    expect(answerDanglingCalls(history)).toEqual(history);
  });

  it('merges adjacent turns of one role so turns alternate', () => {
    const merged = alternateTurns([user('a'), answer('x'), user('b')]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.parts).toHaveLength(3);
  });

  it('windows from a user text turn, never from a function response', () => {
    const long = (n: number) => user('x'.repeat(n));
    const history = [
      long(4000),
      call('list_bases'),
      answer('list_bases'),
      long(400),
      call('count_records'),
      answer('count_records'),
    ];
    const window = windowHistory(history, 300);
    expect(window[0]).toBe(history[3]);
    expect(window.at(-1)).toBe(history[5]);
  });
});
