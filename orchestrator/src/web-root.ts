import { fileURLToPath } from 'node:url';

/** The web chat page's files (`orchestrator/web/`), served at `/` by the orchestrator. */
export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

/**
 * Packages the page imports, served from where they are installed (so the page and Node run
 * the same version, and none is copied into the repository): page path → file. The page is
 * plain browser modules under `script-src 'self'`, so it imports them by these paths.
 */
export const PAGE_VENDOR_FILES: Readonly<Record<string, string>> = Object.freeze({
  // The ES module build: the WHATWG event-stream parser that readSse uses too.
  'vendor/eventsource-parser.js': fileURLToPath(import.meta.resolve('eventsource-parser')),
});
