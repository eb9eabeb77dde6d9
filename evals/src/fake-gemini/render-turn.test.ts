import { describe, expect, it } from 'vitest';
import { renderTurn, splitIntoWords } from './render-turn.ts';
import { SignatureLedger } from './thought-signatures.ts';

const BODY = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('splitIntoWords', () => {
  it('splits at word starts and concatenates back to the text', () => {
    expect(splitIntoWords('one two  three')).toEqual(['one ', 'two  ', 'three']);
    expect(splitIntoWords('')).toEqual(['']);
    const text = ' lead\nand trail ';
    expect(splitIntoWords(text).join('')).toBe(text);
  });
});

describe('renderTurn', () => {
  it('joins text when whole, streams it in pieces, the signature on the last piece', () => {
    const rendered = renderTurn({ text: ['a', 'b'], thoughtSignature: 'c2ln' }, BODY, new SignatureLedger());
    expect(rendered.parts).toEqual([{ text: 'ab', thoughtSignature: 'c2ln' }]);
    expect(rendered.chunks).toEqual([[{ text: 'a' }], [{ text: 'b', thoughtSignature: 'c2ln' }]]);
    expect(renderTurn({ text: [] }, BODY, new SignatureLedger()).chunks).toEqual([[{ text: '' }]]);
  });

  it('signs only the first function call, and none when the signature is false', () => {
    const calls = [
      { name: 'a', args: {} },
      { name: 'b', args: { x: 1 }, id: 'call-b' },
    ];
    const signed = renderTurn(
      { functionCalls: calls, thoughtSignature: 'c2ln' },
      BODY,
      new SignatureLedger(),
    );
    expect(signed.parts).toEqual([
      { functionCall: { name: 'a', args: {} }, thoughtSignature: 'c2ln' },
      { functionCall: { name: 'b', args: { x: 1 }, id: 'call-b' } },
    ]);
    expect(signed.chunks).toEqual([signed.parts]);
    const unsigned = renderTurn(
      { functionCalls: calls, thoughtSignature: false },
      BODY,
      new SignatureLedger(),
    );
    expect(unsigned.parts.every((part) => part.thoughtSignature === undefined)).toBe(true);
  });
});
