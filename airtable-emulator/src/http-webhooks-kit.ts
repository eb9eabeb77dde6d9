import { expect } from 'vitest';
import { json, send } from './http-test-helpers.ts';
import type { TestEmulator } from './test-support.ts';

/**
 * Test support for the webhook specs: a small base with stable ids (so payloads can be written
 * out in full), and helpers for the webhooks API.
 */
export const HB = 'appWebhookBase001';
/** A base the token owner may edit but not create in (webhooks need creator permission). */
export const EDIT_BASE = 'appWebhookEdits01';

export const TASKS = 'tblTasks000000001';
export const PROJECTS = 'tblProjects000001';
export const OPEN_VIEW = 'viwTasksOpen00001';
export const F = {
  name: 'fldTaskName000001',
  status: 'fldTaskStatus0001',
  hours: 'fldTaskHours00001',
  project: 'fldTaskProject001',
  projectName: 'fldProjName000001',
  projectTasks: 'fldProjTasks00001',
} as const;
export const TASK_1 = 'recTask0000000001';
export const TASK_2 = 'recTask0000000002';
export const PROJECT = 'recProject0000001';
export const TODO = { id: 'selTodo0000000001', name: 'Todo', color: 'blueLight2' };
export const DONE = { id: 'selDone0000000001', name: 'Done', color: 'greenBright' };

export const OWNER = { id: 'usrWebhookOwner01', email: 'owner@hooks.test', name: 'Hook Owner' };
export const PERSON = { id: 'usrWebhookPerson1', email: 'grace@hooks.test', name: 'Grace Hopper' };

export function hooksFixture() {
  return {
    version: 1,
    users: [OWNER, PERSON],
    bases: [
      {
        id: HB,
        name: 'Hooks',
        permissionLevel: 'create',
        tables: [
          {
            id: TASKS,
            name: 'Tasks',
            fields: [
              { id: F.name, name: 'Name', type: 'singleLineText' },
              { id: F.status, name: 'Status', type: 'singleSelect', options: { choices: [TODO, DONE] } },
              { id: F.hours, name: 'Hours', type: 'number', options: { precision: 1 } },
              {
                id: F.project,
                name: 'Project',
                type: 'multipleRecordLinks',
                options: { linkedTableId: PROJECTS, inverseLinkFieldId: F.projectTasks },
              },
            ],
            views: [
              { id: 'viwTasksGrid00001', name: 'Grid view', type: 'grid' },
              { id: OPEN_VIEW, name: 'Open', type: 'grid', filterByFormula: "{Status} != 'Done'" },
            ],
            records: [
              {
                id: TASK_1,
                createdTime: '2026-01-01T00:00:00.000Z',
                fields: { Name: 'Write spec', Status: 'Todo', Hours: 2, Project: [PROJECT] },
              },
              {
                id: TASK_2,
                createdTime: '2026-01-01T00:00:00.000Z',
                fields: { Name: 'Ship', Status: 'Todo' },
              },
            ],
          },
          {
            id: PROJECTS,
            name: 'Projects',
            fields: [
              { id: F.projectName, name: 'Name', type: 'singleLineText' },
              {
                id: F.projectTasks,
                name: 'Tasks',
                type: 'multipleRecordLinks',
                options: { linkedTableId: TASKS, inverseLinkFieldId: F.project },
              },
            ],
            records: [{ id: PROJECT, createdTime: '2026-01-01T00:00:00.000Z', fields: { Name: 'Launch' } }],
          },
        ],
      },
      {
        id: EDIT_BASE,
        name: 'Edit only',
        permissionLevel: 'edit',
        tables: [{ name: 'Things', fields: [{ name: 'Name', type: 'singleLineText' }] }],
      },
    ],
  };
}

/** Replaces every base with the hooks fixture (forgetting all webhooks). */
export async function resetToHooksBase(t: TestEmulator): Promise<void> {
  await json(await t.admin('/reset', { body: { seed: hooksFixture() } }));
}

export interface CreatedHook {
  id: string;
  macSecretBase64: string;
  expirationTime: string;
}

export interface HookSpec {
  filters: Record<string, unknown>;
  includes?: Record<string, unknown>;
}

export function hookBody(spec: HookSpec, notificationUrl?: string): Record<string, unknown> {
  return {
    ...(notificationUrl === undefined ? {} : { notificationUrl }),
    specification: { options: spec },
  };
}

export async function createHook(
  t: TestEmulator,
  spec: HookSpec,
  notificationUrl?: string,
  baseId = HB,
): Promise<CreatedHook> {
  return json<CreatedHook>(
    await t.api(`/v0/bases/${baseId}/webhooks`, send('POST', hookBody(spec, notificationUrl))),
  );
}

export interface ListedHook {
  id: string;
  areNotificationsEnabled: boolean;
  cursorForNextPayload: number;
  isHookEnabled: boolean;
  lastSuccessfulNotificationTime: string | null;
  notificationUrl: string | null;
  expirationTime: string;
  lastNotificationResult: Record<string, unknown> | null;
  specification: unknown;
}

export async function listHooks(t: TestEmulator, baseId = HB): Promise<ListedHook[]> {
  return (await json<{ webhooks: ListedHook[] }>(await t.api(`/v0/bases/${baseId}/webhooks`))).webhooks;
}

export async function listedHook(t: TestEmulator, hookId: string, baseId = HB): Promise<ListedHook> {
  const hook = (await listHooks(t, baseId)).find((h) => h.id === hookId);
  expect(hook, `webhook ${hookId} is listed`).toBeDefined();
  return hook as ListedHook;
}

export interface Payload {
  timestamp: string;
  baseTransactionNumber: number;
  payloadFormat: string;
  actionMetadata: { source: string; sourceMetadata: Record<string, unknown> };
  changedTablesById?: Record<string, Record<string, unknown>>;
  createdTablesById?: Record<string, Record<string, unknown>>;
  destroyedTableIds?: string[];
}

export interface PayloadPage {
  cursor: number;
  mightHaveMore: boolean;
  payloads: Payload[];
}

export async function payloadPage(
  t: TestEmulator,
  hookId: string,
  query = '',
  baseId = HB,
): Promise<PayloadPage> {
  return json<PayloadPage>(await t.api(`/v0/bases/${baseId}/webhooks/${hookId}/payloads${query}`));
}

/** Every payload the webhook holds, from cursor 1. */
export async function allPayloads(t: TestEmulator, hookId: string): Promise<Payload[]> {
  return (await payloadPage(t, hookId)).payloads;
}

/** The one changed-table entry of a webhook's only payload. */
export async function onlyChange(
  t: TestEmulator,
  hookId: string,
  tableId = TASKS,
): Promise<Record<string, unknown>> {
  const payloads = await allPayloads(t, hookId);
  expect(payloads).toHaveLength(1);
  return payloads[0]?.changedTablesById?.[tableId] ?? {};
}

/** PATCHes one task through the API. */
export async function patchTask(t: TestEmulator, recordId: string, fields: Record<string, unknown>) {
  return json(await t.api(`/v0/${HB}/Tasks/${recordId}`, send('PATCH', { fields })));
}

type ChangedRecords = Record<string, { current: { cellValuesByFieldId: Record<string, unknown> } }>;

/** The current cells a payload gives for one changed record, or undefined. */
export function changedCells(
  payload: Payload | undefined,
  recordId: string,
  tableId = TASKS,
): Record<string, unknown> | undefined {
  const records = payload?.changedTablesById?.[tableId]?.changedRecordsById as ChangedRecords | undefined;
  return records?.[recordId]?.current.cellValuesByFieldId;
}
