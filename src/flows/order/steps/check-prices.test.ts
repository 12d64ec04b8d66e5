import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../canonical/order.js';
import type { PriceRule } from '../../../canonical/price.js';
import { CrossdockError } from '../../../errors/crossdock-error.js';
import { Metrics } from '../../../observability/metrics.js';
import { PriceBook } from '../../../pricing/book.js';
import type { PriceCheckPolicy } from '../../../pricing/config-schema.js';
import { quoteLines } from '../../../pricing/quote.js';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.js';
import type { OrderRecord, Store } from '../../../store/types.js';
import { checkPrices, priceCheckStep } from './check-prices.js';

const RULES: PriceRule[] = [
  { kind: 'list', id: 'list:SKU-1', source: 'config', sku: 'SKU-1', currency: 'USD', unitPrice: '10.00' },
  { kind: 'list', id: 'list:SKU-3', source: 'config', sku: 'SKU-3', currency: 'USD', unitPrice: '12.00' },
  { kind: 'contract', id: 'contract:C-100:SKU-3', source: 'erp:sandbox', sku: 'SKU-3', currency: 'USD', customer: 'C-100', unitPrice: '11.40' },
];

function order(lines: { sku: string; unitPrice: string; quantity?: number }[], channel = 'b2b-portal'): Order {
  return {
    id: 'ord_1', version: 1, source: { system: 'api', id: 'PO-1' }, receivedAt: '2026-06-01T10:00:00Z',
    channel, channelOrderId: 'PO-1', orderedAt: '2026-06-01T10:00:00Z', currency: 'USD', customer: { accountId: 'C-100' },
    shipTo: { name: 'Acme', line1: '1 Dock Rd', city: 'Reno', country: 'US' },
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity ?? 1, uom: 'EA', unitPrice: l.unitPrice })),
    payment: { status: 'authorized' },
  };
}

const policy = (p: Partial<PriceCheckPolicy> = {}): PriceCheckPolicy => ({ tolerancePercent: 5, toleranceAmount: '0', onMismatch: 'hold', ...p });
const book = new PriceBook(RULES);
const quotesOf = (o: Order) => quoteLines(book, { customer: o.customer.accountId, currency: o.currency, at: Date.parse(o.orderedAt), lines: o.lines });

describe('order price check', () => {
  it('explains a line below the contract price beyond the tolerance in one readable sentence', () => {
    const o = order([{ sku: 'SKU-1', unitPrice: '10.00' }, { sku: 'SKU-3', unitPrice: '9.99' }]);
    const result = checkPrices(o, quotesOf(o), policy());
    expect(result.mismatches).toEqual([{ line: 2, sku: 'SKU-3', channelPrice: '9.99', bookPrice: '11.40', differencePercent: '-12.4', rule: expect.objectContaining({ id: 'contract:C-100:SKU-3', kind: 'contract' }) }]);
    expect(result.problem).toBeInstanceOf(CrossdockError);
    expect(result.problem?.code).toBe('price.mismatch');
    expect(result.problem?.kind).toBe('business');
    expect(result.problem?.message).toBe('line 2 SKU-3: channel price 9.99 USD is 12.4 % below the contract price 11.40 (rule contract:C-100:SKU-3), tolerance 5 %');
    expect(result.problem?.errors).toEqual([{ pointer: '/lines/1/unitPrice', detail: result.problem?.message }]);
  });

  it('accepts prices within the larger of the percent and the amount, either way', () => {
    const o = order([{ sku: 'SKU-1', unitPrice: '10.50' }, { sku: 'SKU-1', unitPrice: '9.50' }, { sku: 'SKU-3', unitPrice: '12.40' }]);
    expect(checkPrices(o, quotesOf(o), policy()).mismatches.map((m) => m.line)).toEqual([3]);
    expect(checkPrices(o, quotesOf(o), policy({ tolerancePercent: 0, toleranceAmount: '1.00' })).mismatches).toEqual([]);
    expect(checkPrices(o, quotesOf(o), policy({ tolerancePercent: 0 })).problem?.message).toMatch(/^line 1 SKU-1: channel price 10.50 USD is 5.0 % above the list price 10.00 \(rule list:SKU-1\), no tolerance/);
  });

  it('notes lines the book cannot price without calling them mismatches', () => {
    const o = order([{ sku: 'SKU-NEW', unitPrice: '1.00' }]);
    const result = checkPrices(o, quotesOf(o), policy());
    expect(result.mismatches).toEqual([]);
    expect(result.problem).toBeUndefined();
    expect(result.unpriced).toEqual([{ line: 1, sku: 'SKU-NEW', reason: 'the price book has no rule for SKU-NEW' }]);
  });
});

describe('price check step', () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
  });

  async function withOrder(o: Order): Promise<{ store: Store; record: OrderRecord }> {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-price-check-'));
    store = await openSqliteStore({ file: join(dir, 'store.db') });
    await store.acceptOrder({
      orderId: o.id, messageId: 'msg_1', jobId: 'job_1', correlationId: 'cor_1', channel: o.channel, channelOrderId: o.channelOrderId,
      idempotencyKeys: [`${o.channel}:${o.channelOrderId}`], requestHash: 'h', raw: JSON.stringify(o), canonical: o,
      response: { orderId: o.id, correlationId: 'cor_1', status: 'received', location: `/v1/orders/${o.id}` },
      sourceTimestamp: o.orderedAt, customerAccount: 'C-100', now: 1, maxAttempts: 3,
    });
    return { store, record: (await store.getOrder(o.id))! };
  }

  it('throws the mismatch for a channel that holds, and counts it', async () => {
    const o = order([{ sku: 'SKU-3', unitPrice: '9.99' }]);
    const { store, record } = await withOrder(o);
    const metrics = new Metrics(store, () => []);
    const step = priceCheckStep({ book, settings: { channels: { 'b2b-portal': policy() } }, store, clock: { now: () => 5 }, metrics });
    await expect(step(o, record)).rejects.toMatchObject({ code: 'price.mismatch' });
    expect((await metrics.registry.getSingleMetricAsString('crossdock_price_mismatches_total'))).toContain('crossdock_price_mismatches_total{channel="b2b-portal",outcome="held"} 1');
    expect((await store.listEvents('msg_1')).map((e) => e.step)).not.toContain('price.checked');
  });

  it('journals a price.checked step for a channel that reports, and lets the order go on', async () => {
    const o = order([{ sku: 'SKU-3', unitPrice: '9.99' }, { sku: 'SKU-NEW', unitPrice: '1.00' }]);
    const { store, record } = await withOrder(o);
    const metrics = new Metrics(store, () => []);
    const step = priceCheckStep({ book, settings: { channels: { 'b2b-portal': policy({ onMismatch: 'report' }) } }, store, clock: { now: () => 5 }, metrics });
    await step(o, record);
    const event = (await store.listEvents('msg_1')).find((e) => e.step === 'price.checked');
    expect(event).toMatchObject({ outcome: 'info', at: 5, detail: { onMismatch: 'report', mismatches: [{ line: 1, sku: 'SKU-3' }], unpriced: [{ line: 2, sku: 'SKU-NEW' }] } });
    expect(await metrics.registry.getSingleMetricAsString('crossdock_price_mismatches_total')).toContain('outcome="reported"} 1');
  });

  it('leaves channels without a policy unchecked', async () => {
    const o = order([{ sku: 'SKU-3', unitPrice: '0.01' }], 'shopify-us');
    const { store, record } = await withOrder(o);
    await priceCheckStep({ book, settings: { channels: { 'b2b-portal': policy() } }, store, clock: { now: () => 5 } })(o, record);
    expect((await store.listEvents('msg_1')).map((e) => e.step)).not.toContain('price.checked');
  });
});
