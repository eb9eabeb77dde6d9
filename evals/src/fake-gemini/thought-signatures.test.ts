import { describe, expect, it } from 'vitest';
import { SignatureLedger } from './thought-signatures.ts';

const CALL = { name: 'get_base', args: { baseId: 'app1', view: 'all' } };

describe('SignatureLedger', () => {
  it('accepts the signature it issued, whatever the order of the args', () => {
    const ledger = new SignatureLedger();
    const signature = ledger.issue(CALL);
    const reordered = { name: 'get_base', args: { view: 'all', baseId: 'app1' } };
    expect(ledger.check([{ functionCall: reordered, thoughtSignature: signature }], 1)).toBeUndefined();
  });

  it('rejects a missing or different signature with INVALID_ARGUMENT', () => {
    const ledger = new SignatureLedger();
    ledger.issue(CALL, 'c2ln');
    expect(ledger.check([{ functionCall: CALL }], 1)).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
    });
    expect(ledger.check([{ functionCall: CALL, thoughtSignature: 'b3RoZXI=' }], 1)).toMatchObject({
      code: 400,
    });
  });

  it('keeps every signature of a call the model repeated, and ignores calls it never signed', () => {
    const ledger = new SignatureLedger();
    const first = ledger.issue(CALL);
    const second = ledger.issue(CALL);
    expect(first).not.toBe(second);
    expect(ledger.check([{ functionCall: CALL, thoughtSignature: first }], 1)).toBeUndefined();
    expect(
      ledger.check([{ functionCall: CALL, thoughtSignature: second }, { functionCall: CALL }], 1),
    ).toBeUndefined();
    expect(ledger.check([{ functionCall: { name: 'other', args: {} } }, { text: 'hi' }], 1)).toBeUndefined();
  });
});
