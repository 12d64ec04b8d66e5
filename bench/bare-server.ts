import Fastify from 'fastify';

/**
 * The reference point of the intake benchmarks: a bare Fastify endpoint on the same routes as
 * crossdock's `POST /v1/orders` (parses the same JSON body, answers 202) and
 * `POST /channels/:instance/webhooks` (takes the raw body, answers 200), each with a response of
 * the same shape and about the same size as crossdock's, doing nothing else.
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

// The reference point of the webhook benchmark: the raw body taken as a Buffer (crossdock keeps
// the bytes to check the signature over them) and a 200 of crossdock's shape and size, nothing
// else (no signature check, no journal, no fsync). In its own plugin, so the raw-body parser
// applies to this route only, as in crossdock.
let deliveries = 0;
await app.register(async (plugin) => {
  plugin.removeAllContentTypeParsers();
  plugin.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  plugin.post('/channels/:instance/webhooks', async (request, reply) => {
    deliveries += 1;
    if (!Buffer.isBuffer(request.body)) return reply.code(400).send({ received: false });
    // crossdock's messageId is `msg_` and 26 characters (a ULID).
    const messageId = `msg_BARE${String(deliveries).padStart(22, '0')}`;
    return reply.code(200).header('x-correlation-id', 'cor_bare0000000000000000000').send({ received: true, messageId, duplicate: false });
  });
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
