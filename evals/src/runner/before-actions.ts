import { faultSchema } from '@airsuite/airtable-emulator';
import type { BeforeAction } from '../scenario/scenario-schema.ts';
import { emulatorTableReader, pickRecords } from '../scoring/end-state.ts';
import type { EvalWorld } from './eval-world.ts';

/** Airtable's own batch limit: what one request may delete or change. */
const BATCH = 10;

async function pick(world: EvalWorld, base: string, table: string, where: Record<string, unknown>) {
  const picked = pickRecords(await emulatorTableReader(world.emulator)(base, table), where);
  if (picked.length === 0) {
    throw new Error(`before: no record of ${table} where ${JSON.stringify(where)} to change`);
  }
  return picked;
}

/** Another person's request, made with the world's token straight to Airtable (the emulator). */
async function airtable(world: EvalWorld, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${world.emulator.url}/v0/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${world.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`before: ${method} ${path}: ${response.status} ${await response.text()}`);
}

/**
 * What happens before the person speaks: someone else deletes or changes records (through
 * Airtable's API, as another client would, so the gateway's cache and the agent learn of it
 * only as they would in production), or Airtable starts failing (the emulator's faults).
 */
export async function runBeforeActions(world: EvalWorld, actions: readonly BeforeAction[]): Promise<void> {
  for (const action of actions) {
    if ('faults' in action) {
      world.emulator.admin.setFaults(faultSchema.parse(action.faults));
      continue;
    }
    if ('delete' in action) {
      const { base, table, where } = action.delete;
      const ids = (await pick(world, base, table, where)).map((r) => r.id);
      for (let i = 0; i < ids.length; i += BATCH) {
        const query = ids
          .slice(i, i + BATCH)
          .map((id) => `records[]=${id}`)
          .join('&');
        await airtable(world, 'DELETE', `${base}/${encodeURIComponent(table)}?${query}`);
      }
      continue;
    }
    const { base, table, where, fields } = action.update;
    const ids = (await pick(world, base, table, where)).map((r) => r.id);
    for (let i = 0; i < ids.length; i += BATCH) {
      const records = ids.slice(i, i + BATCH).map((id) => ({ id, fields }));
      await airtable(world, 'PATCH', `${base}/${encodeURIComponent(table)}`, { records });
    }
  }
}
