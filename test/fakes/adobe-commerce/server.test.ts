import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdobeCommerceFake, type AdobeCommerceFake } from './server.js';

let fake: AdobeCommerceFake;
/** The parts of Magento answers these tests read. */
interface Answer { items: { entity_id: number }[]; total_count: number; message: string; parameters: { max: number } }
const json = async (response: Response) => (await response.json()) as Answer;
const order = (id: number, updatedAt: string) => ({ entity_id: id, increment_id: `00000${id}`, updated_at: updatedAt, state: 'processing', items: [{ item_id: id * 10, sku: `SKU-${id}`, qty_ordered: 2, qty_shipped: 0, product_type: 'simple' }] });
const get = (path: string, token = fake.token) => fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const post = (path: string, body: unknown) => fetch(`${fake.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const page = (n: number, size = 2) => `/V1/orders?searchCriteria[sortOrders][0][field]=entity_id&searchCriteria[sortOrders][0][direction]=ASC&searchCriteria[pageSize]=${size}&searchCriteria[currentPage]=${n}`;

beforeEach(async () => {
  fake = await startAdobeCommerceFake({ orders: [order(1, '2024-05-01 10:00:00'), order(2, '2024-05-01 11:00:00'), order(3, '2024-05-01 12:00:00')] });
});
afterEach(async () => fake.close());

describe('Adobe Commerce fake', () => {
  it('answers a bad token with 401 and Magento\'s error shape', async () => {
    const response = await get('/V1/orders', 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } });
  });

  it('filters, sorts and pages orders, answering a page past the end with the last page again', async () => {
    const filtered = await json(await get('/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=updated_at&searchCriteria[filter_groups][0][filters][0][value]=2024-05-01 11:00:00&searchCriteria[filter_groups][0][filters][0][condition_type]=gteq&searchCriteria[sortOrders][0][field]=updated_at&searchCriteria[sortOrders][0][direction]=DESC'));
    expect(filtered.items.map((o: { entity_id: number }) => o.entity_id)).toEqual([3, 2]);
    expect(filtered.total_count).toBe(2);
    const second = await json(await get(page(2)));
    const past = await json(await get(page(7)));
    expect(second.items.map((o: { entity_id: number }) => o.entity_id)).toEqual([3]);
    expect(past.items).toEqual(second.items);
    expect(past.total_count).toBe(3);
  });

  it('throttles with 429 and Retry-After, and fails on demand with a 5xx', async () => {
    fake.knobs.throttle(1, 7);
    const throttled = await get('/V1/orders');
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '7']);
    fake.knobs.fail(1, 502);
    expect((await get('/V1/orders')).status).toBe(502);
    expect((await get('/V1/orders')).status).toBe(200);
    expect(fake.callsTo('/V1/orders').map((c) => c.status)).toEqual([429, 502, 200]);
  });

  it('empties a token bucket into 429s', async () => {
    fake.knobs.bucket = { capacity: 2, refillPerSecond: 0.5 };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/V1/orders/1')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('ships an order, lists its shipments, then refuses a shipment when nothing is left', async () => {
    const created = await post('/V1/order/2/ship', { items: [{ order_item_id: 20, qty: 2 }], tracks: [{ track_number: '1Z1', title: 'UPS', carrier_code: 'ups' }], comment: { comment: 'hello', is_visible_on_front: 0 } });
    expect([created.status, await created.json()]).toEqual([200, 1]);
    const list = await json(await get('/V1/shipments?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=2&searchCriteria[filter_groups][0][filters][0][condition_type]=eq'));
    expect(list.items).toMatchObject([{ entity_id: 1, order_id: 2, tracks: [{ track_number: '1Z1' }], comments: [{ comment: 'hello' }] }]);
    expect(fake.state.orders.get('2')).toMatchObject({ state: 'complete' });
    const again = await post('/V1/order/2/ship', {});
    expect(again.status).toBe(400);
    expect((await json(again)).message).toContain('The order does not allow a shipment to be created.');
  });

  it('saves source items all or nothing, and enforces an input limit', async () => {
    fake.knobs.unknownSkus.add('NOPE');
    const refused = await post('/V1/inventory/source-items', { sourceItems: [{ sku: 'A', source_code: 'default', quantity: 1, status: 1 }, { sku: 'NOPE', source_code: 'default', quantity: 1, status: 1 }] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: 'Validation Failed', errors: [{ message: 'Product with SKU "%sku" does not exist.', parameters: { sku: 'NOPE' } }] });
    expect(fake.state.sourceItems.size).toBe(0);
    fake.knobs.maxInputItems = 1;
    const limited = await post('/V1/inventory/source-items', { sourceItems: [{ sku: 'A', source_code: 'default', quantity: 1, status: 1 }, { sku: 'B', source_code: 'default', quantity: 0, status: 0 }] });
    expect((await json(limited)).parameters.max).toBe(1);
    const saved = await post('/V1/inventory/source-items', { sourceItems: [{ sku: 'A', source_code: 'default', quantity: 4, status: 1 }] });
    expect([saved.status, fake.state.sourceItems.get('A|default')?.quantity]).toEqual([200, 4]);
  });
});
