import { describe, expect, it } from 'vitest';
import { usePlatformRig } from '../../testing/platform-rig.ts';

const rig = usePlatformRig();

describe('requests a role forbids', () => {
  it('leave an access.denied row naming the operation in the workspace trail', async () => {
    const owner = await rig.user('owner');
    const viewer = await rig.user('viewer');
    const workspaceId = await rig.workspace(owner);
    await rig.addMember(owner, workspaceId, viewer, 'viewer');
    const refused = await rig.call('PATCH', `/v1/workspaces/${workspaceId}`, {
      auth: viewer.auth,
      body: { name: 'Mine now' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN');
    const audit = await rig.call('GET', `/v1/workspaces/${workspaceId}/audit?action=access.denied`, {
      auth: owner.auth,
    });
    expect(audit.json().events).toEqual([
      expect.objectContaining({
        action: 'access.denied',
        actor: expect.objectContaining({ type: 'user', id: viewer.id }),
        target: { type: 'operation', id: 'updateWorkspace' },
        outcome: 'denied',
        error_code: 'FORBIDDEN',
      }),
    ]);
  });

  it('leave nothing in a workspace the caller cannot see', async () => {
    const owner = await rig.user('owner');
    const stranger = await rig.user('stranger');
    const workspaceId = await rig.workspace(owner);
    const refused = await rig.call('DELETE', `/v1/workspaces/${workspaceId}`, { auth: stranger.auth });
    expect(refused.json().code).toBe('WORKSPACE_NOT_FOUND');
    const [row] = await rig
      .db()
      .query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'access.denied'",
        [workspaceId],
      );
    expect(row?.n).toBe(0);
  });
});
