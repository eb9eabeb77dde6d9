import { createHmac } from 'node:crypto';
import type { WebhookPayload } from '@airsuite/airtable-gateway';
import { describe, expect, it } from 'vitest';
import { platformSettingsFromEnv } from '../../platform-settings.ts';
import { EVENT_DATA } from '../events/catalogue.ts';
import { namesAfterEach, namesOfSchema } from './field-names.ts';
import { verifyNotificationMac } from './notification-mac.ts';
import { eventsOfPayload, isOwnWrite } from './payload-events.ts';

const BASE = 'appAAAAAAAAAAAAAA';
const TABLE = 'tblAAAAAAAAAAAAAA';
const source = { workspaceId: 'wsp_1', baseId: BASE };
const schema = namesOfSchema({
  tables: [
    {
      id: TABLE,
      name: 'Deals',
      primaryFieldId: 'fldName',
      views: [],
      fields: [
        { id: 'fldName', name: 'Name', type: 'singleLineText' },
        { id: 'fldStage', name: 'Phase', type: 'singleSelect' },
        { id: 'fldTags', name: 'Tags', type: 'multipleSelects' },
        { id: 'fldLinks', name: 'Company', type: 'multipleRecordLinks' },
      ],
    },
  ],
});

const person = {
  source: 'client',
  sourceMetadata: { user: { id: 'usrGrace', email: 'grace@example.com', name: 'Grace Hopper' } },
};

function payload(parts: Partial<WebhookPayload>, n = 1): WebhookPayload {
  return { timestamp: '2026-01-01T00:00:00.000Z', baseTransactionNumber: n, payloadFormat: 'v0', ...parts };
}

describe('events of a payload', () => {
  it('names cells by field, in the REST format, with before and after', () => {
    const events = eventsOfPayload(
      payload({
        actionMetadata: person,
        changedTablesById: {
          [TABLE]: {
            createdRecordsById: {
              recNew: {
                createdTime: '2026-01-01T00:00:00.000Z',
                cellValuesByFieldId: {
                  fldName: 'Acme',
                  fldStage: { id: 'selA', name: 'Lead', color: 'blueLight2' },
                  fldTags: [{ id: 'selB', name: 'hot' }],
                  fldLinks: [{ id: 'recCo', name: 'Acme Inc' }],
                  fldNotes: null,
                },
              },
            },
            changedRecordsById: {
              recOld: {
                current: {
                  cellValuesByFieldId: {
                    fldName: 'B',
                    fldStage: null,
                    fldTags: [{ id: 'selB', name: 'hot' }],
                  },
                },
                previous: {
                  cellValuesByFieldId: {
                    fldName: 'A',
                    fldStage: { id: 'selA', name: 'Lead' },
                    fldTags: null,
                  },
                },
              },
            },
            destroyedRecordIds: ['recGone'],
          },
        },
      }),
      schema,
      source,
    );
    expect(events.map((e) => e.type)).toEqual(['record.created', 'record.updated', 'record.deleted']);
    for (const event of events) {
      expect(event.actor).toEqual({ type: 'airtable', id: 'usrGrace', label: 'Grace Hopper' });
      expect(EVENT_DATA[event.type].safeParse(event.data).success).toBe(true);
    }
    expect(events[0]?.data).toEqual({
      base_id: BASE,
      table_id: TABLE,
      record: { id: 'recNew', fields: { Name: 'Acme', Phase: 'Lead', Tags: ['hot'], Company: ['recCo'] } },
    });
    // Cleared: no `after`; empty before: `before: null`.
    expect(events[1]?.data).toEqual({
      base_id: BASE,
      table_id: TABLE,
      record_id: 'recOld',
      changed_fields: {
        Name: { before: 'A', after: 'B' },
        Phase: { before: 'Lead' },
        Tags: { before: null, after: ['hot'] },
      },
    });
  });

  it('has no `before` without previous values, and Airtable as the actor without a user', () => {
    const [event] = eventsOfPayload(
      payload({
        actionMetadata: { source: 'automation' },
        changedTablesById: {
          [TABLE]: { changedRecordsById: { rec1: { current: { cellValuesByFieldId: { fldName: 'X' } } } } },
        },
      }),
      schema,
      source,
    );
    expect(event?.actor).toEqual({ type: 'airtable', id: 'airtable' });
    expect(event?.data).toMatchObject({ changed_fields: { Name: { after: 'X' } } });
  });

  it('reports tables and fields created and changed, and nothing for destroyed ones or error payloads', () => {
    const events = eventsOfPayload(
      payload({
        actionMetadata: person,
        createdTablesById: {
          tblNew: {
            metadata: { name: 'Partners', description: null },
            fieldsById: { fldP: { name: 'Name', type: 'singleLineText' } },
          },
        },
        changedTablesById: {
          [TABLE]: {
            changedMetadata: { current: { name: 'Opportunities' }, previous: { name: 'Deals' } },
            createdFieldsById: { fldTier: { name: 'Tier', type: 'singleLineText' } },
            changedFieldsById: { fldStage: { current: { name: 'Phase' }, previous: { name: 'Stage' } } },
            destroyedFieldIds: ['fldOld'],
          },
        },
        destroyedTableIds: ['tblOld'],
      }),
      schema,
      source,
    );
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['table.created', { base_id: BASE, table: { id: 'tblNew', name: 'Partners' } }],
      [
        'table.updated',
        { base_id: BASE, table: { id: TABLE, name: 'Opportunities' }, previous: { name: 'Deals' } },
      ],
      [
        'field.created',
        { base_id: BASE, table_id: TABLE, field: { id: 'fldTier', name: 'Tier', type: 'singleLineText' } },
      ],
      [
        'field.updated',
        {
          base_id: BASE,
          table_id: TABLE,
          field: { id: 'fldStage', name: 'Phase', type: 'singleSelect' },
          previous: { name: 'Stage' },
        },
      ],
    ]);
    for (const event of events) expect(EVENT_DATA[event.type].safeParse(event.data).success).toBe(true);
    expect(eventsOfPayload(payload({ error: true, code: 'INVALID_HOOK' }), schema, source)).toEqual([]);
  });

  it("recognises the platform's own writes: public API, as a connection's user", () => {
    const own = new Set(['usrAda']);
    const api = (id: string) =>
      payload({ actionMetadata: { source: 'publicApi', sourceMetadata: { user: { id } } } });
    expect(isOwnWrite(api('usrAda'), own)).toBe(true);
    expect(isOwnWrite(api('usrSomeoneElse'), own)).toBe(false);
    expect(
      isOwnWrite(
        payload({ actionMetadata: { source: 'client', sourceMetadata: { user: { id: 'usrAda' } } } }),
        own,
      ),
    ).toBe(false);
  });
});

describe('names in force at each payload', () => {
  it('undoes later renames, so an older change keeps the name its field had then', () => {
    const change = (cells: Record<string, unknown>) =>
      payload({
        actionMetadata: person,
        changedTablesById: {
          [TABLE]: { changedRecordsById: { rec1: { current: { cellValuesByFieldId: cells } } } },
        },
      });
    const rename = payload({
      changedTablesById: {
        [TABLE]: {
          changedFieldsById: { fldStage: { current: { name: 'Phase' }, previous: { name: 'Stage' } } },
          changedMetadata: { current: { name: 'Deals' }, previous: { name: 'Pipeline' } },
        },
      },
    });
    const created = payload({
      changedTablesById: { [TABLE]: { createdFieldsById: { fldGone: { name: 'Scratch', type: 'number' } } } },
    });
    const pages = [change({ fldStage: 'x' }), rename, change({ fldStage: 'y', fldGone: 3 }), created];
    const names = namesAfterEach(pages, schema);
    expect(names[0]?.fields.get('fldStage')?.name).toBe('Stage');
    expect(names[0]?.tables.get(TABLE)?.name).toBe('Pipeline');
    expect(names[1]?.fields.get('fldStage')?.name).toBe('Phase');
    expect(names[2]?.fields.get('fldStage')?.name).toBe('Phase');
    // A field no longer in the schema keeps the name the page created it with.
    expect(names[2]?.fields.get('fldGone')?.name).toBe('Scratch');
    const [first] = eventsOfPayload(pages[0] as WebhookPayload, names[0] as never, source);
    expect(first?.data).toMatchObject({ changed_fields: { Stage: { after: 'x' } } });
  });
});

describe('notification MACs', () => {
  const secret = Buffer.from('a secret of the webhook').toString('base64');
  const body = Buffer.from('{"base":{"id":"app"},"webhook":{"id":"ach"},"timestamp":"t"}');
  const mac = createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('hex');

  it('verifies the HMAC-SHA256 of the exact body, and nothing else', () => {
    expect(verifyNotificationMac(secret, body, `hmac-sha256=${mac}`)).toBe(true);
    expect(verifyNotificationMac(secret, Buffer.concat([body, Buffer.from(' ')]), `hmac-sha256=${mac}`)).toBe(
      false,
    );
    expect(verifyNotificationMac(Buffer.from('other').toString('base64'), body, `hmac-sha256=${mac}`)).toBe(
      false,
    );
    expect(verifyNotificationMac(secret, body, mac)).toBe(false);
    expect(verifyNotificationMac(secret, body, `hmac-sha256=${mac.slice(2)}`)).toBe(false);
    expect(verifyNotificationMac(secret, body, undefined)).toBe(false);
    expect(verifyNotificationMac(secret, body, [`hmac-sha256=${mac}`])).toBe(false);
  });
});

describe('AIRSUITE_PUBLIC_URL', () => {
  it('is an http(s) URL without credentials, query or fragment, kept without its trailing slash', () => {
    expect(platformSettingsFromEnv({}).publicUrl).toBeUndefined();
    expect(platformSettingsFromEnv({ AIRSUITE_PUBLIC_URL: 'https://air.example.com/' }).publicUrl).toBe(
      'https://air.example.com',
    );
    expect(platformSettingsFromEnv({ AIRSUITE_PUBLIC_URL: 'http://10.0.0.2:8080/suite/' }).publicUrl).toBe(
      'http://10.0.0.2:8080/suite',
    );
    for (const bad of [
      'ftp://x.example',
      'not a url',
      'https://u:p@x.example',
      'https://x.example/?a=1',
      'https://x.example/#f',
    ])
      expect(() => platformSettingsFromEnv({ AIRSUITE_PUBLIC_URL: bad }), bad).toThrow(
        expect.objectContaining({ code: 'PLATFORM_INVALID_SETTING' }),
      );
  });
});
