import { randomBytes } from 'node:crypto';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformConfigError } from './crypto/config-error.ts';
import { openTestDatabase, type TestDatabase } from './db/test-database.ts';
import { createPlatform } from './platform.ts';

describe('a platform started with another secret key', () => {
  let database: TestDatabase;
  let engine: GatewayEngine;
  beforeAll(async () => {
    database = await openTestDatabase();
    engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await engine.close();
    await database.close();
  });

  it('refuses to start with PLATFORM_SECRET_KEY_MISMATCH instead of crashing later', async () => {
    const first = await createPlatform({ db: database.db, engine, secretKey: randomBytes(32) });
    await first.close();
    expect.assertions(2);
    try {
      await createPlatform({ db: database.db, engine, secretKey: randomBytes(32) });
    } catch (error) {
      expect(error).toBeInstanceOf(PlatformConfigError);
      expect((error as PlatformConfigError).code).toBe('PLATFORM_SECRET_KEY_MISMATCH');
    }
  });
});
