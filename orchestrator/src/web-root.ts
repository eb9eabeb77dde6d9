import { fileURLToPath } from 'node:url';

/** The web chat page's files (`orchestrator/web/`), served at `/` by the orchestrator. */
export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
