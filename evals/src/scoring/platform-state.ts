import type { Platform, WorkspaceAccess } from '@airsuite/platform-api';
import { matchValue } from '../scenario/matchers.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';

type PlatformExpectations = NonNullable<Scenario['expect']['platform']>;

/** Each expected entry must match (as a subset) at least one of `actual`. */
function missingFrom(kind: string, expected: readonly Record<string, unknown>[], actual: readonly unknown[]) {
  return expected
    .filter((want) => !actual.some((have) => matchValue({ $subset: want }, have).length === 0))
    .map((want) => `wrong end state: no ${kind} like ${JSON.stringify(want)} (found ${actual.length})`);
}

/**
 * The platform side of an end state, read through the platform's own services as the
 * scenario's workspace owner would see it: webhook endpoints (`url`, `event_types`, `enabled`,
 * `description`) and members (`email`, `role`), snake_case like the tools.
 */
export async function checkPlatformState(
  platform: Platform,
  access: WorkspaceAccess,
  expected: PlatformExpectations | undefined,
): Promise<string[]> {
  if (!expected) return [];
  const problems: string[] = [];
  if (expected.webhooks) {
    const endpoints = (await platform.webhooks.endpoints.list(access)).map((e) => ({
      id: e.id,
      url: e.url,
      description: e.description,
      event_types: e.eventTypes,
      enabled: e.enabled,
    }));
    problems.push(...missingFrom('webhook endpoint', expected.webhooks, endpoints));
  }
  if (expected.members) {
    const members = (await platform.members.list(access)).map((m) => ({
      user_id: m.userId,
      email: m.email,
      role: m.role,
    }));
    problems.push(...missingFrom('member', expected.members, members));
  }
  return problems;
}
