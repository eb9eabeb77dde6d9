/** Milliseconds spent by each call, then percentiles. */
export async function timeCalls(count: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The value below which a share `q` of the samples fall (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function summarize(samples: number[]) {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const at = (q: number) => round(quantile(samples, q));
  return { n: samples.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}
