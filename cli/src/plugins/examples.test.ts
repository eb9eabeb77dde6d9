import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RigUser, SAMPLE_CRM, usePlatformRig } from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from './build-plugin.ts';

// The kit's example plugins (cli/plugin-kit/examples), each built from source, published and
// installed in a workspace of a real platform (PGlite, the sample bases in the emulator), and
// called as models call them: through their tools, and through the write tools they guard.

const EXAMPLES = fileURLToPath(new URL('../../plugin-kit/examples/', import.meta.url));
const rig = usePlatformRig({ webhooks: { deliver: false } });

let out: string;
let owner: RigUser;
let workspace: string;

/** The emulator's own API, for fixtures no tool (and so no write guard) should see being written. */
async function emulator(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${rig.emulator().url}${path}`, {
    method,
    headers: { authorization: `Bearer ${rig.airtableToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

const createRecords = (table: string, rows: Record<string, unknown>[]) =>
  emulator('POST', `/v0/${SAMPLE_CRM}/${table}`, { records: rows.map((fields) => ({ fields })) });

const tool = (name: string, body: unknown) =>
  rig.call('POST', `/v1/workspaces/${workspace}/tools/${name}`, { auth: owner.auth, body });

async function install(example: string): Promise<void> {
  const built = await buildPlugin(join(EXAMPLES, example), { outFile: join(out, `${example}.wasm`) });
  const platform = rig.platform();
  const access = await platform.workspaces.access(await platform.authenticate(owner.accessToken), workspace);
  await platform.plugins.registry.publish(access, { manifest: built.manifest, module: built.module });
  await platform.plugins.registry.install(access, {
    name: built.manifest.name,
    version: built.manifest.version,
  });
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'airsuite-examples-'));
  owner = await rig.user('owner');
  workspace = await rig.workspace(owner, { connect: true });
  for (const example of ['lead-scoring', 'dedupe', 'owner-validator']) await install(example);
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('lead-scoring', () => {
  beforeAll(async () => {
    await emulator('POST', `/v0/meta/bases/${SAMPLE_CRM}/tables`, {
      name: 'Leads',
      fields: [
        { name: 'Name', type: 'singleLineText' },
        { name: 'Employees', type: 'number', options: { precision: 0 } },
        { name: 'Budget', type: 'currency', options: { precision: 0, symbol: '$' } },
        {
          name: 'Stage',
          type: 'singleSelect',
          options: {
            choices: ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'].map(
              (name) => ({
                name,
              }),
            ),
          },
        },
      ],
    });
    await createRecords('Leads', [
      { Name: 'Zoë’s Bakery — 東京', Employees: 12, Budget: 3_000, Stage: 'Lead' },
      { Name: 'Acme Rockets', Employees: 1_500, Budget: 150_000, Stage: 'Negotiation' },
      { Name: 'Mid Corp', Employees: 250, Budget: 30_000, Stage: 'Proposal' },
      { Name: 'Small Shop', Employees: 25, Budget: 6_000, Stage: 'Qualified' },
      { Name: 'Won Co', Employees: 50, Budget: 20_000, Stage: 'Closed Won' },
      { Name: 'Lost Ltd', Employees: 5_000, Budget: 500_000, Stage: 'Closed Lost' },
    ]);
  });

  it('scores each lead from its employees, budget and stage, hottest first (ties in table order)', async () => {
    const answer = await tool('plugin_lead_scoring_score', { table: 'Leads' });
    expect(answer.statusCode).toBe(200);
    const { scores, count } = answer.json().output as {
      scores: { name: string; score: number; grade: string; reasons: string[] }[];
      count: number;
    };
    expect(count).toBe(6);
    expect(scores.map(({ name, score, grade }) => [name, score, grade])).toEqual([
      ['Acme Rockets', 95, 'hot'],
      ['Mid Corp', 65, 'warm'],
      ['Won Co', 60, 'warm'],
      ['Lost Ltd', 60, 'warm'],
      ['Small Shop', 35, 'cold'],
      ['Zoë’s Bakery — 東京', 5, 'cold'],
    ]);
    expect(scores[0]?.reasons).toEqual([
      '1500 employees: +30',
      'budget 150000: +30',
      'stage Negotiation: +35',
    ]);
  });

  it("scores the sample's deals by their Amount and Stage", async () => {
    const answer = await tool('plugin_lead_scoring_score', { table: 'Deals', max_records: 5 });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().output.count).toBe(5);
  });
});

describe('dedupe', () => {
  beforeAll(async () => {
    const planted = (name: string, email: string) => ({
      'Full Name': name,
      Email: email,
      Title: 'dedupe spec',
    });
    await createRecords('Contacts', [
      planted('Zoë Müller', 'Zoe.Mueller@Example.com'),
      planted('  zoë   MÜLLER ', 'zoe.m@example.org'),
      planted('Z. Müller', ' ZOE.MUELLER@example.com '),
      planted('Kenji Tanaka', 'kenji@example.jp'),
      planted('KENJI TANAKA', 'k.tanaka@example.jp'),
      planted('Unique Person', 'unique@example.com'),
      planted('Other', ''),
      planted('Another', ''),
    ]);
  });

  it('finds the planted duplicates: one group through emails and names, one through names only', async () => {
    const answer = await tool('plugin_dedupe_find_duplicates', {
      filter_by_formula: "{Title} = 'dedupe spec'",
    });
    expect(answer.statusCode).toBe(200);
    const output = answer.json().output as {
      groups: { matched_on: string[]; records: { name: string }[] }[];
      scanned: number;
      duplicates: number;
    };
    expect(output.scanned).toBe(8);
    expect(output.duplicates).toBe(5);
    expect(output.groups.map((g) => [g.matched_on, g.records.map((r) => r.name)])).toEqual([
      [
        ['email', 'name'],
        ['Zoë Müller', '  zoë   MÜLLER ', 'Z. Müller'],
      ],
      [['name'], ['Kenji Tanaka', 'KENJI TANAKA']],
    ]);
  });
});

describe('owner-validator', () => {
  const deal = (fields: Record<string, unknown>) =>
    tool('create_records', { base_id: SAMPLE_CRM, table: 'Deals', records: [{ fields }] });

  it('refuses a deal without an Owner, and the model reads why; nothing is written', async () => {
    const answer = await deal({ 'Deal Name': 'Ownerless deal — Zoë' });
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toMatchObject({
      code: 'TOOL_PLUGIN_FAILED',
      detail: 'write refused by owner_validator: every deal needs an Owner (records[0] has none)',
    });
  });

  it('lets a deal with an Owner through, and writes to other tables alone', async () => {
    const owned = await deal({ 'Deal Name': 'Owned deal', Owner: 'Ada Lovelace' });
    expect(owned.statusCode).toBe(200);
    expect(owned.json().output).toMatchObject({ created: 1 });
    const company = await tool('create_records', {
      base_id: SAMPLE_CRM,
      table: 'Companies',
      records: [{ fields: { Name: 'No owner needed here' } }],
    });
    expect(company.statusCode).toBe(200);
  });

  it('refuses a change that takes a deal’s Owner away, and allows one that leaves it', async () => {
    const created = (await deal({ 'Deal Name': 'Soon ownerless', Owner: 'Grace Hopper' })).json().output as {
      records: { id: string }[];
    };
    const id = created.records[0]?.id;
    const update = (fields: Record<string, unknown>) =>
      tool('update_records', { base_id: SAMPLE_CRM, table: 'Deals', records: [{ id, fields }] });
    expect((await update({ Owner: null })).json()).toMatchObject({ code: 'TOOL_PLUGIN_FAILED' });
    expect((await update({ 'Deal Name': 'Still owned' })).statusCode).toBe(200);
  });
});
