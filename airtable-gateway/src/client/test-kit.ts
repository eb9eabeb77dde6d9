import type { Fixture } from '@airsuite/airtable-emulator';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine, type GatewayEngine } from '../engine.ts';
import type { GatewayOptions } from '../options.ts';
import {
  type AirtableGateway,
  type AirtableGatewayOptions,
  createAirtableGateway,
} from './airtable-gateway.ts';

/** Shared setup for the client specs: an emulator with rate limits ON, an engine, a client. */

export const TOKEN = 'client-test-token-0001';
export const BASE = 'appClientTest0001';
/** Empty at start; the write specs fill it. */
export const ITEMS = 'Items';
/** 250 records whose `Index` is 0–249, in creation order; record 0 carries 150 comments. */
export const SEEDED = 'Seeded';
export const SEEDED_COUNT = 250;
export const SEEDED_COMMENTS = 150;

export function clientFixture(): Fixture {
  return {
    version: 1,
    users: [{ id: 'usrClientTester01', email: 'tester@example.com', name: 'Tester' }],
    bases: [
      {
        id: BASE,
        name: 'Client tests',
        tables: [
          {
            name: ITEMS,
            fields: [
              { name: 'Name', type: 'singleLineText' },
              { name: 'Index', type: 'number', options: { precision: 0 } },
              {
                name: 'Status',
                type: 'singleSelect',
                options: { choices: [{ name: 'Todo' }, { name: 'Done' }] },
              },
              { name: 'Notes', type: 'multilineText' },
            ],
          },
          {
            name: SEEDED,
            fields: [
              { name: 'Name', type: 'singleLineText' },
              { name: 'Index', type: 'number', options: { precision: 0 } },
            ],
            records: Array.from({ length: SEEDED_COUNT }, (_, i) => ({
              fields: { Name: `Row ${i}`, Index: i },
              ...(i === 0
                ? {
                    comments: Array.from({ length: SEEDED_COMMENTS }, (_, c) => ({
                      authorId: 'usrClientTester01',
                      text: `Comment ${c}`,
                    })),
                  }
                : {}),
            })),
          },
        ],
      },
    ],
  };
}

export interface UpstreamStats {
  requests: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  byBase: Record<string, { requests: number; rateLimited: number }>;
}

export interface ClientRig {
  emulator: RunningEmulator;
  engine: GatewayEngine;
  gateway: AirtableGateway;
  /** The emulator's admin API (`/__emulator/...`); JSON in and out. */
  admin(path: string, body?: unknown, method?: string): Promise<unknown>;
  stats(): Promise<UpstreamStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export interface ClientRigOptions {
  engine?: GatewayOptions;
  rateLimits?: { perBase?: number; perOwner?: number; penaltyMs?: number };
  client?: Partial<AirtableGatewayOptions>;
  iteratorTtlMs?: number;
}

/** Emulator limits 50/base and 200/owner (penalty 2 s) and an engine kept just under them. */
export async function startClientRig(options: ClientRigOptions = {}): Promise<ClientRig> {
  const emulator = await createEmulator({
    port: 0,
    seed: clientFixture(),
    tokens: [TOKEN],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000, ...options.rateLimits },
    ...(options.iteratorTtlMs === undefined ? {} : { iteratorTtlMs: options.iteratorTtlMs }),
  });
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
    penaltyMs: 2000,
    ...options.engine,
  });
  const gateway = createAirtableGateway({ engine, token: TOKEN, ...options.client });
  const admin = async (path: string, body?: unknown, method?: string) => {
    const response = await fetch(`${emulator.url}/__emulator${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json() as Promise<unknown>;
  };
  return {
    emulator,
    engine,
    gateway,
    admin,
    stats: () => admin('/stats') as Promise<UpstreamStats>,
    resetStats: async () => {
      await admin('/stats', undefined, 'DELETE');
    },
    async close() {
      await gateway.close();
      await engine.close();
      await emulator.close();
    },
  };
}

/** `n` new Items records whose `Index` is their position. */
export function numbered(n: number, from = 0): { fields: { Name: string; Index: number } }[] {
  return Array.from({ length: n }, (_, i) => ({ fields: { Name: `Item ${from + i}`, Index: from + i } }));
}
