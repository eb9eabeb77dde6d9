import type { IncomingMessage } from 'node:http';

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin the caller reached the emulator on (`http://` + its Host header), so the URLs the
 * emulator hands out (uploaded files) work for that caller: `127.0.0.1:8010` from the host, a
 * service name inside docker-compose. Without a usable Host, the socket's own address.
 */
export function requestOrigin(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host && HOST.test(host)) return `http://${host}`;
  const address = req.socket.localAddress ?? '127.0.0.1';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}
