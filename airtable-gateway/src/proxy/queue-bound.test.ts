import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM, type GatewayRig, startRig } from '../testing/gateway-rig.ts';

let rig: GatewayRig;
beforeAll(async () => {
  rig = await startRig({ perBaseLimit: 1, maxQueueLength: 2, maxQueueWaitMs: 5_000 }, { perBase: 5 });
});
afterAll(async () => {
  await rig.close();
});

describe('the proxy past its queue bound', () => {
  it("answers the gateway's own 429 with Retry-After and a stable code, never a hang", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => rig.viaGateway(`/v0/${CRM}/Deals?pageSize=${i + 1}`)),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await answer.json()) as { error: { type: string } }).error.type).toBe('GATEWAY_QUEUE_FULL');
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect((await rig.upstreamStats()).rateLimited).toBe(0);
  });
});
