import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceAccess } from '../principal.ts';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '../testing/platform-rig.ts';
import type { PluginManifestInput } from './manifest.ts';
import { constantAnswer, WAT, wasmOf } from './testing/wat-fixtures.ts';

/**
 * Plugins' before_write hooks guard every write the tools make, before the gateway sends it:
 * a refusal stops the write and its reason reaches the model; an adjustment changes the
 * records' fields; a guard that fails refuses or allows as its manifest chose.
 */

const rig = usePlatformRig({ webhooks: { deliver: false } });

let owner: RigUser;
let workspace = '';
let access: WorkspaceAccess;

async function guard(name: string, source: string, hook: PluginManifestInput['hooks'], limits = {}) {
  const { registry } = rig.platform().plugins;
  const manifest: PluginManifestInput = {
    name,
    version: '1.0.0',
    description: 'A write guard',
    author: 'AirSuite specs',
    hooks: hook,
    limits,
  };
  await registry.publish(access, { manifest, module: await wasmOf(source) });
  await registry.install(access, { name, version: '1.0.0' });
}

const createCompany = (name: string) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/create_records`, {
    auth: owner.auth,
    body: { base_id: SAMPLE_CRM, table: 'Companies', records: [{ fields: { Name: name } }] },
  });

/** Companies with this exact name, read from the emulator itself. */
async function companiesNamed(name: string): Promise<number> {
  const formula = encodeURIComponent(`{Name} = '${name}'`);
  const response = await fetch(
    `${rig.emulator().url}/v0/${SAMPLE_CRM}/Companies?filterByFormula=${formula}`,
    {
      headers: { authorization: `Bearer ${rig.airtableToken()}` },
    },
  );
  return ((await response.json()) as { records: unknown[] }).records.length;
}

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;

beforeEach(async () => {
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  const platform = rig.platform();
  access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
});

describe('write guards', () => {
  it('refuse a write with a reason the model reads, and nothing is written', async () => {
    await guard(
      'owners',
      constantAnswer('before_write', '{"decision":"refuse","reason":"deals need an owner"}'),
      {
        before_write: {},
      },
    );
    const name = unique('Refused Ltd');
    const answer = await createCompany(name);
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toMatchObject({
      code: 'TOOL_PLUGIN_FAILED',
      detail: 'write refused by owners: deals need an owner',
    });
    expect(await companiesNamed(name)).toBe(0);
  });

  it("change the records' fields before they are sent", async () => {
    const adjustedName = unique('Adjusted Ltd');
    await guard(
      'namer',
      constantAnswer(
        'before_write',
        JSON.stringify({ decision: 'adjust', records: [{ fields: { Name: adjustedName } }] }),
      ),
      { before_write: {} },
    );
    const answer = await createCompany(unique('Original Ltd'));
    expect(answer.statusCode).toBe(200);
    expect(await companiesNamed(adjustedName)).toBe(1);
  });

  it('let a write through when they allow it, or when disabled', async () => {
    await guard('allower', constantAnswer('before_write', '{"decision":"allow"}'), { before_write: {} });
    const name = unique('Allowed Ltd');
    expect((await createCompany(name)).statusCode).toBe(200);
    expect(await companiesNamed(name)).toBe(1);
    await guard('refuser', constantAnswer('before_write', '{"decision":"refuse","reason":"no"}'), {
      before_write: {},
    });
    await rig.platform().plugins.registry.setEnabled(access, 'refuser', false);
    expect((await createCompany(unique('Still Ltd'))).statusCode).toBe(200);
  });

  it('that fail refuse the write by default, and allow it when their manifest says so', async () => {
    await guard(
      'hangs',
      WAT.spin.replace('"spin"', '"before_write"'),
      { before_write: {} },
      { timeout_ms: 100 },
    );
    const refused = await createCompany(unique('Unchecked Ltd'));
    expect(refused.statusCode).toBe(502);
    expect(refused.json().detail).toMatch(
      /^write guard hangs could not check this write \(PLUGIN_TIMEOUT: .*\), and it refuses writes it cannot check; nothing was written$/,
    );
    await rig.platform().plugins.registry.uninstall(access, 'hangs');
    await guard(
      'lenient',
      WAT.spin.replace('"spin"', '"before_write"'),
      { before_write: { on_failure: 'allow' } },
      {
        timeout_ms: 100,
      },
    );
    const name = unique('Lenient Ltd');
    expect((await createCompany(name)).statusCode).toBe(200);
    expect(await companiesNamed(name)).toBe(1);
  });

  it('that answer nonsense count as failed', async () => {
    await guard('garbled', constantAnswer('before_write', '{"decision":"maybe"}'), { before_write: {} });
    const answer = await createCompany(unique('Garbled Ltd'));
    expect(answer.json().detail).toMatch(
      /^write guard garbled could not check this write \(its answer is not a decision/,
    );
  });
});
