import Type from 'typebox';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { AccessApiDeps } from './session.js';

/** The audit log, newest first (scope `admin`). */
export async function auditRoutes(app: HttpServer, deps: Pick<AccessApiDeps, 'store'>): Promise<void> {
  app.get('/v1/audit', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Operator actions: who, when, what, before and after; newest first', tags: ['access'],
      querystring: Type.Object({
        limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'at most 500 @default 100' })),
        before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'the previous page\'s `nextBefore`' })),
        actor: Type.Optional(Type.String({ description: 'e.g. user:ann, client:erp-bridge, local, cli:ann' })),
        action: Type.Optional(Type.String({ description: 'e.g. user.create, api-key.revoke, dead-letter.replay' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            seq: Type.Integer(), at: Type.String(), actor: Type.String(), action: Type.String(), target: Type.String(),
            before: Type.Optional(Type.Unknown()), after: Type.Optional(Type.Unknown()), detail: Type.Optional(Type.Unknown()),
            correlationId: Type.Optional(Type.String()),
          })),
          nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next page; null on the last' }),
        }),
        422: ProblemSchema,
      },
    },
  }, async (request) => {
    const limit = Math.min(500, Number(request.query.limit ?? 100));
    const entries = await deps.store.listAudit({
      limit,
      ...(request.query.before ? { beforeSeq: Number(request.query.before) } : {}),
      ...(request.query.actor ? { actor: request.query.actor } : {}),
      ...(request.query.action ? { action: request.query.action } : {}),
    });
    return {
      items: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      nextBefore: entries.length === limit ? entries[entries.length - 1]!.seq : null,
    };
  });
}
