import { describe, expect, it } from 'vitest';
import { policyFromEnv } from './policy-from-env.ts';

describe('policyFromEnv', () => {
  it('is open by default', () => {
    expect(policyFromEnv({})).toEqual({ readOnly: false });
  });
  it('reads read-only, base and table allow-lists', () => {
    const policy = policyFromEnv({
      AIRSUITE_READ_ONLY: '1',
      AIRSUITE_ALLOWED_BASES: ' appA, appB ,',
      AIRSUITE_ALLOWED_TABLES: 'appA/Tasks,tblX',
    });
    expect(policy).toEqual({
      readOnly: true,
      allowedBases: ['appA', 'appB'],
      allowedTables: ['appA/Tasks', 'tblX'],
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });
  it('treats 0/false/empty as writable and empty lists as unrestricted', () => {
    for (const value of ['0', 'false', '', 'off'])
      expect(policyFromEnv({ AIRSUITE_READ_ONLY: value }).readOnly).toBe(false);
    expect(policyFromEnv({ AIRSUITE_ALLOWED_BASES: ' , ' }).allowedBases).toBeUndefined();
    expect(policyFromEnv({ AIRSUITE_READ_ONLY: 'TRUE' }).readOnly).toBe(true);
  });
});
