import { syncBuiltinESMExports } from 'node:module';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';

/** Each plugin worker's own JavaScript heap (the kernel's blocks and host-call buffers). */
const PLUGIN_WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

let installed = false;

/** Extism 1.0.3 starts its worker from a data: URL of its bundled script; nothing else does. */
const isExtismWorker = (url: unknown) =>
  url instanceof URL && url.href.startsWith('data:text/javascript;base64,');

/**
 * Extism 1.0.3 makes its worker threads itself and offers no options for them, which leaves
 * three faults we cannot accept in a server: the worker inherits the host's `--import` loaders
 * (under `tsx` its source-map support then trips over the worker's data: URL and the worker
 * dies at start), it has no memory limit of its own, and nobody listens for its `error` event,
 * so a dying plugin worker would take the whole process down. Until the SDK takes worker
 * options (its 2.x line does, as a release candidate), its `Worker` is given these three:
 * no inherited loaders, a heap limit, and an error listener (the call then ends at its time
 * limit like a hung one). Only Extism's workers are touched; every other Worker is as Node
 * makes it.
 */
export function guardPluginWorkers(): void {
  if (installed) return;
  installed = true;
  const Original = workerThreads.Worker;
  class PluginWorker extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      if (!isExtismWorker(url)) {
        super(url, options);
        return;
      }
      super(url, {
        ...options,
        // Extism's worker imports node:wasi at start (unused: plugins get no WASI); its warning is noise.
        execArgv: options?.execArgv ?? ['--disable-warning=ExperimentalWarning'],
        resourceLimits: { ...PLUGIN_WORKER_LIMITS, ...options?.resourceLimits },
      });
      this.on('error', () => {});
    }
  }
  (workerThreads as { Worker: typeof Original }).Worker = PluginWorker;
  syncBuiltinESMExports();
}
