import { describe, expect, it } from 'vitest';
import { decideFault, faultSchema } from './faults.ts';

const settings = (input: object) => faultSchema.parse(input);

describe('fault injection decisions', () => {
  it('does nothing by default', () => {
    expect(decideFault(settings({}), 'app1', () => 0)).toEqual({ kind: 'none', delayMs: 0 });
  });

  it('forces exactly N rate limits, then stops', () => {
    const s = settings({ force429: 2 });
    const kinds = [1, 2, 3].map(() => decideFault(s, 'app1', () => 0.5).kind);
    expect(kinds).toEqual(['rate-limit', 'rate-limit', 'none']);
  });

  it('injects errors and drops at their rates', () => {
    expect(decideFault(settings({ errorRate: 0.5, errorStatus: 500 }), undefined, () => 0.4)).toMatchObject({
      kind: 'error',
      status: 500,
    });
    expect(decideFault(settings({ errorRate: 0.5 }), undefined, () => 0.6).kind).toBe('none');
    expect(decideFault(settings({ dropRate: 1 }), undefined, () => 0.99).kind).toBe('drop');
  });

  it('adds latency, jitter and slow responses', () => {
    expect(decideFault(settings({ latencyMs: 50, jitterMs: 10 }), undefined, () => 0.5).delayMs).toBe(55);
    expect(decideFault(settings({ slowRate: 1, slowMs: 2000 }), undefined, () => 0.1).delayMs).toBe(2000);
  });

  it('limits faults to one base when asked', () => {
    const s = settings({ errorRate: 1, baseId: 'app1' });
    expect(decideFault(s, 'app2', () => 0).kind).toBe('none');
    expect(decideFault(s, 'app1', () => 0).kind).toBe('error');
  });

  it('rejects unknown or out-of-range settings', () => {
    expect(faultSchema.safeParse({ errorRate: 2 }).success).toBe(false);
    expect(faultSchema.safeParse({ errorStatus: 404 }).success).toBe(false);
    expect(faultSchema.safeParse({ nonsense: true }).success).toBe(false);
  });
});
