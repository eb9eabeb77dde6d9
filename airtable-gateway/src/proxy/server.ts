import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayEngine } from '../engine.ts';
import { answerFailure, proxyHandler } from './proxy-handler.ts';

export { PRIORITY_HEADER } from './proxy-handler.ts';

export interface GatewayServerOptions {
  engine: GatewayEngine;
  port?: number;
  host?: string;
  /** Let proxied record reads use the engine's short-lived record cache. Default false. */
  recordCache?: boolean;
  /** Largest request body accepted (Airtable's own limit is undocumented). Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface RunningGatewayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The Airtable-compatible proxy: `/v0/...` is Airtable's API with the gateway's
 * guarantees, unchanged in paths, bodies and errors; `/healthz` and `/metrics` beside it.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGatewayServer> {
  const log = options.engine.options.logger;
  const handle = proxyHandler(options);

  // Node's default 16 KiB header limit would refuse long list URLs that the gateway can move to POST.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch((error: unknown) => answerFailure(res, error, log));
  });
  server.keepAliveTimeout = 5_000;
  await listen(server, options.port ?? 8002, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once `server` listens; rejects when it cannot (the port taken, say). */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
