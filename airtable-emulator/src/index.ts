export { createEmulator, type RunningEmulator } from './emulator.ts';
export { ALL_SCOPES, type Scope } from './http/auth.ts';
export { type FaultSettings, faultSchema, NO_FAULTS } from './http/faults.ts';
export { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './http/rate-limiter.ts';
export {
  DEFAULT_EMULATOR_PORT,
  DEFAULT_ITERATOR_TTL_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_URL_LENGTH,
  type EmulatorOptions,
  type SeedOption,
} from './options.ts';
export type { AdminApi } from './routes/admin.ts';
export { type NamedRecord, tableRecords } from './seed/fixture-records.ts';
export type { Fixture } from './seed/fixture-schema.ts';
export { FixtureError } from './seed/load-fixture.ts';
export { maskToken } from './tokens.ts';
