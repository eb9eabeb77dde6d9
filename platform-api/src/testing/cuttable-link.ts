import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of PostgreSQL that a spec can cut or freeze: what a stopped server or a
 * network outage looks like from this process, without touching the shared server that other
 * spec files use.
 */
export interface CuttableLink {
  /** `targetUrl` with the relay's host and port: connections opened with it go through the link. */
  url: string;
  /** Resets every connection through the link and refuses new ones until `restore()`. */
  cut(): Promise<void>;
  /**
   * Stops carrying bytes, without closing anything (a partition, a frozen host): connections
   * stay open and silent, new ones are accepted and never answered, until `restore()`.
   */
  freeze(): void;
  /** Carries connections again, on the same port (frozen ones are reset, not resumed). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCuttableLink(targetUrl: string): Promise<CuttableLink> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let frozen = false;

  const track = (socket: Socket, partner?: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      partner?.destroy();
    });
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        if (frozen) return track(client);
        const upstream = connect(targetPort, target.hostname);
        track(client, upstream);
        track(upstream, client);
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });
  const resetAll = () => {
    for (const socket of sockets) socket.resetAndDestroy();
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    resetAll();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut: stop,
    freeze() {
      frozen = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    async restore() {
      if (frozen) {
        frozen = false;
        resetAll();
      }
      if (!server) await listen();
    },
    close: stop,
  };
}
