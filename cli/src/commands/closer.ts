export interface Closer {
  add(step: () => Promise<unknown>): void;
  run(): Promise<void>;
}

/** Close in reverse order of opening, whatever fails along the way. */
export function closer(): Closer {
  const steps: (() => Promise<unknown>)[] = [];
  return {
    add(step: () => Promise<unknown>) {
      steps.unshift(step);
    },
    async run() {
      for (const step of steps) await step().catch(() => {});
    },
  };
}
