import Fastify from 'fastify';

/**
 * The reference point of the intake benchmark: a bare Fastify endpoint on the same route, that
 * parses the same JSON body and answers 202 with a response of the same shape and about the same
 * size as crossdock's, doing nothing else (no validation, no journal, no fsync).
 *
 * `node --import tsx bench/bare-server.ts [port]` prints one JSON line with its URL, and stops
 * on SIGINT/SIGTERM. Run as its own process, like crossdock, so both are measured alike.
 */
const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });

let n = 0;
app.post('/v1/orders', async (_request, reply) => {
  n += 1;
  const orderId = `ord_bare${String(n).padStart(18, '0')}`;
  return reply
    .code(202)
    .header('location', `/v1/orders/${orderId}`)
    .header('x-correlation-id', 'cor_bare0000000000000000000')
    .send({ orderId, correlationId: 'cor_bare0000000000000000000', status: 'received', location: `/v1/orders/${orderId}` });
});
app.get('/health', async () => ({ status: 'ok' }));

await app.listen({ port, host: '127.0.0.1' });
const address = app.server.address();
const actual = typeof address === 'object' && address ? address.port : port;
process.stdout.write(`${JSON.stringify({ msg: 'bare endpoint listening', url: `http://127.0.0.1:${actual}` })}\n`);

const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
