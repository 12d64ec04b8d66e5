import Type from 'typebox';
import { CrossdockError } from '../errors/crossdock-error.js';
import { StringEnum } from '../canonical/common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

const MessageSummary = Type.Object({
  id: Type.String(), correlationId: Type.String(), direction: Type.String(), source: Type.String(), kind: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]), channelRef: Type.Union([Type.String(), Type.Null()]),
  sourceTimestamp: Type.Union([Type.String(), Type.Null()]), status: Type.String(),
  receivedAt: Type.String(), updatedAt: Type.String(),
});

/** A search result: the message plus what the console lists of the order it is about. */
const ListedMessage = Type.Object({
  ...MessageSummary.properties,
  channel: Type.String({ description: 'The channel or partner the message came from (same as `source`)' }),
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  channelOrderId: Type.Union([Type.String(), Type.Null()], { description: "The channel's own order id (same as `channelRef`)" }),
  customer: Type.Union([Type.String(), Type.Null()], { description: 'Customer account of the order the message is about' }),
});

/** Search terms are exact; whitespace pasted around them is not part of them. */
function term(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new CrossdockError('request.invalid', `${field} is not a timestamp`, { errors: [{ pointer: `/query/${field}`, detail: 'must be an ISO 8601 timestamp' }] });
  }
  return ms;
}

/** `GET /v1/messages` searches the journal; `GET /v1/messages/{id}` shows one message whole. */
export async function messageRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.get('/v1/messages', {
    config: { scope: 'messages:read' },
    schema: {
      summary: 'Search the journal',
      description: '`q` matches a message id, order id, order number, PO number, channel order id or correlation id exactly; '
        + '`sku` an order line\'s SKU or channel SKU, `customer` the customer account, exactly. Filters combine. '
        + 'Newest first; follow `nextCursor` for the next page (pages do not shift as messages arrive).',
      tags: ['journal'],
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        sku: Type.Optional(Type.String({ maxLength: 255 })),
        customer: Type.Optional(Type.String({ maxLength: 100 })),
        status: Type.Optional(StringEnum(['accepted', 'processing', 'delivered', 'held', 'failed', 'rejected'] as const)),
        channel: Type.Optional(Type.String({ maxLength: 64 })),
        from: Type.Optional(Type.String({ description: 'ISO 8601, inclusive' })),
        to: Type.Optional(Type.String({ description: 'ISO 8601, exclusive' })),
        limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: '1–500, default 50' })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ListedMessage), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 422: ProblemSchema },
    },
  }, async (request) => {
    const q = request.query;
    const from = parseTime(q.from, 'from');
    const to = parseTime(q.to, 'to');
    const text = term(q.q);
    const sku = term(q.sku);
    const customer = term(q.customer);
    const channel = term(q.channel);
    const page = await deps.store.searchMessages({
      limit: Math.min(500, Number(q.limit ?? 50)),
      ...(text ? { text } : {}), ...(sku ? { sku } : {}), ...(customer ? { customer } : {}),
      ...(q.status ? { status: q.status } : {}), ...(channel ? { channel } : {}),
      ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return {
      items: page.items.map((m) => ({
        ...m, channel: m.source, channelOrderId: m.channelRef, receivedAt: iso(m.receivedAt), updatedAt: iso(m.updatedAt),
      })),
      nextCursor: page.nextCursor,
    };
  });

  app.get('/v1/messages/:id', {

    config: { scope: 'messages:read' },
    schema: {
      summary: 'One journal message: raw and canonical payloads and every step and attempt',
      tags: ['journal'],
      params: Type.Object({ id: Type.String() }),
      response: { 200: Type.Object({ ...MessageSummary.properties, raw: Type.String(), canonical: Type.Unknown(), events: Type.Array(Type.Unknown()) }), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const message = await deps.store.getMessage(request.params.id);
    if (!message) return sendProblem(reply, new CrossdockError('request.not-found', `no message ${request.params.id}`));
    const events = await deps.store.listEvents(message.id);
    return {
      ...message, receivedAt: iso(message.receivedAt), updatedAt: iso(message.updatedAt),
      events: events.map((e) => ({ ...e, at: iso(e.at) })),
    };
  });
}
