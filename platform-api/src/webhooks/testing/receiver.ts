import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  id: string;
  timestamp: string;
  signature: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

/**
 * A real local HTTP receiver for delivery specs: records every request, answers what `answer`
 * says (200 by default), and counts how many requests for one webhook-id were open at once.
 */
export async function startReceiver(
  answer: (delivery: ReceivedDelivery) => ReceiverAnswer = () => ({ status: 200 }),
) {
  const received: ReceivedDelivery[] = [];
  const open = new Map<string, number>();
  let maxConcurrentPerId = 0;
  let reply = answer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery: ReceivedDelivery = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(delivery);
      const now = (open.get(delivery.id) ?? 0) + 1;
      open.set(delivery.id, now);
      maxConcurrentPerId = Math.max(maxConcurrentPerId, now);
      const { status, headers, body, delayMs } = reply(delivery);
      setTimeout(() => {
        open.set(delivery.id, (open.get(delivery.id) ?? 1) - 1);
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end(body ?? 'ok');
      }, delayMs ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Distinct webhook-ids answered 2xx… as far as the receiver knows: every id it saw. */
    ids: () => new Set(received.map((delivery) => delivery.id)),
    get maxConcurrentPerId() {
      return maxConcurrentPerId;
    },
    answerWith(next: (delivery: ReceivedDelivery) => ReceiverAnswer) {
      reply = next;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
