import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { gatewaySettingsFrom } from './gateway-config.ts';

describe('gateway settings', () => {
  it("defaults to port 8002 in front of Airtable's API", () => {
    const settings = gatewaySettingsFrom({}, {});
    expect(settings).toMatchObject({
      port: 8002,
      host: '127.0.0.1',
      engine: { upstreamUrl: 'https://api.airtable.com' },
    });
    expect(settings.engine.redisUrl).toBeUndefined();
    expect(settings.recordCache).toBe(false);
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      GATEWAY_PORT: '9002',
      AIRTABLE_API_URL: 'http://127.0.0.1:8010',
      REDIS_URL: 'redis://127.0.0.1:6379',
      GATEWAY_PER_BASE_LIMIT: '4',
      GATEWAY_PER_OWNER_LIMIT: '40',
      GATEWAY_MAX_QUEUE: '50',
      GATEWAY_MAX_WAIT_MS: '1000',
      GATEWAY_REQUEST_TIMEOUT_MS: '2000',
      GATEWAY_RECORD_CACHE_TTL_MS: '500',
    };
    expect(gatewaySettingsFrom({}, env)).toEqual({
      port: 9002,
      host: '127.0.0.1',
      engine: {
        upstreamUrl: 'http://127.0.0.1:8010',
        redisUrl: 'redis://127.0.0.1:6379',
        perBaseLimit: 4,
        perOwnerLimit: 40,
        maxQueueLength: 50,
        maxQueueWaitMs: 1000,
        requestTimeoutMs: 2000,
        recordCacheTtlMs: 500,
      },
      recordCache: true,
    });
    expect(gatewaySettingsFrom({ port: '0', perBase: '2' }, env)).toMatchObject({
      port: 0,
      engine: { perBaseLimit: 2 },
    });
  });

  it.each([
    [{ port: '-1' }, {}],
    [{ upstream: 'ftp://example.com' }, {}],
    [{ upstream: 'nonsense' }, {}],
    [{}, { REDIS_URL: 'http://127.0.0.1:6379' }],
    [{ perBase: '0' }, {}],
    [{ maxWaitMs: 'soon' }, {}],
  ])('rejects %j %j with CLI_INVALID_CONFIG', (flags, env) => {
    expect(() => gatewaySettingsFrom(flags, env)).toThrow(ConfigError);
  });
});
