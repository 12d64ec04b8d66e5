import { describe, expect, it } from 'vitest';
import type { AcceptOrderInput, MessageQuery, Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';
import { orderInput } from './store.suite.js';

const T0 = 1_714_557_600_000;

interface Line {
  sku: string;
  channelSku?: string;
}

/** An order of `customer` with these lines, received at `now`. */
function order(n: string, customer: string, lines: Line[], overrides: Partial<AcceptOrderInput> = {}): AcceptOrderInput {
  const base = orderInput(n, overrides);
  return {
    ...base,
    customerAccount: customer,
    canonical: { id: base.orderId, customer: { accountId: customer }, lines: lines.map((l) => ({ ...l, quantity: 1, uom: 'EA', unitPrice: '1.00' })) },
  };
}

/** Journal search by SKU and customer, combined with the other filters: the same in every Store. */
export function storeSearchSuite(name: string, open: OpenStore): void {
  describe(`${name} store: journal search`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));
    const ids = async (q: Omit<MessageQuery, 'limit'>) => (await store.searchMessages({ limit: 100, ...q })).items.map((m) => m.id);

    it('finds an order by any SKU on its lines, crossdock\'s or the channel\'s, and by its customer, exactly', async () => {
      await store.acceptOrder(order('1', 'C-100', [{ sku: 'SKU-1' }, { sku: 'SKU-2', channelSku: 'shop-var-2' }], { now: T0 }));
      await store.acceptOrder(order('2', 'C-200', [{ sku: 'SKU-2' }], { now: T0 + 1 }));
      await store.acceptOrder(order('3', 'C-100', [{ sku: 'SKU-10' }], { now: T0 + 2 }));

      expect(await ids({ sku: 'SKU-1' })).toEqual(['msg_1']);
      expect(await ids({ sku: 'SKU-2' })).toEqual(['msg_2', 'msg_1']);
      expect(await ids({ sku: 'shop-var-2' })).toEqual(['msg_1']);
      expect(await ids({ sku: 'sku-1' })).toEqual([]);
      expect(await ids({ sku: 'SKU' })).toEqual([]);
      expect(await ids({ customer: 'C-100' })).toEqual(['msg_3', 'msg_1']);
      expect(await ids({ customer: 'C-1' })).toEqual([]);
      expect(await ids({ sku: 'SKU-2', customer: 'C-200' })).toEqual(['msg_2']);
      expect(await ids({ sku: 'SKU-10', customer: 'C-200' })).toEqual([]);
    });

    it('lists each message with its order number, channel order id and customer', async () => {
      await store.acceptOrder(order('1', 'C-100', [{ sku: 'SKU-1' }], { orderNumber: 'SO-1' }));
      const [item] = (await store.searchMessages({ sku: 'SKU-1', limit: 10 })).items;
      expect(item).toMatchObject({ id: 'msg_1', orderNumber: 'SO-1', channelRef: '#1', customer: 'C-100', source: 'shop', status: 'accepted', receivedAt: T0 });
      expect(item).not.toHaveProperty('raw');
      expect(item).not.toHaveProperty('canonical');
    });

    it('combines a SKU or customer with status, channel, text and a received-at window', async () => {
      await store.acceptOrder(order('1', 'C-100', [{ sku: 'SKU-1' }], { now: T0 }));
      await store.acceptOrder(order('2', 'C-100', [{ sku: 'SKU-1' }], { now: T0 + 100, channel: 'b2b' }));
      await store.acceptOrder(order('3', 'C-100', [{ sku: 'SKU-1' }], { now: T0 + 200 }));
      await store.acceptOrder(order('4', 'C-200', [{ sku: 'SKU-9' }], { now: T0 + 300 }));
      await store.transitionOrder({ orderId: 'ord_3', from: ['received'], to: 'held', now: T0 + 400, step: 'held' });

      expect(await ids({ sku: 'SKU-1', status: 'held' })).toEqual(['msg_3']);
      expect(await ids({ customer: 'C-100', status: 'accepted' })).toEqual(['msg_2', 'msg_1']);
      expect(await ids({ sku: 'SKU-1', channel: 'b2b' })).toEqual(['msg_2']);
      expect(await ids({ customer: 'C-100', from: T0 + 100, to: T0 + 200 })).toEqual(['msg_2']);
      expect(await ids({ sku: 'SKU-1', from: T0 + 100 })).toEqual(['msg_3', 'msg_2']);
      expect(await ids({ sku: 'SKU-1', text: '#1' })).toEqual(['msg_1']);
      expect(await ids({ sku: 'SKU-9', status: 'held' })).toEqual([]);
      expect(await ids({ status: 'held', channel: 'shop', from: T0 + 200, to: T0 + 201 })).toEqual(['msg_3']);
    });

    it('indexes a channel order\'s revision by its own lines', async () => {
      const first = order('1', 'C-100', [{ sku: 'SKU-1' }], { now: T0 });
      await store.acceptOrderVersion({ ...first, channelUpdatedAt: '2024-05-01T10:00:00Z' });
      const revision = order('1', 'C-100', [{ sku: 'SKU-1' }, { sku: 'SKU-7', channelSku: 'v-7' }], { messageId: 'msg_1b', jobId: 'job_1b', orderId: 'ord_1b', now: T0 + 50 });
      const result = await store.acceptOrderVersion({ ...revision, channelUpdatedAt: '2024-05-01T11:00:00Z' });
      expect(result.outcome).toBe('revised');

      expect(await ids({ sku: 'SKU-1' })).toEqual(['msg_1b', 'msg_1']);
      expect(await ids({ sku: 'v-7' })).toEqual(['msg_1b']);
      const stale = order('1', 'C-100', [{ sku: 'SKU-8' }], { messageId: 'msg_1c', jobId: 'job_1c', orderId: 'ord_1c', now: T0 + 60 });
      expect((await store.acceptOrderVersion({ ...stale, channelUpdatedAt: '2024-05-01T09:00:00Z' })).outcome).toBe('stale');
      expect(await ids({ sku: 'SKU-8' })).toEqual([]);
    });

    it('pages by SKU through 250 orders, each once and newest first, while new orders arrive', async () => {
      for (let i = 0; i < 250; i++) {
        // Two orders per millisecond: the cursor must break ties by id.
        await store.acceptOrder(order(String(i).padStart(3, '0'), `C-${i % 3}`, [{ sku: 'SKU-HOT' }], { now: T0 + Math.floor(i / 2) }));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.searchMessages({ sku: 'SKU-HOT', limit: 50, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
        // Newer than every page: must not shift the pages still to come.
        await store.acceptOrder(order(`new${pages}`, 'C-0', [{ sku: 'SKU-HOT' }], { now: T0 + 10_000 + pages }));
      } while (cursor);
      const expected = Array.from({ length: 250 }, (_, i) => `msg_${String(i).padStart(3, '0')}`).reverse();
      expect(seen).toEqual(expected);
      expect(pages).toBe(5);
    });

    it('refuses a cursor it did not hand out, naming it', async () => {
      await expect(store.searchMessages({ limit: 10, cursor: 'not-a-cursor' })).rejects.toMatchObject({
        code: 'request.invalid', errors: [{ pointer: '/query/cursor' }],
      });
    });
  });
}
