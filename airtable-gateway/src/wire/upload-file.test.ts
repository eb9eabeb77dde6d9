import { describe, expect, it } from 'vitest';
import { base64Size, decodeBase64 } from './upload-file.ts';

describe('a base64 file', () => {
  it.each([
    ['', 0],
    ['aGk=', 2],
    ['aGkh', 3],
    ['aA==', 1],
    [Buffer.from('hello world').toString('base64'), 11],
  ])('%j is %i bytes, and decodes to that many', (text, size) => {
    expect(base64Size(text)).toBe(size);
    expect(decodeBase64(text)?.length).toBe(size);
  });

  it.each([
    ['a data: URL', 'data:text/plain;base64,aGk='],
    ['base64url', 'a-_b'],
    ['a cut-off text', 'aGk'],
    ['padding in the middle', 'aG==aGk='],
    ['line breaks', 'aGVs\nbG8='],
  ])('refuses %s', (_, text) => {
    expect(base64Size(text)).toBeUndefined();
    expect(decodeBase64(text)).toBeUndefined();
  });
});
