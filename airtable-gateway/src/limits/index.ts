/** The gateway's rate budgets: stores that admit requests against Airtable's limits. */
export { isLimitsError, LIMITS_ERRORS, LimitsError, type LimitsErrorCode } from './errors.ts';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { createRedisStore, DEFAULT_REDIS_PREFIX, type RedisStoreOptions } from './redis-store.ts';
export {
  createResilientStore,
  DEFAULT_HANDOVER_MS,
  DEFAULT_PRIMARY_TIMEOUT_MS,
  DEFAULT_RETRY_PRIMARY_AFTER_MS,
  type ResilientStore,
  type ResilientStoreEvent,
  type ResilientStoreOptions,
} from './resilient-store.ts';
export { conservativeKeys, scaleLimits } from './scale-limits.ts';
export type { AcquireOptions, Admission, AdmissionStore, LimitKey, WindowSettings } from './types.ts';
