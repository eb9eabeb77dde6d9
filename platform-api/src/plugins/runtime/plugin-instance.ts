import createPlugin, { type CallContext, type Plugin } from '@extism/extism';
import { HOST_FUNCTION_NAMES, HOST_NAMESPACE, type HostFunctionName } from '../host-function-names.ts';
import type { PluginLimits } from '../manifest.ts';
import { PluginError } from '../plugin-error.ts';
import { guardPluginWorkers } from './worker-guard.ts';

/** What a host function answers: JSON the plugin reads. Never throws: refusals are answers. */
export type HostAnswer =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: { code: string; message: string } };

/** The host functions of one call, bound to its caller; the instance routes its imports here. */
export type HostCalls = Record<HostFunctionName, (request: unknown) => Promise<HostAnswer>>;

export interface PluginLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface InstanceOptions {
  module: WebAssembly.Module;
  limits: PluginLimits;
  /** The workspace's configuration of the plugin, read with Extism's `config_get`. */
  config?: Record<string, string>;
  /** A plugin's logs (Extism's `log_*`), attributed by the caller. */
  onLog?: (log: PluginLog) => void;
  /** Hosts the manifest lets it reach with Extism's http_request, and the fetch that guards where they lead. */
  network?: { hosts: readonly string[]; fetch: typeof fetch };
}

const MAX_LOG_CHARS = 2_000;

/** Host functions that throw kill the worker's call; every failure becomes an answer instead. */
function refusal(code: string, message: string): HostAnswer {
  return { ok: false, error: { code, message } };
}

/** Why a call failed, from the SDK's error: the plugin's own error, a trap, or memory. */
function classify(error: unknown, fn: string): PluginError {
  // Worker-mode failures arrive as plain `{message, originalStack}` objects, not Errors.
  const raw = (error as { message?: unknown } | undefined)?.message;
  const message = error instanceof Error ? error.message : typeof raw === 'string' ? raw : String(error);
  const own = /^Plugin-originated error: ([\s\S]*)$/.exec(message);
  if (own) {
    return new PluginError('PLUGIN_FUNCTION_FAILED', `plugin function "${fn}" reported an error: ${own[1]}`);
  }
  // A bad pointer ("memory access out of bounds") is a crash; only a refused allocation is memory.
  if (/out of memory|allocation failed|maximum memory size|cannot allocate/i.test(message)) {
    return new PluginError('PLUGIN_OUT_OF_MEMORY', `plugin function "${fn}" ran out of memory: ${message}`);
  }
  return new PluginError('PLUGIN_CRASHED', `plugin function "${fn}" crashed: ${message}`);
}

/**
 * One running copy of a plugin: its module instantiated in a worker thread of its own
 * (Extism's `runInWorker`), so a plugin that spins never blocks the server. It serves one call
 * at a time (the pool makes sure). A call longer than the plugin's time limit is ended by
 * terminating the worker, the only way to stop a running Wasm function in Node, and the
 * instance is then dead: the pool makes a new one. Input and output sizes are checked here;
 * memory is capped by the maximum the module declares (checked at publish time).
 */
export class PluginInstance {
  #plugin: Plugin;
  #calls: HostCalls | undefined;
  #onLog: ((log: PluginLog) => void) | undefined;
  #dead = false;
  readonly #limits: PluginLimits;

  private constructor(plugin: Plugin, limits: PluginLimits) {
    this.#plugin = plugin;
    this.#limits = limits;
  }

  static async create(options: InstanceOptions): Promise<PluginInstance> {
    guardPluginWorkers();
    let instance: PluginInstance | undefined;
    const functions = Object.fromEntries(
      HOST_FUNCTION_NAMES.map((name) => [
        name,
        async (cc: CallContext, offset: bigint) =>
          cc.store(
            JSON.stringify(
              instance
                ? await instance.#host(name, cc, offset)
                : refusal('PLUGIN_HOST_CALL_REFUSED', 'the plugin is starting'),
            ),
          ),
      ]),
    );
    // Extism hands a worker's log lines to this logger on the main thread, during the call.
    const log = (level: PluginLog['level']) => (message: unknown) => {
      const entry = { level, message: String(message).slice(0, MAX_LOG_CHARS) };
      options.onLog?.(entry);
      if (instance) instance.#onLog?.(entry);
    };
    const logger = {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    } as unknown as Console;
    const plugin = await createPlugin(
      { wasm: [{ module: options.module }] },
      {
        runInWorker: true,
        useWasi: false,
        allowedHosts: [...(options.network?.hosts ?? [])],
        ...(options.network ? { fetch: options.network.fetch } : {}),
        config: options.config ?? {},
        logger,
        functions: { [HOST_NAMESPACE]: functions },
      },
    );
    instance = new PluginInstance(plugin, options.limits);
    return instance;
  }

  get dead(): boolean {
    return this.#dead;
  }

  async #host(name: HostFunctionName, cc: CallContext, offset: bigint): Promise<HostAnswer> {
    const calls = this.#calls;
    if (!calls) return refusal('PLUGIN_HOST_CALL_REFUSED', 'no call is in progress');
    let request: unknown;
    try {
      request = cc.read(offset)?.json();
    } catch {
      return refusal('PLUGIN_BAD_REQUEST', `${name}: the request is not JSON`);
    }
    try {
      return await calls[name](request);
    } catch (error) {
      return refusal('PLUGIN_HOST_ERROR', `${name} failed: ${(error as Error).message}`);
    }
  }

  /**
   * Runs one exported function. Rejects with a PluginError: PLUGIN_INPUT_TOO_LARGE,
   * PLUGIN_OUTPUT_TOO_LARGE, PLUGIN_FUNCTION_FAILED (the plugin reported an error), or
   * PLUGIN_TIMEOUT, PLUGIN_CRASHED, PLUGIN_OUT_OF_MEMORY, after which the instance is dead.
   */
  async call(
    fn: string,
    input: Uint8Array,
    calls: HostCalls,
    onLog?: (log: PluginLog) => void,
  ): Promise<Uint8Array> {
    if (this.#dead) throw new PluginError('PLUGIN_CLOSED', 'this plugin instance was stopped');
    const { maxInputBytes, maxOutputBytes, timeoutMs } = this.#limits;
    if (input.byteLength > maxInputBytes) {
      throw new PluginError(
        'PLUGIN_INPUT_TOO_LARGE',
        `the input is ${input.byteLength} bytes; this plugin takes at most ${maxInputBytes}`,
      );
    }
    this.#calls = calls;
    this.#onLog = onLog;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#dead = true;
        reject(
          new PluginError(
            'PLUGIN_TIMEOUT',
            `plugin function "${fn}" ran longer than its ${timeoutMs} ms limit`,
          ),
        );
      }, timeoutMs);
    });
    try {
      const output = await Promise.race([this.#plugin.call(fn, input), timeout]);
      const bytes = output ? output.bytes() : new Uint8Array();
      if (bytes.byteLength > maxOutputBytes) {
        throw new PluginError(
          'PLUGIN_OUTPUT_TOO_LARGE',
          `plugin function "${fn}" returned ${bytes.byteLength} bytes; its limit is ${maxOutputBytes}`,
        );
      }
      return bytes;
    } catch (error) {
      const failure = PluginError.isInstance(error) ? error : classify(error, fn);
      // A trapped instance may hold a half-made heap: it is not trusted with another call.
      if (failure.code === 'PLUGIN_CRASHED' || failure.code === 'PLUGIN_OUT_OF_MEMORY') this.#dead = true;
      throw failure;
    } finally {
      clearTimeout(timer);
      this.#calls = undefined;
      this.#onLog = undefined;
      if (this.#dead) await this.close();
    }
  }

  async close(): Promise<void> {
    this.#dead = true;
    await this.#plugin.close().catch(() => {});
  }
}
