import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timingSafeEqual } from 'node:crypto';
import Type from 'typebox';
import type { EdiDeps } from '../edi/runtime.js';
import { journalEdiFile } from '../edi/runtime.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';

function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /edi/{partner}`: a partner uploads an X12 file directly (bearer token per partner). The
 * bytes are journaled as received and read asynchronously; the 997 follows through the
 * partner's transport. The body is taken as raw bytes whatever its content type.
 */
export async function ediRoutes(app: HttpServer, deps: EdiDeps): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/edi/:partner', {

      config: { scope: 'signed' },
      schema: {
        summary: 'Upload an X12 interchange file',
        description: 'Journaled as received (a file sent twice is recognised), read asynchronously; each group is acknowledged with a 997, a broken interchange with a TA1.',
        tags: ['edi'],
        params: Type.Object({ partner: Type.String() }),
        response: {
          202: Type.Object({ messageId: Type.String(), duplicate: Type.Boolean(), location: Type.String() }),
          401: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema,
        },
      },
    }, async (request, reply) => {
      const partner = deps.partners.get(request.params.partner);
      const token = partner?.settings.httpToken;
      if (!partner || !token) return sendProblem(reply, new CrossdockError('request.not-found', `no EDI partner ${request.params.partner} that uploads over HTTP`));
      const auth = request.headers.authorization;
      if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, token)) {
        return sendProblem(reply, new CrossdockError('webhook.signature-invalid', `${partner.id}: missing or wrong bearer token`));
      }
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (bytes.length === 0) return sendProblem(reply, new CrossdockError('request.invalid', 'the body is empty: send the X12 file as the body', { errors: [{ pointer: '/', detail: 'empty body' }] }));
      const result = await journalEdiFile(deps, partner, bytes, { via: 'http', correlationId: request.correlationId });
      return reply.code(202).send({ messageId: result.messageId, duplicate: result.outcome === 'duplicate', location: `/v1/messages/${result.messageId}` });
    });
  });
}
