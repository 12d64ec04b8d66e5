import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timingSafeEqual } from 'node:crypto';
import Type from 'typebox';
import { sendProblem } from '../../api/problem.js';
import { ProblemSchema } from '../../api/schemas-common.js';
import type { HttpServer } from '../../api/server.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { InventoryFeedSettings } from './config-schema.js';
import { receiveFeedFile, type FeedReceiveDeps } from './receive.js';

export interface InventoryFeedRouteDeps extends FeedReceiveDeps {
  /** Configured feeds by id; only those with an `httpToken` take uploads. */
  readonly feeds: ReadonlyMap<string, InventoryFeedSettings>;
}

/**
 * A whole stock snapshot of a large 3PL runs to tens of megabytes, more than an order body
 * ever does: the upload route has its own limit instead of the server's.
 */
export const FEED_UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024;

/** Constant-time comparison: the time taken says nothing about how much of the token matched. */
function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const Accepted = Type.Object({
  messageId: Type.String({ description: 'The journal message of the batch (the first upload\'s, for a duplicate)' }),
  outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]),
  changed: Type.Integer({ description: 'Stock levels whose figures changed' }),
  stale: Type.Integer({ description: 'Levels left alone because crossdock holds newer figures for them' }),
  warnings: Type.Array(Type.String(), { description: 'Taken, but worth a look (rows added up, timestamps without a zone …)' }),
  location: Type.String(),
});

/**
 * `POST /v1/inventory/feeds/{feed}`: a 3PL (or a script beside it) uploads a stock file with the
 * feed's bearer token. The body is the file's bytes whatever the content type (`text/csv`
 * expected). Answered once the inventory engine has applied the batch; a bad file is refused
 * whole with 422 naming each row and column, and kept in the journal as rejected.
 */
export async function inventoryFeedRoutes(app: HttpServer, deps: InventoryFeedRouteDeps): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FEED_UPLOAD_LIMIT_BYTES }, (_request, body, done) => done(null, body));

    scope.post('/v1/inventory/feeds/:feed', {

      config: { scope: 'signed' },
      bodyLimit: FEED_UPLOAD_LIMIT_BYTES,
      schema: {
        summary: 'Upload a stock file of a 3PL feed',
        description: 'The CSV file as the body (`Content-Type: text/csv`), with `Authorization: Bearer <httpToken>`. The same file sent twice is applied once. See docs/inventory-feeds.md.',
        tags: ['inventory'],
        params: Type.Object({ feed: Type.String() }),
        response: { 202: Accepted, 401: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema },
      },
    }, async (request, reply) => {
      const feed = deps.feeds.get(request.params.feed);
      const token = feed?.httpToken;
      if (!feed || !token) return sendProblem(reply, new CrossdockError('request.not-found', `no inventory feed ${request.params.feed} that takes HTTP uploads`));
      const auth = request.headers.authorization;
      if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, token)) {
        return sendProblem(reply, new CrossdockError('inventory.feed-unauthorized', `feed ${feed.id}: missing or wrong bearer token`));
      }
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const received = await receiveFeedFile(deps, feed, bytes, { via: 'http', correlationId: request.correlationId });
      if (received.outcome === 'rejected') {
        const { error } = received;
        return sendProblem(reply, new CrossdockError(error.code, `${error.message}. The file is kept in the journal as ${received.messageId}.`, { errors: error.errors }));
      }
      const { result, warnings } = received;
      return reply.code(202).send({
        messageId: result.messageId, outcome: result.outcome, changed: result.changed, stale: result.stale, warnings, location: `/v1/messages/${result.messageId}`,
      });
    });
  });
}
