import { PluginError } from '../plugin-error.ts';
import { type HostCalls, type InstanceOptions, PluginInstance, type PluginLog } from './plugin-instance.ts';

export interface PoolOptions {
  /** Instances per plugin version at most: calls beyond wait for one (each is a worker thread). */
  maxInstances?: number;
  /** An idle instance is stopped after this long; the next call starts one again (~50 ms). */
  idleMs?: number;
  /** How long a call waits for a free instance before it is refused. */
  maxWaitMs?: number;
}

interface Entry {
  key: string;
  options: InstanceOptions;
  idle: { instance: PluginInstance; since: number }[];
  running: number;
  starting: number;
  waiters: {
    resolve: (instance: PluginInstance) => void;
    reject: (error: unknown) => void;
    timer: NodeJS.Timeout;
  }[];
}

const DEFAULTS = { maxInstances: 2, idleMs: 5 * 60_000, maxWaitMs: 10_000 };

/**
 * Running copies of plugins, kept warm: a module is compiled once (the caller passes the
 * compiled `WebAssembly.Module`) and instantiated into a few workers that serve one call at a
 * time each, so a warm call pays only the cross-thread hand-off. An instance that timed out,
 * crashed or ran out of memory is dropped and the next call gets a fresh one.
 */
export class InstancePool {
  readonly #entries = new Map<string, Entry>();
  readonly #options: typeof DEFAULTS;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(options: PoolOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#options.idleMs, 60_000));
    this.#sweeper.unref();
  }

  /** Runs `fn` of the plugin version `key` (its module hash and configuration). */
  async call(
    key: string,
    options: InstanceOptions,
    fn: string,
    input: Uint8Array,
    calls: HostCalls,
    onLog?: (log: PluginLog) => void,
  ): Promise<Uint8Array> {
    const entry = this.#entry(key, options);
    const instance = await this.#acquire(entry);
    try {
      return await instance.call(fn, input, calls, onLog);
    } finally {
      this.#release(entry, instance);
    }
  }

  /** Starts an instance ahead of the first call (install, upgrade), so that call is warm. */
  async warm(key: string, options: InstanceOptions): Promise<void> {
    const entry = this.#entry(key, options);
    if (entry.idle.length + entry.running + entry.starting > 0) return;
    this.#release(entry, await this.#start(entry));
  }

  /** Stops every instance of a version (disabled, upgraded, uninstalled). */
  async evict(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const waiter of entry.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new PluginError('PLUGIN_CLOSED', 'the plugin was stopped while this call waited'));
    }
    await Promise.all(entry.idle.map(({ instance }) => instance.close()));
  }

  /** Stops every version whose key starts with `prefix` (a workspace's, a plugin's). */
  async evictPrefix(prefix: string): Promise<void> {
    const keys = [...this.#entries.keys()].filter((key) => key.startsWith(prefix));
    await Promise.all(keys.map((key) => this.evict(key)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.all([...this.#entries.keys()].map((key) => this.evict(key)));
  }

  stats(): { versions: number; idle: number; running: number } {
    let idle = 0;
    let running = 0;
    for (const entry of this.#entries.values()) {
      idle += entry.idle.length;
      running += entry.running;
    }
    return { versions: this.#entries.size, idle, running };
  }

  #entry(key: string, options: InstanceOptions): Entry {
    if (this.#closed) throw new PluginError('PLUGIN_CLOSED', 'the plugin runtime is shutting down');
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { key, options, idle: [], running: 0, starting: 0, waiters: [] };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  async #start(entry: Entry): Promise<PluginInstance> {
    entry.starting++;
    try {
      return await PluginInstance.create(entry.options);
    } finally {
      entry.starting--;
    }
  }

  async #acquire(entry: Entry): Promise<PluginInstance> {
    const warm = entry.idle.pop();
    if (warm) {
      entry.running++;
      return warm.instance;
    }
    if (entry.running + entry.starting < this.#options.maxInstances) {
      const instance = await this.#start(entry);
      entry.running++;
      return instance;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        entry.waiters.splice(entry.waiters.indexOf(waiter), 1);
        reject(
          new PluginError(
            'PLUGIN_TIMEOUT',
            `every instance of the plugin stayed busy for ${this.#options.maxWaitMs} ms`,
          ),
        );
      }, this.#options.maxWaitMs);
      const waiter = { resolve, reject, timer };
      entry.waiters.push(waiter);
    });
  }

  /** Hands a finished instance to the next waiter, or keeps it warm; a dead one is replaced. */
  #release(entry: Entry, instance: PluginInstance): void {
    entry.running = Math.max(0, entry.running - 1);
    const waiter = entry.waiters.shift();
    if (instance.dead || this.#entries.get(entry.key) !== entry) {
      if (!instance.dead) void instance.close();
      if (waiter) this.#startFor(entry, waiter);
      return;
    }
    if (waiter) {
      clearTimeout(waiter.timer);
      entry.running++;
      waiter.resolve(instance);
      return;
    }
    entry.idle.push({ instance, since: Date.now() });
  }

  #startFor(entry: Entry, waiter: Entry['waiters'][number]): void {
    clearTimeout(waiter.timer);
    this.#start(entry).then(
      (instance) => {
        entry.running++;
        waiter.resolve(instance);
      },
      (error: unknown) => waiter.reject(error),
    );
  }

  #sweep(): void {
    const cutoff = Date.now() - this.#options.idleMs;
    for (const entry of this.#entries.values()) {
      const stale = entry.idle.filter((i) => i.since < cutoff);
      entry.idle = entry.idle.filter((i) => i.since >= cutoff);
      for (const { instance } of stale) void instance.close();
    }
  }
}
