import type { Platform, WorkspaceAccess } from '@airsuite/platform-api';
import { matchValue } from '../scenario/matchers.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';

type PlatformExpectations = NonNullable<Scenario['expect']['platform']>;

const matches = (want: Record<string, unknown>, have: unknown) =>
  matchValue({ $subset: want }, have).length === 0;

/** Each expected entry must match (as a subset) at least one of `actual`. */
function missingFrom(kind: string, expected: readonly Record<string, unknown>[], actual: readonly unknown[]) {
  return expected
    .filter((want) => !actual.some((have) => matches(want, have)))
    .map((want) => `wrong end state: no ${kind} like ${JSON.stringify(want)} (found ${actual.length})`);
}

/** Each absent entry must match none of `actual`. */
function presentIn(kind: string, absent: readonly Record<string, unknown>[], actual: readonly unknown[]) {
  return absent
    .filter((want) => actual.some((have) => matches(want, have)))
    .map((want) => `wrong end state: a ${kind} like ${JSON.stringify(want)} should not exist`);
}

type Kind = 'webhooks' | 'members' | 'plugins';
const KIND_NAMES: Record<Kind, string> = {
  webhooks: 'webhook endpoint',
  members: 'member',
  plugins: 'plugin',
};

/**
 * The platform side of an end state, read through the platform's own services as the
 * scenario's workspace owner would see it: webhook endpoints (`url`, `event_types`, `enabled`,
 * `description`), members (`email`, `role`) and plugins (`name`, `version`, `status`, `config`),
 * snake_case like the tools; `absent` entries must match none.
 */
export async function checkPlatformState(
  platform: Platform,
  access: WorkspaceAccess,
  expected: PlatformExpectations | undefined,
): Promise<string[]> {
  if (!expected) return [];
  const read: Record<Kind, () => Promise<unknown[]>> = {
    webhooks: async () =>
      (await platform.webhooks.endpoints.list(access)).map((e) => ({
        id: e.id,
        url: e.url,
        description: e.description,
        event_types: e.eventTypes,
        enabled: e.enabled,
      })),
    members: async () =>
      (await platform.members.list(access)).map((m) => ({ user_id: m.userId, email: m.email, role: m.role })),
    plugins: async () =>
      (await platform.plugins.registry.list(access)).map((p) => ({
        name: p.name,
        version: p.version,
        status: p.status,
        config: p.config,
      })),
  };
  const problems: string[] = [];
  for (const kind of Object.keys(read) as Kind[]) {
    const want = expected[kind];
    const absent = expected.absent?.[kind];
    if (!want && !absent) continue;
    const actual = await read[kind]();
    if (want) problems.push(...missingFrom(KIND_NAMES[kind], want, actual));
    if (absent) problems.push(...presentIn(KIND_NAMES[kind], absent, actual));
  }
  return problems;
}
