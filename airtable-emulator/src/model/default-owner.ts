import type { EmulatorContext } from '../context.ts';

const DEV_USER = { email: 'dev@airsuite.local', name: 'AirSuite Developer' };

/** The base owner (the first user), made as the local developer when there is none yet. */
export function ensureOwner(ctx: Pick<EmulatorContext, 'store' | 'ids'>): string {
  const first = ctx.store.users.values().next().value;
  if (first) return first.id;
  const id = ctx.ids('usr');
  ctx.store.users.set(id, { id, ...DEV_USER });
  return id;
}
