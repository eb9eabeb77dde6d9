/** One call of a stream: when it started, how long it took, what it answered. */
export interface StreamSample {
  startedAt: number;
  ms: number;
  status: number;
  code?: string;
}

export interface StreamReport {
  samples: StreamSample[];
  /** Samples that did not answer 2xx; a call that threw counts with status 0. */
  failures: StreamSample[];
  maxMs: number;
}

export interface RestStream {
  /** Ends the stream after the call in flight and reports every call it made. */
  stop(): Promise<StreamReport>;
}

export interface RestStreamOptions {
  /** Called in turn, round-robin. */
  calls: ReadonlyArray<() => Promise<{ status: number; code?: string }>>;
  /** A call starts this long after the previous one started, or at once when that one took longer. */
  periodMs: number;
  now?: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ordinary traffic beside something under test: one call at a time, at a steady pace, so a
 * stalled server shows as the latency of the call in flight rather than as a queue of calls
 * piling up behind it.
 */
export function startRestStream({
  calls,
  periodMs,
  now = () => performance.now(),
}: RestStreamOptions): RestStream {
  const samples: StreamSample[] = [];
  let stopping = false;
  const loop = (async () => {
    for (let i = 0; !stopping; i++) {
      const call = calls[i % calls.length];
      if (!call) throw new Error('startRestStream: no calls');
      const startedAt = now();
      let answer: { status: number; code?: string };
      try {
        answer = await call();
      } catch (error) {
        answer = { status: 0, code: (error as { code?: string }).code ?? String(error) };
      }
      const ms = now() - startedAt;
      samples.push({ startedAt, ms, status: answer.status, ...(answer.code ? { code: answer.code } : {}) });
      if (!stopping) await sleep(Math.max(0, periodMs - ms));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return {
        samples,
        failures: samples.filter((s) => s.status < 200 || s.status >= 300),
        maxMs: samples.reduce((max, s) => Math.max(max, s.ms), 0),
      };
    },
  };
}
