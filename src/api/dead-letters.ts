import Type from 'typebox';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { ErrorRecordSchema, ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

/** The dead-letter channel: what needs a person, why, what to do, and replay after the fix. */
export async function deadLetterRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.get('/v1/dead-letters', {
    config: { scope: 'dead-letters:read' },
    schema: {
      summary: 'Dead letters with a readable reason and the suggested action',
      tags: ['dead-letters'],
      querystring: Type.Object({
        code: Type.Optional(Type.String({ description: 'Only this error code, e.g. sku.unknown' })),
        limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.String(), queue: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]),
            correlationId: Type.String(), attempts: Type.Integer(), deadAt: Type.String(),
            reason: Type.String(), action: Type.String(), error: ErrorRecordSchema,
          })),
        }),
      },
    },
  }, async (request) => {
    const letters = await deps.store.listDeadLetters({
      limit: Math.min(500, Number(request.query.limit ?? 100)),
      ...(request.query.code ? { code: request.query.code } : {}),
    });
    return {
      items: letters.map((d) => ({
        id: d.jobId, queue: d.queue, orderId: d.subjectId, correlationId: d.correlationId, attempts: d.attempts,
        deadAt: new Date(d.deadAt).toISOString(), reason: d.error.message, action: d.error.action, error: d.error,
      })),
    };
  });

  app.post('/v1/dead-letters/:id/replay', {

    config: { scope: 'dead-letters:write' },
    schema: {
      summary: 'Re-run one dead letter (after fixing its cause)',
      tags: ['dead-letters'],
      params: Type.Object({ id: Type.String() }),
      response: { 202: Type.Object({ id: Type.String(), status: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]) }), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const job = await deps.store.replayDeadLetter(request.params.id, deps.clock.now());
    if (!job) {
      const existing = await deps.store.getJob(request.params.id);
      return sendProblem(reply, existing
        ? new CrossdockError('request.conflict', `job ${request.params.id} is ${existing.status}, not dead-lettered`)
        : new CrossdockError('request.not-found', `no dead letter ${request.params.id}`));
    }
    deps.notifyWork();
    const orderId = (job.payload as { orderId?: unknown }).orderId;
    return reply.code(202).send({ id: job.id, status: 'queued', orderId: typeof orderId === 'string' ? orderId : null });
  });
}
