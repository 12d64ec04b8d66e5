import { Readable } from 'node:stream';
import Type from 'typebox';
import { Currency, StringEnum, UnitOfMeasure } from '../canonical/common.js';
import { PRICE_RULE_KINDS, PriceRule, priceRuleProblems } from '../canonical/price.js';
import { CrossdockError, type FieldProblem } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { sumDecimals } from '../lib/money.js';
import type { Metrics } from '../observability/metrics.js';
import type { PriceBook } from '../pricing/book.js';
import { toStoredRule } from '../pricing/book-store.js';
import { customerPriceList, priceListChunks } from '../pricing/price-list.js';
import { quoteLines } from '../pricing/quote.js';
import { currencyDecimals } from '../pricing/resolve.js';
import type { Store } from '../store/types.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';

/** What the price routes need from the composition root. */
export interface PriceApiDeps {
  store: Store;
  clock: Clock;
  metrics?: Metrics;
  book: PriceBook;
}

/** The source of rules pushed through the API without one. */
export const API_SOURCE = 'api';

const Account = Type.String({ minLength: 1, maxLength: 100, description: 'Customer account id' });
const At = Type.String({ format: 'date-time', description: 'The moment whose rules apply (ISO 8601). @default now' });

// Only the outline here: each rule is checked against the schema of its kind in the handler,
// so a batch's problems all come back at once, each naming its field.
const RuleSchema = Type.Object(
  { kind: Type.String({ description: PRICE_RULE_KINDS.join(', ') }) },
  { additionalProperties: true, description: 'A price rule (schema `price-rule`, docs/prices.md); `source` defaults to `api`' },
);

const WinningRuleSchema = Type.Object({ id: Type.String(), kind: Type.String(), why: Type.String() });

const QuotedLineSchema = Type.Object({
  sku: Type.String(), quantity: Type.Number(), uom: Type.Optional(Type.String()),
  unitPrice: Type.Union([Type.String(), Type.Null()]),
  extendedPrice: Type.Union([Type.String(), Type.Null()]),
  minQuantity: Type.Optional(Type.Number({ description: 'The quantity break that gave the price' })),
  rule: Type.Optional(WinningRuleSchema),
  reason: Type.Optional(Type.String({ description: 'Why the book has no price for this line' })),
});

/**
 * The price book's API (docs/prices.md), answered from the local book alone — never the ERP:
 * - `POST   /v1/prices/quote`: each line's unit and extended price and the rule that won, and why;
 * - `GET    /v1/prices/lists/:customer?currency=&format=csv|json`: a customer's whole price list, streamed;
 * - `PUT    /v1/prices/rules`: upsert a batch of rules (ERP price events, pushes); journaled first;
 * - `DELETE /v1/prices/rules/:id`: remove one; journaled first; a second delete is harmless;
 * - `GET    /v1/prices/rules/:id`: one rule as the book holds it.
 */
export async function priceRoutes(app: HttpServer, deps: PriceApiDeps): Promise<void> {
  app.post('/v1/prices/quote', {
    config: { scope: 'prices:read' },
    schema: {
      summary: 'Quote prices from the price book',
      tags: ['prices'],
      body: Type.Object({
        customer: Account,
        customerGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Overrides the group of `prices.customerGroups`' })),
        currency: Currency,
        channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        region: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        at: Type.Optional(At),
        lines: Type.Array(Type.Object({
          sku: Type.String({ minLength: 1, maxLength: 100 }),
          quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
          uom: Type.Optional(UnitOfMeasure),
        }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          customer: Type.String(), currency: Type.String(), at: Type.String(),
          lines: Type.Array(QuotedLineSchema),
          total: Type.String({ description: 'Sum of the priced lines' }),
          complete: Type.Boolean({ description: 'False when a line has no price' }),
        }),
        422: ProblemSchema,
      },
    },
  }, async (request) => {
    const body = request.body;
    const at = body.at === undefined ? deps.clock.now() : Date.parse(body.at);
    const lines = quoteLines(deps.book, { ...body, at });
    const unpriced = lines.filter((l) => l.unitPrice === null).length;
    deps.metrics?.priceQuotes.inc({ use: 'api' });
    if (unpriced > 0) deps.metrics?.priceQuoteLinesUnpriced.inc({ use: 'api' }, unpriced);
    const priced = lines.flatMap((l) => (l.extendedPrice === null ? [] : [l.extendedPrice]));
    return {
      customer: body.customer, currency: body.currency, at: new Date(at).toISOString(), lines,
      total: sumDecimals(priced, currencyDecimals(body.currency)), complete: unpriced === 0,
    };
  });

  app.get('/v1/prices/lists/:customer', {

    config: { scope: 'prices:read' },
    schema: {
      summary: "A customer's price list (every SKU the book prices for it), streamed as CSV or JSON",
      tags: ['prices'],
      params: Type.Object({ customer: Account }),
      querystring: Type.Object({
        currency: Currency,
        format: Type.Optional(StringEnum(['csv', 'json'] as const, 'csv or json')),
        customerGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        region: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        at: Type.Optional(At),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { currency, format = 'json', at: atText, ...rest } = request.query;
    const at = atText === undefined ? deps.clock.now() : Date.parse(atText);
    const entries = customerPriceList(deps.book, { ...rest, customer: request.params.customer, currency, at });
    const chunks = priceListChunks(entries, format, { customer: request.params.customer, currency, at: new Date(at).toISOString() });
    if (format === 'csv') {
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="prices-${request.params.customer.replace(/[^A-Za-z0-9._-]/g, '_')}-${currency}.csv"`);
    } else {
      reply.type('application/json; charset=utf-8');
    }
    return reply.send(Readable.from(chunks));
  });

  app.put('/v1/prices/rules', {

    config: { scope: 'prices:write' },
    schema: {
      summary: 'Add or replace price rules (ERP price events, pushes)',
      tags: ['prices'],
      body: Type.Object({ rules: Type.Array(RuleSchema, { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ upserted: Type.Integer(), messageId: Type.String() }), 422: ProblemSchema },
    },
  }, async (request, reply) => {
    const rules = request.body.rules.map((r) => ({ source: API_SOURCE, ...r }));
    const problems: FieldProblem[] = rules.flatMap((rule, i) => priceRuleProblems(rule, `/rules/${i}`));
    const seen = new Map<string, number>();
    rules.forEach((rule, i) => {
      const id = (rule as { id?: unknown }).id;
      if (typeof id !== 'string') return;
      if (seen.has(id)) problems.push({ pointer: `/rules/${i}/id`, detail: `${id} is also rule ${seen.get(id)} of this batch` });
      seen.set(id, i);
    });
    if (problems.length > 0) {
      const shown = problems.slice(0, 50);
      return sendProblem(reply, new CrossdockError('request.invalid', shown.slice(0, 5).map((p) => `${p.pointer} ${p.detail}`).join('; '), { errors: shown }));
    }
    const valid = rules as PriceRule[];
    const now = deps.clock.now();
    // Journaled before it is applied: a rule the caller was told about is on disk, and the raw
    // body says what was asked for should a price ever be disputed.
    const { messageId } = await deps.store.recordInbound({
      messageId: newId('msg', now), correlationId: request.correlationId, source: API_SOURCE, kind: 'price-rules',
      raw: request.rawBody ?? JSON.stringify(request.body), canonical: { upsert: valid }, status: 'accepted', now,
    });
    await deps.store.upsertPriceRules(valid.map(toStoredRule), now);
    deps.book.upsert(valid);
    return { upserted: valid.length, messageId };
  });

  app.delete('/v1/prices/rules/:id', {

    config: { scope: 'prices:write' },
    schema: {
      summary: 'Remove a price rule',
      tags: ['prices'],
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: Type.Object({ id: Type.String(), deleted: Type.Boolean({ description: 'False when there was no such rule (nothing changed)' }), messageId: Type.String() }) },
    },
  }, async (request) => {
    const { id } = request.params;
    const now = deps.clock.now();
    const { messageId } = await deps.store.recordInbound({
      messageId: newId('msg', now), correlationId: request.correlationId, source: API_SOURCE, kind: 'price-rules',
      raw: JSON.stringify({ delete: [id] }), canonical: { delete: [id] }, status: 'accepted', now,
    });
    const deleted = (await deps.store.deletePriceRules([id], now)) > 0;
    deps.book.remove([id]);
    return { id, deleted, messageId };
  });

  app.get('/v1/prices/rules/:id', {

    config: { scope: 'prices:read' },
    schema: {
      summary: 'One price rule as the book holds it',
      tags: ['prices'],
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: PriceRule, 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const rule = deps.book.get(request.params.id);
    if (!rule) return sendProblem(reply, new CrossdockError('request.not-found', `no price rule ${request.params.id}`));
    return rule;
  });
}
