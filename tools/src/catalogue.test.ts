import { describe, expect, it } from 'vitest';
import { createCatalogue } from './catalogue.ts';
import type { WorkspaceRole } from './core/platform-port.ts';

const READS = [
  'list_bases',
  'describe_base',
  'describe_table',
  'list_records',
  'search_records',
  'get_record',
  'count_records',
  'aggregate_records',
  'list_comments',
];
const WRITES = [
  'create_records',
  'update_records',
  'delete_records',
  'create_table',
  'update_table',
  'create_field',
  'update_field',
  'create_comment',
  'upload_attachment',
  // What the multi-record writes did: listed with the writes, for those who may write.
  'get_operation',
  'list_operations',
];
// run_plugin_function too: the function's own role decides what a viewer may run (read-only ones).
const PLATFORM_VIEWER = [
  'whoami',
  'list_workspaces',
  'list_members',
  'list_connections',
  'list_plugins',
  'run_plugin_function',
];
// Admins and owners: the audit log, the webhooks and installing plugins (platform changes,
// never Airtable writes, so a read-only deployment keeps them).
const AUDIT = [
  'list_audit_events',
  'list_webhook_event_types',
  'list_webhooks',
  'create_webhook',
  'update_webhook',
  'delete_webhook',
  'list_webhook_deliveries',
  'replay_webhook_delivery',
  'send_test_webhook',
  'install_plugin',
  'set_plugin_enabled',
];

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();
const sorted = (...lists: string[][]) => lists.flat().sort();

describe('createCatalogue', () => {
  it('keeps the old catalogue without options: reads and writes, no platform tools', () => {
    expect(names(createCatalogue({ readOnly: false }))).toEqual(sorted(READS, WRITES));
    expect(names(createCatalogue({ readOnly: true }))).toEqual(sorted(READS));
  });

  it('lists every tool once, reads before writes', () => {
    const all = createCatalogue({ readOnly: false }, { platform: true }).map((t) => t.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, READS.length)).toEqual(READS);
  });

  const cases: [WorkspaceRole | undefined, boolean, string[]][] = [
    [undefined, false, sorted(READS, WRITES)],
    [undefined, true, sorted(READS, WRITES, PLATFORM_VIEWER, AUDIT)],
    ['viewer', false, sorted(READS)],
    ['viewer', true, sorted(READS, PLATFORM_VIEWER)],
    ['editor', false, sorted(READS, WRITES)],
    ['editor', true, sorted(READS, WRITES, PLATFORM_VIEWER)],
    ['admin', false, sorted(READS, WRITES)],
    ['admin', true, sorted(READS, WRITES, PLATFORM_VIEWER, AUDIT)],
    ['owner', false, sorted(READS, WRITES)],
    ['owner', true, sorted(READS, WRITES, PLATFORM_VIEWER, AUDIT)],
  ];

  it.each(cases)('role %s, platform %s', (role, platform, expected) => {
    expect(names(createCatalogue({ readOnly: false }, { role, platform }))).toEqual(expected);
  });

  it.each(cases)('role %s, platform %s, read-only: no write tools', (role, platform, expected) => {
    const readOnlyExpected = expected.filter((name) => !WRITES.includes(name));
    expect(names(createCatalogue({ readOnly: true }, { role, platform }))).toEqual(readOnlyExpected);
  });
});
