/** A backlog is measured over epochs this long; the last full one stands in while a new one starts. */
const EPOCH_MS = 10_000;
/** A measurement younger than this says too little (admissions come in waves, one per window). */
const MIN_MEASURED_MS = 5_000;
/** A finished epoch older than this no longer describes the competition for the budget. */
const STALE_MS = 30_000;
/** How much slower than nominal a measured pace must be to be believed. */
const SLOWER = 1.25;
/** Weight of the newest answer time in its moving average. */
const LATENCY_WEIGHT = 0.2;

/**
 * How fast one queue's requests are admitted, to tell a newcomer when its turn will come.
 *
 * Nominally `limit` admissions per window plus the time an answer takes (an admission
 * counts from its answer). What the queue really gets can be less: other processes share
 * the budget through Redis, or an owner's budget binds before the base's. So while the queue
 * is backlogged its admissions are counted, and a clearly slower measured pace replaces the
 * nominal one.
 */
export class AdmissionPace {
  #latencyMs = Number.NaN;
  #epochStart = 0;
  #epochAdmitted = 0;
  #previous: { intervalMs: number; at: number } | undefined;

  constructor(
    /** Nominal admissions per second (the budget over its window). */
    private readonly ratePerSecond: number,
    /** The budget's window in ms: each admission holds its slot this long after its answer. */
    private readonly windowMs: number,
  ) {}

  /** An admitted request's answer came back `latencyMs` after its admission. */
  answered(latencyMs: number): void {
    if (!(latencyMs >= 0)) return;
    this.#latencyMs = Number.isNaN(this.#latencyMs)
      ? latencyMs
      : this.#latencyMs + (latencyMs - this.#latencyMs) * LATENCY_WEIGHT;
  }

  /** How long answers take, on average (0 before the first). */
  answerMs(): number {
    return Number.isNaN(this.#latencyMs) ? 0 : this.#latencyMs;
  }

  /** The queue's next request had to wait: a backlog starts (if none is being measured). */
  backlogged(now: number): void {
    if (this.#epochStart === 0) {
      this.#epochStart = now;
      this.#epochAdmitted = 0;
    }
  }

  /** A request was admitted; `waiting` says whether the queue is still backlogged after it. */
  admitted(now: number, waiting: boolean): void {
    if (this.#epochStart === 0) return;
    this.#epochAdmitted++;
    if (now - this.#epochStart >= EPOCH_MS) {
      this.#previous = { intervalMs: (now - this.#epochStart) / this.#epochAdmitted, at: now };
      this.#epochStart = now;
      this.#epochAdmitted = 0;
    }
    if (!waiting) this.#epochStart = 0;
  }

  /** Expected time between two admissions of this queue while it is backlogged, in ms. */
  intervalMs(now: number): number {
    const latency = Number.isNaN(this.#latencyMs) ? 0 : this.#latencyMs;
    const nominal = (1000 / this.ratePerSecond) * (1 + latency / this.windowMs);
    let measured = 0;
    const elapsed = now - this.#epochStart;
    if (this.#epochStart !== 0 && elapsed >= MIN_MEASURED_MS) {
      measured = elapsed / Math.max(1, this.#epochAdmitted);
    } else if (this.#previous && now - this.#previous.at < STALE_MS) {
      measured = this.#previous.intervalMs;
    }
    // Admissions come in waves, so a count over a few windows is off by up to one wave: only a
    // clearly slower pace (the budget is shared) replaces the nominal one.
    return measured > nominal * SLOWER ? measured : nominal;
  }
}
