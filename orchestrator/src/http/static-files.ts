import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { PlatformError } from '@airsuite/platform-api';
import type { FastifyInstance } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The web page's files, read from `root` on each request (no caching, no directory listings):
 * `GET /` is `index.html`, `GET /<path>` a file under `root`, or the file `vendor` maps that
 * path to (a package the page imports, as installed). Routes the app already has (`/v1/…`,
 * `/healthz`, `/docs`, `/openapi.json`) win over these; paths outside `root`, dot files and
 * unknown extensions are 404 NOT_FOUND.
 */
export function staticFiles(root: string, vendor: Readonly<Record<string, string>> = {}) {
  const base = resolve(root);
  return async (app: FastifyInstance) => {
    const serve = async (relative: string) => {
      const vendored = Object.hasOwn(vendor, relative) ? vendor[relative] : undefined;
      const path = vendored ?? resolve(join(base, relative));
      const type = CONTENT_TYPES[extname(path).toLowerCase()];
      const hidden = relative.split('/').some((segment) => segment.startsWith('.'));
      if (!type || hidden || (!vendored && !path.startsWith(base + sep))) return undefined;
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return { type, body: await readFile(path) };
    };
    const handler = async (relative: string, url: string) => {
      const file = await serve(relative);
      if (!file) throw new PlatformError('NOT_FOUND', `no route matches GET ${url.split('?')[0]}`);
      return file;
    };
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const file = await handler('index.html', request.url);
      return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
    });
    app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, async (request, reply) => {
      const file = await handler(request.params['*'], request.url);
      return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
    });
  };
}
