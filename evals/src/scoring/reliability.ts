/**
 * How reliably an agent succeeds over repeated trials (τ-bench): pass@1 is the plain success
 * rate; pass^k the chance that k trials drawn from the n run ALL succeed, C(c,k)/C(n,k) for c
 * successes, averaged over scenarios; each with a Wilson score interval, which stays honest at
 * the small n evals run (4 or 8 trials) where the normal approximation does not.
 */

/** C(n, k), exact for the small n of eval trials. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** For one scenario: `successes` of `trials`, the chance that k drawn trials all succeed. */
export function passHatK(successes: number, trials: number, k: number): number {
  if (k > trials) throw new RangeError(`pass^${k} needs at least ${k} trials, got ${trials}`);
  return choose(successes, k) / choose(trials, k);
}

/** Wilson score interval for `successes` of `trials` at ~95% (z = 1.96). */
export function wilson(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = p + (z * z) / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return {
    low: Math.max(0, (centre - margin) / denominator),
    high: Math.min(1, (centre + margin) / denominator),
  };
}

export interface Reliability {
  scenarios: number;
  trials: number;
  passAt1: number;
  passAt1Interval: { low: number; high: number };
  /** pass^k for k = 1 … trials. */
  passHat: Record<number, number>;
}

/** Over scenarios, each with its successes out of the same number of trials. */
export function reliability(results: readonly { successes: number; trials: number }[]): Reliability {
  const trials = results[0]?.trials ?? 0;
  if (results.some((r) => r.trials !== trials))
    throw new RangeError('every scenario must run the same number of trials');
  const total = results.reduce((sum, r) => sum + r.successes, 0);
  const passHat: Record<number, number> = {};
  for (let k = 1; k <= trials; k++) {
    passHat[k] = results.reduce((sum, r) => sum + passHatK(r.successes, r.trials, k), 0) / results.length;
  }
  return {
    scenarios: results.length,
    trials,
    passAt1: results.length === 0 ? 0 : total / (results.length * trials),
    passAt1Interval: wilson(total, results.length * trials),
    passHat,
  };
}
