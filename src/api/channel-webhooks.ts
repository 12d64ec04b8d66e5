import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CHANNEL_DELIVERY_QUEUE } from '../channels/jobs.js';
import { CrossdockError, toErrorRecord } from '../errors/crossdock-error.js';
import { newId } from '../lib/ids.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

/** Header values as a verifier reads them: names lower-cased, repeated headers joined. */
function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * `POST /channels/{instance}/webhooks`: verified before parsed (the signature covers the raw
 * bytes, so this route keeps them as a Buffer), journaled with its delivery id as idempotency
 * key, queued, and answered 200 at once — channels give up on slow endpoints and retry, and a
 * mapping problem must never turn into a redelivery storm. A bad signature is answered 401
 * and journaled as rejected, raw body included, so nothing that arrived is lost from view.
 */
export async function channelWebhookRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/channels/:instance/webhooks', {

      config: { scope: 'signed' },
      schema: {
        summary: 'Receive a channel webhook (Shopify, BigCommerce, WooCommerce …)',
        description: 'The channel instance verifies the delivery (HMAC signature or shared secret) over the raw body. Accepted deliveries are journaled and processed asynchronously; redeliveries are recognised by their delivery id.',
        tags: ['channels'],
        params: Type.Object({ instance: Type.String({ description: 'Channel instance id from the configuration' }) }),
        response: {
          200: Type.Object({ received: Type.Literal(true), messageId: Type.String(), duplicate: Type.Boolean() }),
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    }, async (request, reply) => {
      const id = request.params.instance;
      const instance = deps.channels.get(id);
      const webhooks = instance?.connector.webhooks;
      if (!instance || !webhooks) {
        return sendProblem(reply, new CrossdockError('request.not-found', `no channel instance ${id} that receives webhooks`));
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const headers = headerRecord(request.headers);
      const verdict = webhooks.verify({ headers, rawBody });
      const now = deps.clock.now();
      const correlationId = request.correlationId;
      const raw = rawBody.toString('utf8');

      if (!verdict.ok) {
        const error = new CrossdockError('webhook.signature-invalid', `${id}: ${verdict.reason}`, { target: id });
        await deps.store.recordInbound({
          messageId: newId('msg', now), correlationId, source: id, kind: 'webhook', raw, status: 'rejected', error: toErrorRecord(error), now,
        });
        deps.metrics.webhooksReceived.inc({ channel: id, outcome: 'rejected' });
        return sendProblem(reply, error);
      }

      const result = await deps.store.recordInbound({
        messageId: newId('msg', now), correlationId, source: id, kind: 'webhook', channelRef: verdict.topic, raw, status: 'accepted',
        idempotencyKey: `webhook:${id}:${verdict.deliveryId}`,
        job: {
          id: newId('job', now), queue: CHANNEL_DELIVERY_QUEUE, payload: { instance: id, deliveryId: verdict.deliveryId, topic: verdict.topic },
          correlationId, runAt: now, maxAttempts: deps.maxAttempts, now,
        },
        now,
      });
      const duplicate = result.outcome === 'duplicate';
      deps.metrics.webhooksReceived.inc({ channel: id, outcome: duplicate ? 'duplicate' : 'accepted' });
      if (!duplicate) deps.notifyWork();
      return reply.code(200).send({ received: true, messageId: result.messageId, duplicate });
    });
  });
}
