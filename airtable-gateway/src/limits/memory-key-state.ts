/**
 * One key's sliding-window log in the memory store and what is done to it. Plain functions
 * with the store's settings as arguments, so the hot path allocates nothing for them.
 */
export interface KeyState {
  /** Admission times still inside the window, oldest first. */
  times: number[];
  /** Admissions are refused until this time (0: not blocked). */
  blockedUntil: number;
  /** Paced stores: when the next admission is due on the ideal, evenly spaced schedule. */
  tat?: number;
}

/** The state of `key`, made empty the first time the key is seen. */
export function keyState(states: Map<string, KeyState>, key: string): KeyState {
  let state = states.get(key);
  if (state === undefined) {
    state = { times: [], blockedUntil: 0 };
    states.set(key, state);
  }
  return state;
}

/** Drops the times that have left the window; true when the key holds nothing anymore. */
export function pruneKey(state: KeyState, at: number, windowMs: number): boolean {
  const times = state.times;
  let gone = 0;
  while (gone < times.length && (times[gone] as number) + windowMs <= at) gone++;
  if (gone > 0) times.splice(0, gone);
  return times.length === 0 && state.blockedUntil <= at && (state.tat ?? 0) <= at;
}

/** How long `state` must wait before it has room for one more admission (≤ 0: room now). */
export function waitForRoom(
  state: KeyState,
  limit: number,
  at: number,
  windowMs: number,
  paced: boolean,
): number {
  let wait = state.blockedUntil - at;
  const count = state.times.length;
  // Pacing is measured against the ideal schedule (`tat`), not the last admission, so
  // timer lateness does not pile up into lost throughput; half an interval of slack.
  if (paced && state.tat !== undefined) wait = Math.max(wait, state.tat - windowMs / limit / 2 - at);
  if (count >= limit) {
    // After this admission, `limit` admissions must fit in the window: the one at index
    // `count - limit` is the newest that has to leave first.
    const leaves = (state.times[count - limit] as number) + windowMs;
    wait = Math.max(wait, leaves - at);
  }
  return wait;
}

/**
 * Moves the admission logged at `admittedAt` to `at`, when its answer came. Left alone when
 * the log does not hold it or the answer is not later.
 */
export function moveAdmission(times: number[], admittedAt: number, at: number): void {
  const index = times.lastIndexOf(admittedAt);
  if (index < 0 || at <= admittedAt) return;
  times.splice(index, 1);
  // Keep the log sorted: the moved admission goes after every earlier one.
  let insert = times.length;
  while (insert > 0 && (times[insert - 1] as number) > at) insert--;
  times.splice(insert, 0, at);
}
