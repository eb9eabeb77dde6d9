import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { emulatorOptionsFrom } from './emulator-config.ts';

describe('emulator settings', () => {
  it('uses Airtable-like defaults when nothing is set', () => {
    const options = emulatorOptionsFrom({}, {});
    expect(options).toMatchObject({
      port: 8010,
      host: '127.0.0.1',
      seed: 'empty',
      tokens: [],
      rateLimits: { enabled: true },
    });
    expect(options.dataDir).toBeUndefined();
  });

  it('lets a flag win over its environment variable', () => {
    const options = emulatorOptionsFrom(
      { port: '9001', perBase: '7' },
      { EMULATOR_PORT: '9000', EMULATOR_RATE_LIMIT_PER_BASE: '3' },
    );
    expect(options.port).toBe(9001);
    expect(options.rateLimits?.perBase).toBe(7);
  });

  it('reads every setting from the environment', () => {
    const options = emulatorOptionsFrom(
      {},
      {
        EMULATOR_PORT: '0',
        EMULATOR_HOST: '0.0.0.0',
        EMULATOR_SEED: 'sample',
        EMULATOR_DATA_DIR: '/tmp/emu',
        EMULATOR_TOKEN: 'token-one-abc, token-two-abc',
        EMULATOR_RATE_LIMITS: 'off',
        EMULATOR_RATE_LIMIT_PER_OWNER: '9',
        EMULATOR_RATE_LIMIT_PENALTY_MS: '100',
        EMULATOR_ITERATOR_TTL_MS: '2000',
      },
    );
    expect(options).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      seed: 'sample',
      dataDir: '/tmp/emu',
      tokens: ['token-one-abc', 'token-two-abc'],
      rateLimits: { enabled: false, perOwner: 9, penaltyMs: 100 },
      iteratorTtlMs: 2000,
    });
  });

  it('reads the admin token and the extra hosts and origins the emulator accepts', () => {
    const options = emulatorOptionsFrom(
      { adminToken: 'flag-admin-token-0123' },
      {
        EMULATOR_ADMIN_TOKEN: 'env-admin-token-0123',
        EMULATOR_ALLOWED_HOSTS: 'emulator, emulator.internal',
        EMULATOR_ALLOWED_ORIGINS: 'https://app.example',
      },
    );
    expect(options).toMatchObject({
      adminToken: 'flag-admin-token-0123',
      allowedHosts: ['emulator', 'emulator.internal'],
      allowedOrigins: ['https://app.example'],
    });
    expect(emulatorOptionsFrom({}, { EMULATOR_ADMIN_TOKEN: 'env-admin-token-0123' }).adminToken).toBe(
      'env-admin-token-0123',
    );
    expect(() => emulatorOptionsFrom({ adminToken: 'short' }, {})).toThrow(ConfigError);
  });

  it("keeps data in the command's default directory unless --data or EMULATOR_DATA_DIR says where", () => {
    const defaults = { seed: 'sample', dataDir: '/data/emulator' };
    expect(emulatorOptionsFrom({}, {}, defaults)).toMatchObject({
      seed: 'sample',
      dataDir: '/data/emulator',
    });
    expect(emulatorOptionsFrom({}, { EMULATOR_DATA_DIR: '/env/emu' }, defaults).dataDir).toBe('/env/emu');
    expect(
      emulatorOptionsFrom({ data: '/flag/emu' }, { EMULATOR_DATA_DIR: '/env/emu' }, defaults).dataDir,
    ).toBe('/flag/emu');
  });

  it('takes a fixture file as the seed', () => {
    expect(emulatorOptionsFrom({ seed: 'fixtures/crm.json' }, {}).seed).toEqual({
      file: expect.stringMatching(/fixtures\/crm\.json$/),
    });
  });

  it('turns rate limits off with --no-rate-limits', () => {
    expect(emulatorOptionsFrom({ rateLimits: false }, {}).rateLimits?.enabled).toBe(false);
  });

  it.each([
    [{ port: '70000' }, {}],
    [{ port: 'abc' }, {}],
    [{}, { EMULATOR_RATE_LIMIT_PER_BASE: '0' }],
    [{ penaltyMs: '-1' }, {}],
    [{ seed: 'crm.yaml' }, {}],
    [{ token: ['short'] }, {}],
    [{ token: ['has a space in it'] }, {}],
  ])('rejects unusable settings %j %j with CLI_INVALID_CONFIG', (flags, env) => {
    expect.assertions(2);
    try {
      emulatorOptionsFrom(flags, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CLI_INVALID_CONFIG');
    }
  });
});
