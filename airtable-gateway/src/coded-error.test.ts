import { describe, expect, it, vi } from 'vitest';
import { codedError } from './coded-error.ts';

type ProbeCode = 'PROBE_BROKEN' | 'PROBE_LOST';

class ProbeError extends codedError<ProbeCode>('ProbeError') {
  constructor(
    code: ProbeCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}

class LateProbeError extends ProbeError {}

/** The factory as a second copy of the package would load it: a module instance of its own. */
async function secondCopy(): Promise<typeof codedError> {
  vi.resetModules();
  const copy = await import('./coded-error.ts');
  expect(copy.codedError).not.toBe(codedError);
  return copy.codedError;
}

describe('codedError, the one coded-error factory of every package', () => {
  it('makes Errors with the family name, the code, the message, the cause and the fields of the family', () => {
    const cause = new Error('underneath');
    const error = new ProbeError('PROBE_BROKEN', 'it broke', { part: 'lid' }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ProbeError);
    expect(error).toMatchObject({ name: 'ProbeError', code: 'PROBE_BROKEN', message: 'it broke' });
    expect(error.details).toEqual({ part: 'lid' });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('ProbeError: it broke');
    expect(error.stack).toMatch(/^ProbeError: it broke\n/);
  });

  it('knows its own family, and nothing else, by isInstance', () => {
    expect(ProbeError.isInstance(new ProbeError('PROBE_LOST', 'gone'))).toBe(true);
    expect(ProbeError.isInstance(new LateProbeError('PROBE_LOST', 'gone'))).toBe(true);
    const OtherError = codedError<'OTHER'>('OtherError');
    for (const value of [
      new OtherError('OTHER', 'no'),
      new Error('no'),
      { code: 'PROBE_LOST' },
      null,
      'ProbeError',
    ])
      expect(ProbeError.isInstance(value)).toBe(false);
  });

  it('knows an error of its family made by another copy of the package, where instanceof does not', async () => {
    const factory = await secondCopy();
    const elsewhere = new (factory<ProbeCode>('ProbeError'))('PROBE_LOST', 'made by the other copy');
    expect(elsewhere).not.toBeInstanceOf(ProbeError);
    expect(ProbeError.isInstance(elsewhere)).toBe(true);
    expect(ProbeError.isInstance(new (factory<'OTHER'>('OtherError'))('OTHER', 'no'))).toBe(false);
  });

  it("checks a subclass with a name of its own by instanceof alone: the family's brand does not make it one", async () => {
    expect(LateProbeError.isInstance(new LateProbeError('PROBE_LOST', 'late'))).toBe(true);
    expect(LateProbeError.isInstance(new ProbeError('PROBE_LOST', 'not late'))).toBe(false);
    const factory = await secondCopy();
    expect(LateProbeError.isInstance(new (factory<ProbeCode>('ProbeError'))('PROBE_LOST', 'not late'))).toBe(
      false,
    );
  });
});
