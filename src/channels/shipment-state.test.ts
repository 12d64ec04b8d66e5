import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../canonical/order.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { OrderRecord, Store } from '../store/types.js';
import { recordShipmentOnOrder } from './shipment-state.js';

const order: Order = {
  id: 'ord_1', version: 1, source: { system: 'shopify-us', id: '8002' }, receivedAt: '2026-06-01T10:00:00Z',
  channel: 'shopify-us', channelOrderId: '8002', orderedAt: '2026-06-01T10:00:00Z', currency: 'USD', customer: { accountId: 'C-100' },
  shipTo: { name: 'Acme', line1: '1 Dock Rd', city: 'Reno', country: 'US' },
  lines: [{ sku: 'SKU-1', quantity: 1, uom: 'EA', unitPrice: '10.00' }],
  payment: { status: 'authorized' },
};

describe('recording a shipment on its order', () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
  });

  async function postedOrder(): Promise<{ store: Store; record: OrderRecord }> {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-shipment-state-'));
    store = await openSqliteStore({ file: join(dir, 'store.db') });
    await store.acceptOrder({
      orderId: order.id, messageId: 'msg_1', jobId: 'job_1', correlationId: 'cor_1', channel: order.channel, channelOrderId: order.channelOrderId,
      idempotencyKeys: ['shopify-us:8002'], requestHash: 'h', raw: JSON.stringify(order), canonical: order,
      response: { orderId: order.id, correlationId: 'cor_1', status: 'received', location: `/v1/orders/${order.id}` },
      sourceTimestamp: order.orderedAt, customerAccount: 'C-100', now: 1, maxAttempts: 3,
    });
    await store.transitionOrder({ orderId: order.id, from: ['received'], to: 'posted', now: 2, step: 'posted', erpRef: 'SO-1' });
    return { store, record: (await store.getOrder(order.id))! };
  }

  const steps = async (s: Store) => (await s.listEvents('msg_1')).map((e) => e.step);

  it('moves a posted order on by what has shipped', async () => {
    const { store, record } = await postedOrder();
    await recordShipmentOnOrder(store, record, order, 3);
    expect((await store.getOrder(order.id))?.state).toBe('partially_shipped');
    expect(await steps(store)).toContain('partially_shipped');
  });

  it('notes the shipment on an order invoiced after the caller read it, and leaves it invoiced', async () => {
    const { store, record } = await postedOrder();
    // The invoice is taken while the shipment is being published: the caller's record still says posted.
    await store.transitionOrder({ orderId: order.id, from: ['posted'], to: 'invoiced', now: 3, step: 'invoiced' });
    expect(record.state).toBe('posted');
    await recordShipmentOnOrder(store, record, order, 4);
    expect((await store.getOrder(order.id))?.state).toBe('invoiced');
    expect((await steps(store)).filter((s) => s === 'partially_shipped')).toHaveLength(1);
  });
});
