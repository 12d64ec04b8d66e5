import Type from 'typebox';
import { CrossdockError } from '../errors/crossdock-error.js';
import { actorOf } from '../auth/principal.js';
import { auditRequest } from '../auth/audit.js';
import { StringEnum } from '../canonical/common.js';
import {
  CLASS_DEFINITIONS, classOf, codesOfClass, DEAD_LETTER_CLASSES, groupByClass, type DeadLetterClass,
} from '../operations/dead-letter-classes.js';
import { discardOne, replayGroup, replayOne, REPLAY_MAX_PER_CALL, type ReplaySelection, type WorkbenchDeps } from '../operations/workbench.js';
import type { DeadLetterEntry } from '../store/operations-types.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { ErrorRecordSchema, ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

export type DeadLetterRouteDeps = ApiDeps & Pick<WorkbenchDeps, 'releaseStock'>;

const iso = (ms: number) => new Date(ms).toISOString();

const DeadLetterItem = Type.Object({
  id: Type.String(), queue: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]),
  correlationId: Type.String(), attempts: Type.Integer(), deadAt: Type.String(),
  reason: Type.String(), action: Type.String(), error: ErrorRecordSchema,
  class: Type.String({ description: 'Workbench class, e.g. unknown-sku' }), title: Type.String({ description: 'The class as people read it' }),
  channel: Type.Union([Type.String(), Type.Null()], { description: "The order's channel instance, for order jobs" }),
  channelOrderId: Type.Union([Type.String(), Type.Null()], { description: "The channel's order number, for order jobs" }),
});

const ClassEnum = StringEnum(DEAD_LETTER_CLASSES, 'Workbench class');

/** Page cursor: the last item's dead-letter time and job id. */
function encodeCursor(d: DeadLetterEntry): string {
  return Buffer.from(JSON.stringify([d.deadAt, d.jobId])).toString('base64url');
}
function decodeCursor(cursor: string): { deadAt: number; jobId: string } {
  try {
    const [deadAt, jobId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof deadAt === 'number' && typeof jobId === 'string') return { deadAt, jobId };
  } catch {
    // Reported below as the field's problem.
  }
  throw new CrossdockError('request.invalid', 'cursor is not one this API returned', { errors: [{ pointer: '/cursor', detail: 'use nextCursor from the previous page' }] });
}

function toItem(d: DeadLetterEntry) {
  const cls = classOf(d.error.code);
  return {
    id: d.jobId, queue: d.queue, orderId: d.subjectId, correlationId: d.correlationId, attempts: d.attempts,
    deadAt: iso(d.deadAt), reason: d.error.message, action: d.error.action, error: d.error,
    class: cls, title: CLASS_DEFINITIONS[cls].title, channel: d.order?.channel ?? null, channelOrderId: d.order?.channelOrderId ?? null,
  };
}

/**
 * The dead-letter workbench: what needs a person grouped by what to do about it, each letter
 * with its order's channel and number; replay one or a whole group after the fix, or discard
 * with a reason. Every action is written to the audit log.
 */
export async function deadLetterRoutes(app: HttpServer, deps: DeadLetterRouteDeps): Promise<void> {
  const workbench: WorkbenchDeps = {
    store: deps.store, clock: deps.clock, notifyWork: deps.notifyWork, ...(deps.releaseStock ? { releaseStock: deps.releaseStock } : {}),
  };

  app.get('/v1/dead-letters/groups', {
    config: { scope: 'dead-letters:read' },
    schema: {
      summary: 'Dead letters grouped by class, with the suggested action',
      tags: ['dead-letters'],
      response: {
        200: Type.Object({
          groups: Type.Array(Type.Object({
            class: Type.String(), title: Type.String(), action: Type.String(), count: Type.Integer(),
            codes: Type.Array(Type.String()), oldestAt: Type.String(), newestAt: Type.String(),
          })),
        }),
      },
    },
  }, async () => {
    const groups = groupByClass(await deps.store.deadLetterCounts());
    return { groups: groups.map((g) => ({ ...g, oldestAt: iso(g.oldestAt), newestAt: iso(g.newestAt) })) };
  });

  app.get('/v1/dead-letters', {
    config: { scope: 'dead-letters:read' },
    schema: {
      summary: 'Dead letters with a readable reason and the suggested action, newest first',
      tags: ['dead-letters'],
      querystring: Type.Object({
        class: Type.Optional(ClassEnum),
        code: Type.Optional(Type.String({ description: 'Only this error code, e.g. sku.unknown' })),
        limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
        cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(DeadLetterItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 422: ProblemSchema },
    },
  }, async (request, reply) => {
    const { class: cls, code, cursor } = request.query;
    const limit = Math.min(500, Number(request.query.limit ?? 100));
    let after: { deadAt: number; jobId: string } | undefined;
    try {
      after = cursor ? decodeCursor(cursor) : undefined;
    } catch (error) {
      return sendProblem(reply, error as CrossdockError);
    }
    let codes: string[] | undefined = code ? [code] : undefined;
    if (cls) {
      const ofClass = codesOfClass(cls, cls === 'other' ? (await deps.store.deadLetterCounts()).map((c) => c.code) : []);
      codes = codes ? codes.filter((c) => ofClass.includes(c)) : ofClass;
    }
    const letters = codes?.length === 0 ? [] : await deps.store.findDeadLetters({ limit, ...(codes ? { codes } : {}), ...(after ? { after } : {}) });
    const last = letters.at(-1);
    return { items: letters.map(toItem), nextCursor: letters.length === limit && last ? encodeCursor(last) : null };
  });

  app.post('/v1/dead-letters/replay', {
    config: { scope: 'dead-letters:write' },
    schema: {
      summary: `Re-run a group of dead letters: by ids, class or error code (at most ${REPLAY_MAX_PER_CALL} per call; loop while remaining > 0)`,
      tags: ['dead-letters'],
      body: Type.Union([
        Type.Object({ ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: REPLAY_MAX_PER_CALL }) }, { additionalProperties: false }),
        Type.Object({ class: ClassEnum }, { additionalProperties: false }),
        Type.Object({ code: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      ]),
      response: {
        202: Type.Object({
          replayed: Type.Integer(), ids: Type.Array(Type.String()),
          skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
          remaining: Type.Integer({ description: 'Dead letters of the class or code still waiting' }),
        }),
      },
    },
  }, async (request, reply) => {
    const body = request.body;
    const selection: ReplaySelection = 'ids' in body ? { ids: body.ids } : 'class' in body ? { class: body.class as DeadLetterClass } : { code: body.code };
    const result = await replayGroup(workbench, selection, actorOf(request.principal));
    await auditRequest(deps.store, request, {
      action: 'dead-letter.replay-group',
      target: 'ids' in body ? 'ids' : 'class' in body ? `class:${body.class}` : `code:${body.code}`,
      before: { status: 'dead', count: result.replayed + (result.remaining ?? 0) },
      after: { status: 'queued', count: result.replayed, remaining: result.remaining },
      detail: { count: result.replayed, ids: result.ids, skipped: result.skipped },
    }, deps.clock.now());
    return reply.code(202).send(result);
  });

  app.post('/v1/dead-letters/:id/replay', {
    config: { scope: 'dead-letters:write' },
    schema: {
      summary: 'Re-run one dead letter (after fixing its cause)',
      tags: ['dead-letters'],
      params: Type.Object({ id: Type.String() }),
      response: { 202: Type.Object({ id: Type.String(), status: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]) }), 404: ProblemSchema, 409: ProblemSchema },
    },
  }, async (request, reply) => {
    const job = await replayOne(workbench, request.params.id, actorOf(request.principal));
    if (!job) return sendProblem(reply, await notDead(deps, request.params.id));
    const orderId = (job.payload as { orderId?: unknown }).orderId;
    await auditRequest(deps.store, request, {
      action: 'dead-letter.replay', target: job.id,
      before: { status: 'dead', error: job.lastError }, after: { status: 'queued' },
      ...(typeof orderId === 'string' ? { detail: { orderId } } : {}),
    }, deps.clock.now());
    return reply.code(202).send({ id: job.id, status: 'queued', orderId: typeof orderId === 'string' ? orderId : null });
  });

  app.post('/v1/dead-letters/:id/discard', {
    config: { scope: 'dead-letters:write' },
    schema: {
      summary: 'Take a dead letter off the list for good, with the reason; its held or failed order is discarded',
      tags: ['dead-letters'],
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          id: Type.String(), status: Type.Literal('discarded'), reason: Type.String(),
          orderId: Type.Union([Type.String(), Type.Null()]), orderState: Type.Union([Type.String(), Type.Null()]),
        }),
        404: ProblemSchema, 409: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const reason = request.body.reason.trim();
    if (reason === '') {
      return sendProblem(reply, new CrossdockError('request.invalid', 'a discard needs a reason', { errors: [{ pointer: '/reason', detail: 'say why this work is given up' }] }));
    }
    const result = await discardOne(workbench, request.params.id, reason, actorOf(request.principal));
    if (!result) return sendProblem(reply, await notDead(deps, request.params.id));
    await auditRequest(deps.store, request, {
      action: 'dead-letter.discard', target: result.jobId,
      before: { status: 'dead', error: result.error, ...(result.order ? { order: { id: result.order.id, state: result.order.from } } : {}) },
      after: { status: 'discarded', ...(result.order ? { order: { id: result.order.id, state: 'discarded' } } : {}) },
      detail: { reason, queue: result.queue },
    }, deps.clock.now());
    return reply.code(200).send({
      id: result.jobId, status: 'discarded' as const, reason, orderId: result.order?.id ?? null, orderState: result.order ? 'discarded' : null,
    });
  });
}

async function notDead(deps: ApiDeps, id: string): Promise<CrossdockError> {
  const existing = await deps.store.getJob(id);
  return existing
    ? new CrossdockError('request.conflict', `job ${id} is ${existing.status}, not dead-lettered`)
    : new CrossdockError('request.not-found', `no dead letter ${id}`);
}
