import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAirtableGateway } from './airtable-gateway.ts';
import { createSharedLoopback, type SharedLoopback } from './loopback.ts';
import { BASE, type ClientRig, SEEDED, startClientRig, TOKEN } from './test-kit.ts';

let rig: ClientRig;
let loopback: SharedLoopback;
/** A second token of the emulator that reaches no base. */
let stranger = '';

beforeAll(async () => {
  rig = await startClientRig();
  loopback = createSharedLoopback(rig.engine);
  stranger = ((await rig.admin('/tokens', { bases: [] })) as { token: string }).token;
});
afterAll(async () => {
  await loopback.close();
  await rig.close();
});

const clientOf = (token: string) => createAirtableGateway({ engine: rig.engine, token, loopback });

describe('createSharedLoopback: one loopback proxy for many clients', () => {
  it("serves clients of different tokens, each with its own token's access and exact errors", async () => {
    const member = clientOf(TOKEN);
    const outsider = clientOf(stranger);
    expect((await member.listRecords(BASE, SEEDED, { maxRecords: 3 })).length).toBe(3);
    await expect(outsider.listRecords(BASE, SEEDED, { maxRecords: 3 })).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 403,
      airtableType: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    });
  });

  it('closing one client ends that client only', async () => {
    const closing = clientOf(TOKEN);
    const staying = clientOf(TOKEN);
    await closing.listRecords(BASE, SEEDED, { maxRecords: 1 });
    await closing.close();
    await expect(closing.listRecords(BASE, SEEDED, { maxRecords: 1 })).rejects.toMatchObject({
      code: 'GATEWAY_INVALID_REQUEST',
    });
    expect((await staying.listRecords(BASE, SEEDED, { maxRecords: 1 })).length).toBe(1);
  });

  it('closing the shared proxy ends every client', async () => {
    const own = createSharedLoopback(rig.engine);
    const client = createAirtableGateway({ engine: rig.engine, token: TOKEN, loopback: own });
    await client.listRecords(BASE, SEEDED, { maxRecords: 1 });
    await own.close();
    await expect(client.listRecords(BASE, SEEDED, { maxRecords: 1 })).rejects.toMatchObject({
      code: 'GATEWAY_INVALID_REQUEST',
    });
  });
});
