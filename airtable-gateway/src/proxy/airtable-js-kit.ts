import Airtable from 'airtable';
import { BASE, type ClientRig, type ClientRigOptions, startClientRig, TOKEN } from '../client/test-kit.ts';
import { type RunningGatewayServer, startGatewayServer } from './server.ts';

/**
 * Shared setup of the `airtable-js-*.test.ts` conformance specs: the official airtable.js
 * client pointed at the gateway's public proxy, over the client specs' emulator (rate limits
 * on at both ends), exactly as a user would point it at port 8002.
 */

export type Fields = Airtable.FieldSet;

export interface ProxyRig extends ClientRig {
  proxy: RunningGatewayServer;
}

export async function startProxyRig(options: ClientRigOptions = {}): Promise<ProxyRig> {
  const rig = await startClientRig(options);
  const proxy = await startGatewayServer({ engine: rig.engine, port: 0, host: '127.0.0.1' });
  return {
    ...rig,
    proxy,
    async close() {
      await proxy.close();
      await rig.close();
    },
  };
}

export interface BaseOptions {
  apiKey?: string;
  baseId?: string;
  /** airtable.js retries a 429 itself unless told not to; set it to see every 429 the client gets. */
  noRetryIfRateLimited?: boolean;
}

/** An airtable.js base at `endpointUrl` (the proxy's URL, or the emulator's for a direct call). */
export function airtableBase(endpointUrl: string, options: BaseOptions = {}): Airtable.Base {
  const { apiKey = TOKEN, baseId = BASE, noRetryIfRateLimited = false } = options;
  return new Airtable({ apiKey, endpointUrl, noRetryIfRateLimited }).base(baseId);
}

/** airtable.js sends these options as they are, but its types know neither id-less records nor performUpsert. */
export type UpsertCall = (
  records: { id?: string; fields: Fields }[],
  options: { performUpsert: { fieldsToMergeOn: string[] }; typecast?: boolean },
) => Promise<Airtable.Records<Fields>>;

export const upsertVia = (table: Airtable.Table<Fields>): UpsertCall =>
  table.update.bind(table) as unknown as UpsertCall;

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
