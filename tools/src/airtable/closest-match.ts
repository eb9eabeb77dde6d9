/** Edit distance, case-insensitive: how many single-letter changes turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** The candidate nearest to `wanted`, if it is near enough to be a plausible typo. */
export function closestMatch(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (
      candidate.toLowerCase().includes(wanted.toLowerCase()) ||
      wanted.toLowerCase().includes(candidate.toLowerCase())
    ) {
      const d = Math.abs(candidate.length - wanted.length) / 2;
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
      continue;
    }
    const d = editDistance(wanted, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}
