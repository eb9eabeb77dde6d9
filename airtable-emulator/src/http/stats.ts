export interface StatsSnapshot {
  requests: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  byBase: Record<string, { requests: number; rateLimited: number }>;
}

/** Counters the admin API reports, so tests and benchmarks can see what the upstream saw. */
export class RequestStats {
  #snapshot: StatsSnapshot = empty();

  record(status: number, baseId: string | undefined): void {
    const s = this.#snapshot;
    s.requests++;
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    if (status === 429) s.rateLimited++;
    if (baseId === undefined) return;
    const base = s.byBase[baseId] ?? { requests: 0, rateLimited: 0 };
    base.requests++;
    if (status === 429) base.rateLimited++;
    s.byBase[baseId] = base;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.#snapshot);
  }

  reset(): void {
    this.#snapshot = empty();
  }
}

function empty(): StatsSnapshot {
  return { requests: 0, rateLimited: 0, byStatus: {}, byBase: {} };
}
