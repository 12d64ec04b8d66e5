import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { postOrders, waitFor } from '../support/exactly-once.js';

let t: TestApp;
let url: string;
const erp = () => `${url}/sandbox/erp`;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await makeTestApp({ worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 }, protection: { erp: { backoffMs: 10, ratePerSecond: 1000 } } });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
});

interface OrderView { state: string; reason: { code: string } | null; history: { step: string; detail?: Record<string, unknown> }[] }
const order = async (id: string) => (await (await fetch(`${url}/v1/orders/${id}`)).json()) as OrderView;
const settled = (o: OrderView) => !['received', 'validated'].includes(o.state);
async function erpOrdersFor(id: string) {
  const body = (await (await fetch(`${erp()}/orders`)).json()) as { orders: { externalRef: string; customerId: string; lines: { sku: string; quantity: number }[] }[] };
  return body.orders.filter((o) => o.externalRef === id);
}
async function deadLetters(query: string) {
  return (await (await fetch(`${url}/v1/dead-letters?${query}`)).json()) as {
    items: { id: string; orderId: string; class: string; title: string; channel: string | null; channelOrderId: string | null; action: string }[];
    nextCursor: string | null;
  };
}
async function held(body: Record<string, unknown>): Promise<string> {
  const [id] = await postOrders(url, [sampleOrder(body)]);
  const o = await waitFor(() => order(id!), settled, 10_000);
  expect(o.state).toBe('held');
  return id!;
}

describe('dead-letter workbench', () => {
  it('fixes an order held for an unknown SKU with a cross-reference and replays it: posted once with the mapped SKU, all audited', async () => {
    const id = await held({ channelOrderId: 'WB-SKU', lines: [{ sku: 'WIDGET-RED', quantity: 2, uom: 'EA', unitPrice: '10.00' }] });
    expect((await order(id)).reason?.code).toBe('sku.unknown');

    const groups = (await (await fetch(`${url}/v1/dead-letters/groups`)).json()) as { groups: { class: string; count: number; codes: string[]; action: string }[] };
    expect(groups.groups.find((g) => g.class === 'unknown-sku')).toMatchObject({ count: 1, codes: ['sku.unknown'], action: expect.stringMatching(/cross-reference/) });
    const letter = (await deadLetters('class=unknown-sku')).items.find((l) => l.orderId === id);
    expect(letter).toMatchObject({ class: 'unknown-sku', title: 'Unknown SKU', channel: 'b2b-portal', channelOrderId: 'WB-SKU' });

    const put = await fetch(`${url}/v1/cross-references/b2b-portal/sku/WIDGET-RED`, { method: 'PUT', headers: json, body: JSON.stringify({ sku: 'SKU-1' }) });
    expect(put.status).toBe(200);
    const replay = await fetch(`${url}/v1/dead-letters/${letter!.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);

    const posted = await waitFor(() => order(id), (o) => o.state === 'posted', 15_000);
    const steps = posted.history.map((h) => h.step);
    expect(steps).toEqual(expect.arrayContaining(['held', 'replayed', 'cross-referenced', 'posted']));
    expect(steps.indexOf('cross-referenced')).toBeGreaterThan(steps.indexOf('replayed'));
    const inErp = await erpOrdersFor(id);
    expect(inErp).toHaveLength(1);
    expect(inErp[0]!.lines.map((l) => l.sku)).toEqual(['SKU-1']);
    expect((await fetch(`${url}/v1/dead-letters/${letter!.id}/replay`, { method: 'POST' })).status).toBe(409);

    const [putEntry] = await t.app.store.listAudit({ limit: 1, action: 'cross-reference.put' });
    expect(putEntry).toMatchObject({ target: 'b2b-portal/sku/WIDGET-RED', before: null, after: { value: { sku: 'SKU-1' } } });
    const [replayEntry] = await t.app.store.listAudit({ limit: 1, action: 'dead-letter.replay' });
    expect(replayEntry).toMatchObject({ target: letter!.id, before: { status: 'dead', error: { code: 'sku.unknown' } }, after: { status: 'queued' } });
  });

  it('replays a whole class after one fix: each order posted exactly once, one audit entry with the count and ids', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await held({ channelOrderId: `WB-CUST-${n}`, customer: { accountId: 'WEB-SHOPPER' } }));
    for (const id of ids) expect((await order(id)).reason?.code).toBe('customer.unknown');

    await fetch(`${url}/v1/cross-references/b2b-portal/customer/WEB-SHOPPER`, { method: 'PUT', headers: json, body: JSON.stringify({ account: 'C-100' }) });
    const res = await fetch(`${url}/v1/dead-letters/replay`, { method: 'POST', headers: json, body: JSON.stringify({ class: 'unknown-customer' }) });
    expect(res.status).toBe(202);
    const result = (await res.json()) as { replayed: number; ids: string[]; skipped: unknown[]; remaining: number };
    expect(result).toMatchObject({ replayed: 3, skipped: [], remaining: 0 });

    for (const id of ids) await waitFor(() => order(id), (o) => o.state === 'posted', 15_000);
    for (const id of ids) {
      const inErp = await erpOrdersFor(id);
      expect(inErp).toHaveLength(1);
      expect(inErp[0]!.customerId).toBe('C-100');
    }
    const [entry] = await t.app.store.listAudit({ limit: 1, action: 'dead-letter.replay-group' });
    expect(entry).toMatchObject({ target: 'class:unknown-customer', detail: { count: 3, ids: expect.arrayContaining(result.ids) } });
    // Replaying the same ids again finds nothing dead: skipped, never run twice.
    const again = (await (await fetch(`${url}/v1/dead-letters/replay`, { method: 'POST', headers: json, body: JSON.stringify({ ids: result.ids }) })).json()) as { replayed: number; skipped: { reason: string }[] };
    expect(again.replayed).toBe(0);
    expect(again.skipped).toHaveLength(3);
  });

  it('discards a held order with a reason: terminal, its stock released, an order.discarded event, audited', async () => {
    const id = await held({ channelOrderId: 'WB-DISCARD', customer: { accountId: 'C-300' } });
    expect(t.app.inventory.reservationsOf(id).length).toBeGreaterThan(0);
    const letter = (await deadLetters('class=credit-hold')).items.find((l) => l.orderId === id)!;

    const res = await fetch(`${url}/v1/dead-letters/${letter.id}/discard`, { method: 'POST', headers: json, body: JSON.stringify({ reason: 'duplicate of PO-77, entered by phone' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: letter.id, status: 'discarded', reason: 'duplicate of PO-77, entered by phone', orderId: id, orderState: 'discarded' });

    const after = await order(id);
    expect(after.state).toBe('discarded');
    expect(after.history.at(-1)).toMatchObject({ step: 'discarded', detail: { reason: 'duplicate of PO-77, entered by phone' } });
    expect(t.app.inventory.reservationsOf(id)).toHaveLength(0);
    const events = await t.app.store.listOutbox(0, 10_000);
    expect(events.filter((e) => e.topic === 'order.discarded' && e.key === id)).toHaveLength(1);
    expect((await deadLetters('class=credit-hold')).items.map((l) => l.id)).not.toContain(letter.id);
    const [entry] = await t.app.store.listAudit({ limit: 1, action: 'dead-letter.discard' });
    expect(entry).toMatchObject({
      target: letter.id, before: { status: 'dead', order: { id, state: 'held' } }, after: { status: 'discarded', order: { id, state: 'discarded' } },
      detail: { reason: 'duplicate of PO-77, entered by phone' },
    });
    expect((await fetch(`${url}/v1/dead-letters/${letter.id}/discard`, { method: 'POST', headers: json, body: JSON.stringify({ reason: 'again' }) })).status).toBe(409);
    expect((await fetch(`${url}/v1/dead-letters/${letter.id}/replay`, { method: 'POST' })).status).toBe(409);
    expect(await erpOrdersFor(id)).toHaveLength(0);
  });

  it('refuses a discard without a reason, naming the field', async () => {
    const res = await fetch(`${url}/v1/dead-letters/nope/discard`, { method: 'POST', headers: json, body: JSON.stringify({ reason: '' }) });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('reason');
  });

  it('reports dead letters by class as a metric', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/crossdock_dead_letters\{class="credit-hold"\} \d+/);
    expect(text).toContain('crossdock_dead_letters{class="unknown-customer"} 0');
  });
});
