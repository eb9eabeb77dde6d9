// The cheapest possible proxy, for the gateway bench's CPU floor: node:http in, node:http out
// over a keep-alive agent, no budgets, no logic. `node passthrough-proxy.js <upstream-origin>`.
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.argv[2]);
const agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000 });
const server = createServer((req, res) => {
  const out = request(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      path: req.url,
      method: req.method,
      headers: req.headers,
      agent,
    },
    (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': 'application/json',
          'content-length': body.length,
        });
        res.end(body);
      });
    },
  );
  out.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(out);
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
