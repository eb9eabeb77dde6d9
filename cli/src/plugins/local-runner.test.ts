import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constantAnswer, SAMPLE_CRM, WAT, wasmOf } from '@airsuite/platform-api/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalRunner } from './local-runner.ts';

/**
 * The local runner (`airsuite plugin run`) runs a plugin from its folder as the platform
 * would: its functions against the emulator's sample bases within its grants, its
 * before_write hook on a tool's write, its on_event hook on the events a write makes.
 */

const folders: string[] = [];

async function pluginFolder(manifest: Record<string, unknown>, wat: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'airsuite-run-'));
  folders.push(dir);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await mkdir(join(dir, 'build'));
  await writeFile(join(dir, 'build', 'plugin.wasm'), await wasmOf(wat));
  return dir;
}

const about = { version: '1.0.0', description: 'Runs locally', author: 'AirSuite specs' };

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the local runner', () => {
  it('runs a function against the sample bases, within its grants', async () => {
    const dir = await pluginFolder(
      {
        name: 'reader',
        ...about,
        functions: [
          {
            name: 'relay_records_list',
            description: 'Relays records_list.',
            input_schema: { type: 'object' },
          },
        ],
        permissions: { records: { read: [{ base: SAMPLE_CRM, tables: ['Deals'] }] } },
      },
      WAT.relay(['records_list']),
    );
    const runner = await openLocalRunner(dir);
    try {
      expect(runner.bases['Sales CRM']).toBe(SAMPLE_CRM);
      const read = await runner.call('relay_records_list', {
        base: SAMPLE_CRM,
        table: 'Deals',
        max_records: 2,
      });
      expect(read).toMatchObject({ ok: true, output: { ok: true } });
      expect((read.output as { records: unknown[] }).records).toHaveLength(2);
      const denied = await runner.call('relay_records_list', { base: SAMPLE_CRM, table: 'Contacts' });
      expect(denied.output).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await runner.call('missing', {})).toMatchObject({
        ok: false,
        error: { code: 'PLUGIN_FUNCTION_NOT_FOUND' },
      });
    } finally {
      await runner.close();
    }
  }, 60_000);

  it("runs a tool's write through the before_write hook", async () => {
    const dir = await pluginFolder(
      { name: 'guard', ...about, hooks: { before_write: {} } },
      constantAnswer(
        'before_write',
        JSON.stringify({ decision: 'refuse', reason: 'every deal needs an Owner' }),
      ),
    );
    const runner = await openLocalRunner(dir);
    try {
      const refused = await runner.tool('create_records', {
        base_id: SAMPLE_CRM,
        table: 'Companies',
        records: [{ fields: { Name: 'Refused Ltd' } }],
      });
      expect(refused.ok).toBe(false);
      expect(refused.error?.message).toContain('every deal needs an Owner');
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('hands the events of a write to the on_event hook and reports the deliveries', async () => {
    const dir = await pluginFolder(
      {
        name: 'watcher',
        ...about,
        hooks: { on_event: { events: ['record.created'] } },
        permissions: { kv: true },
      },
      WAT.storeEvent,
    );
    const runner = await openLocalRunner(dir);
    try {
      const created = await runner.tool('create_records', {
        base_id: SAMPLE_CRM,
        table: 'Companies',
        records: [{ fields: { Name: 'Watched Ltd' } }],
      });
      expect(created.ok).toBe(true);
      expect(created.deliveries).toEqual([
        { plugin: 'watcher', type: 'record.created', state: 'delivered', last_error: null },
      ]);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('says what to do about a folder that is not a built plugin, or a plugin the platform refuses', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'airsuite-run-'));
    folders.push(empty);
    await expect(openLocalRunner(empty)).rejects.toThrow(/is .* a plugin folder/);
    const invalid = await pluginFolder({ name: 'Bad Name', ...about, functions: [] }, WAT.echo);
    await expect(openLocalRunner(invalid)).rejects.toThrow(/could not be installed: PLUGIN_INVALID/);
  }, 60_000);
});
