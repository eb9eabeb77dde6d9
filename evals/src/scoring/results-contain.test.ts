import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-gemini/index.ts';
import { resultProblems, resultsGiven, resultText } from './results-contain.ts';

const request = (responses: Record<string, unknown>[]): RecordedRequest =>
  ({
    path: '/v1beta/models/m:generateContent',
    model: 'm',
    stream: false,
    body: {
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        ...responses.map((response) => ({
          role: 'user',
          parts: [{ functionResponse: { name: 'list_records', response } }],
        })),
      ],
    },
  }) as unknown as RecordedRequest;

describe('the facts behind an answer', () => {
  it('are every tool result the model was given, each once, however often the history repeats it', () => {
    const first = { output: { records: [{ Stage: 'Negotiation' }] } };
    const second = { output: { count: 21 } };
    expect(resultsGiven([request([first]), request([first, second])])).toEqual(['Negotiation', '21']);
  });

  it('hold when some result says each of them, in any case', () => {
    const results = [resultText({ records: [{ Stage: 'Negotiation' }, { Stage: 'Qualified "QA"' }] })];
    expect(results).toEqual(['Negotiation\nQualified "QA"']);
    expect(resultProblems(results, ['negotiation', 'QUALIFIED "qa"'], [])).toEqual([]);
  });

  it('name each fact no result says, and the calls that failed as the likely cause', () => {
    const problems = resultProblems(
      [resultText({ records: [] })],
      ['Negotiation'],
      [{ tool: 'list_records', error: 'TOOL_INVALID_INPUT: the formula is invalid' }],
    );
    expect(problems).toEqual([
      'wrong result: no tool result says "Negotiation" (failed: list_records: TOOL_INVALID_INPUT: the formula is invalid)',
    ]);
  });
});
