import { z } from 'zod';

/** Faults injected before a request is served, for gateway tests and benchmarks. */
export const faultSchema = z
  .object({
    /** Added to every response. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Extra random latency, uniform in [0, jitterMs). */
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    /** Share of requests answered with `errorStatus` (0–1). */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(503),
    /** Share of requests whose connection is dropped without an answer. */
    dropRate: z.number().min(0).max(1).default(0),
    /** Share of requests delayed by `slowMs`. */
    slowRate: z.number().min(0).max(1).default(0),
    slowMs: z.number().int().min(0).max(600_000).default(5_000),
    /** The next N requests get a 429 (and start the penalty) whatever the budget. */
    force429: z.number().int().min(0).default(0),
    /** This many requests pass untouched before the faults apply: an outage that begins mid-write. */
    passFirst: z.number().int().min(0).default(0),
    /** Limit the faults to one base; all traffic when absent. */
    baseId: z.string().optional(),
  })
  .strict();

export type FaultSettings = z.output<typeof faultSchema>;

export const NO_FAULTS: FaultSettings = faultSchema.parse({});

export type FaultDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'error'; delayMs: number; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; delayMs: number };

/** Decides the fate of one request; `random` is injected so tests are exact. */
export function decideFault(
  settings: FaultSettings,
  baseId: string | undefined,
  random: () => number,
): FaultDecision {
  if (settings.baseId !== undefined && settings.baseId !== baseId) return { kind: 'none', delayMs: 0 };
  if (settings.passFirst > 0) {
    settings.passFirst--;
    return { kind: 'none', delayMs: 0 };
  }
  let delayMs = settings.latencyMs + (settings.jitterMs > 0 ? Math.floor(random() * settings.jitterMs) : 0);
  if (settings.slowRate > 0 && random() < settings.slowRate) delayMs += settings.slowMs;
  if (settings.force429 > 0) {
    settings.force429--;
    return { kind: 'rate-limit', delayMs };
  }
  if (settings.dropRate > 0 && random() < settings.dropRate) return { kind: 'drop', delayMs };
  if (settings.errorRate > 0 && random() < settings.errorRate) {
    return { kind: 'error', delayMs, status: settings.errorStatus };
  }
  return { kind: 'none', delayMs };
}
