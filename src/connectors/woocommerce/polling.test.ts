import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelConnector, PollPage } from '../../channels/types.js';
import type { WooFake } from '../../../test/fakes/woocommerce/server.js';
import { ctx, orderAt, storeAndConnector } from '../../../test/fakes/woocommerce/harness.js';

let store: WooFake | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

async function pages(connector: ChannelConnector, cursor?: string): Promise<PollPage[]> {
  const out: PollPage[] = [];
  for await (const page of connector.polling!.poll(cursor, ctx)) out.push(page);
  return out;
}
const ids = (list: PollPage[]) => list.flatMap((p) => p.documents.map((d) => d.channelOrderId));

describe('WooCommerce polling', () => {
  it('reads every order modified since the start, oldest first, page by page, with the newest modification as cursor', async () => {
    const made = await storeAndConnector({ pollStartAt: new Date(T0).toISOString() });
    store = made.store;
    store.seedOrder(orderAt(1, T0 - 60_000)); // before the start: not read
    for (let i = 0; i < 230; i += 1) store.seedOrder(orderAt(100 + i, T0 + (i + 1) * 1000));
    const list = await pages(made.connector);
    expect(ids(list)).toEqual(Array.from({ length: 230 }, (_, i) => String(100 + i)));
    expect(list.map((p) => p.done)).toEqual([false, false, true]);
    expect(list.at(-1)!.cursor).toBe(new Date(T0 + 230_000).toISOString().replace('.000Z', 'Z'));
    const first = store.state.calls[0]!;
    expect(first.query).toMatchObject({ modified_after: '2024-05-01T12:00:00', dates_are_gmt: 'true', orderby: 'modified', order: 'asc', per_page: '100', page: '1' });
    // Later pages move modified_after instead of the page number (see polling.ts).
    expect(store.state.calls.map((c) => c.query.page)).toEqual(['1', '1', '1']);
    const documents = list[0]!.documents;
    expect(documents[0]).toMatchObject({ channelOrderId: '100', updatedAt: '2024-05-01T12:00:01Z', document: { refunds: [] } });
  });

  it('starts the next poll one overlap before the cursor, and first polls look back by the configured minutes', async () => {
    const made = await storeAndConnector({ overlapSeconds: 30, pollLookbackMinutes: 5 });
    store = made.store;
    const now = Date.now();
    store.seedOrder(orderAt(1, now - 10 * 60_000));
    store.seedOrder(orderAt(2, now - 60_000));
    expect(ids(await pages(made.connector))).toEqual(['2']);
    const cursor = new Date(now - 60_000).toISOString();
    store.seedOrder(orderAt(3, now - 75_000)); // written during the last poll with an earlier time
    expect(ids(await pages(made.connector, cursor))).toEqual(['3', '2']);
    expect(store.state.calls.at(-1)!.query.modified_after).toBe(new Date(Math.floor((now - 90_000) / 1000) * 1000).toISOString().slice(0, 19));
  });

  it('loses no order when one is modified while the poll pages through', async () => {
    const made = await storeAndConnector({ pollStartAt: new Date(T0).toISOString() });
    store = made.store;
    for (let i = 0; i < 150; i += 1) store.seedOrder(orderAt(1000 + i, T0 + (i + 1) * 1000));
    const seen: string[] = [];
    for await (const page of made.connector.polling!.poll(undefined, ctx)) {
      seen.push(...page.documents.map((d) => d.channelOrderId));
      // The shop edits an order already read: it moves to the end of the list.
      if (seen.length === 100) store.touchOrder(1000);
    }
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 150 }, (_, i) => String(1000 + i))));
  });

  it('steps through more than a page of orders modified in the same second', async () => {
    const made = await storeAndConnector({ pollStartAt: new Date(T0).toISOString() });
    store = made.store;
    for (let i = 0; i < 130; i += 1) store.seedOrder(orderAt(2000 + i, T0 + 5000));
    store.seedOrder(orderAt(3000, T0 + 9000));
    const list = await pages(made.connector);
    expect(new Set(ids(list)).size).toBe(131);
    expect(store.state.calls.map((c) => c.query.page)).toEqual(['1', '2']);
  });

  it('skips checkout drafts but moves the cursor past them', async () => {
    const made = await storeAndConnector({ pollStartAt: new Date(T0).toISOString() });
    store = made.store;
    store.seedOrder(orderAt(1, T0 + 1000));
    store.seedOrder(orderAt(2, T0 + 2000, { status: 'checkout-draft' }));
    const list = await pages(made.connector);
    expect(ids(list)).toEqual(['1']);
    expect(list[0]!.cursor).toBe('2024-05-01T12:00:02Z');
  });

  it('rides out 429 with Retry-After and a 5xx through the protection policy', async () => {
    const made = await storeAndConnector({ pollStartAt: new Date(T0).toISOString() }, { bucket: { capacity: 1, refillPerSecond: 2 }, retryAfterSeconds: 1 });
    store = made.store;
    store.seedOrder(orderAt(1, T0 + 1000, { refunds: [{ id: 9, total: '-1.00' }] }));
    store.failNext(1, 502);
    const list = await pages(made.connector);
    expect(ids(list)).toEqual(['1']);
    expect(store.state.calls.map((c) => c.status)).toEqual(expect.arrayContaining([502, 429, 200]));
  });

  it('reports refused credentials as channel.unauthorized with WooCommerce\'s message', async () => {
    const made = await storeAndConnector({ consumerSecret: 'cs_wrong', pollStartAt: new Date(T0).toISOString() });
    store = made.store;
    await expect(pages(made.connector)).rejects.toMatchObject({
      code: 'channel.unauthorized',
      message: expect.stringContaining('woocommerce_rest_authentication_error: Consumer secret is invalid.'),
    });
  });
});
