import { describe, expect, it } from 'vitest';

describe('@airsuite/airtable-emulator public surface', () => {
  it('exports exactly the emulator API from ./emulator', async () => {
    const surface = await import('@airsuite/airtable-emulator');
    expect(Object.keys(surface).sort()).toEqual([
      'ALL_SCOPES',
      'DEFAULT_EMULATOR_PORT',
      'DEFAULT_ITERATOR_TTL_MS',
      'DEFAULT_MAX_BODY_BYTES',
      'DEFAULT_MAX_URL_LENGTH',
      'DEFAULT_RATE_LIMITS',
      'FixtureError',
      'NO_FAULTS',
      'createEmulator',
      'faultSchema',
      'maskToken',
      'tableRecords',
    ]);
  });

  it('refuses deep imports of internals', async () => {
    const deep = '@airsuite/airtable-emulator/http/errors.ts';
    await expect(import(/* @vite-ignore */ deep)).rejects.toThrow(/not exported/);
  });
});
