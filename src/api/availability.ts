import Type from 'typebox';
import { AvailabilityUpdate } from '../canonical/availability.js';
import { queueAvailability } from '../channels/availability-queue.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

/**
 * `POST /v1/availability`: what each channel may sell, published to every channel instance
 * that takes availability (or the ones named), in the channel's batch size, through its
 * protection policy. Each batch is journaled and queued on its own, so one channel's outage
 * does not hold back another's.
 */
export async function availabilityRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.post('/v1/availability', {
    config: { scope: 'availability:write' },
    schema: {
      summary: 'Publish availability to channels',
      tags: ['availability'],
      body: Type.Object({
        updates: Type.Array(AvailabilityUpdate, { minItems: 1, maxItems: 10_000 }),
        channels: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Channel instance ids; absent: every instance that takes availability' })),
      }, { additionalProperties: false }),
      response: {
        202: Type.Object({ batches: Type.Array(Type.Object({ channel: Type.String(), messageId: Type.String(), updates: Type.Integer() })) }),
        422: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const { updates, channels } = request.body;
    const targets = channels ?? [...deps.channels.values()].filter((c) => c.connector.availability).map((c) => c.id);
    const problems = (channels ?? []).flatMap((id, i) =>
      deps.channels.get(id)?.connector.availability ? [] : [{ pointer: `/channels/${i}`, detail: `${id} is not a configured channel instance that takes availability` }]);
    if (problems.length > 0) {
      return sendProblem(reply, new CrossdockError('request.invalid', 'unknown channel in `channels`', { errors: problems }));
    }
    const batches = await queueAvailability(
      { store: deps.store, maxAttempts: deps.maxAttempts, now: deps.clock.now() },
      targets.map((id) => deps.channels.get(id)!), updates, { source: 'api', correlationId: request.correlationId });
    deps.notifyWork();
    return reply.code(202).send({ batches });
  });
}
