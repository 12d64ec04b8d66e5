import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { expectExactlyOnce, waitFor } from '../support/exactly-once.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { readMetric } from '../support/processes.js';

/**
 * The same order arriving several times at once (a channel retrying before its first request
 * was answered, two webhook deliveries racing) is accepted once: one crossdock order, one ERP
 * sales order, and every copy answered 202 with the same order id.
 */

const CONFIG: ConfigFile = {
  worker: { pollMs: 20, backoffMs: 100, maxBackoffMs: 1_000 },
  protection: { erp: { ratePerSecond: 1_000, breakerHalfOpenAfterMs: 500 } },
};
const DUPLICATES = 'crossdock_duplicates_suppressed_total';

interface Answer {
  status: number;
  orderId: string | undefined;
  replayed: boolean;
}

const stores: { name: string; open: () => Promise<{ t: TestApp; db?: TestDatabase }> }[] = [
  { name: 'SQLite', open: async () => ({ t: await makeTestApp(CONFIG) }) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase();
      try {
        return { t: await makeTestApp({ ...CONFIG, database: { url: db.url, poolSize: 8 } }), db };
      } catch (error) {
        await db.drop();
        throw error;
      }
    },
  },
];

describe.each(stores)('the same order sent concurrently, on $name', ({ open }) => {
  let t: TestApp | undefined;
  let db: TestDatabase | undefined;
  let url: string;
  /** Every order this app accepted, across the tests below: the ERP must hold exactly these. */
  const accepted: string[] = [];
  const erpAdmin = () => `${url}/sandbox/erp`;

  beforeAll(async () => {
    ({ t, db } = await open());
    url = await t.app.start();
  });
  afterAll(async () => {
    try {
      await t?.dispose();
    } finally {
      await db?.drop();
    }
  });

  async function submit(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${url}/v1/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
    });
    const json = (await res.json()) as { orderId?: string };
    return { status: res.status, orderId: json.orderId, replayed: res.headers.get('idempotent-replayed') === 'true' };
  }

  /** Creates the ERP received, and how many of them it refused as already existing (409). */
  async function erpCreates(): Promise<{ created: number; duplicate: number }> {
    const stats = (await (await fetch(`${erpAdmin()}/stats`)).json()) as { responses: Record<string, number> };
    return { created: stats.responses['201'] ?? 0, duplicate: stats.responses['409'] ?? 0 };
  }

  async function untilSettled(ids: readonly string[]): Promise<void> {
    await waitFor(
      () => Promise.all(ids.map(async (id) => ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as { state: string }).state)),
      (states) => states.every((s) => s !== 'received' && s !== 'validated'),
      60_000, 100,
    );
  }

  /** Three copies of one submission at once: one accepted, two answered from the ledger. */
  function expectOneAcceptedTwoReplayed(answers: Answer[]): string {
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const ids = new Set(answers.map((a) => a.orderId));
    expect(ids.size, 'every copy is answered with the same order id').toBe(1);
    expect(answers.filter((a) => a.replayed), 'exactly two copies are marked Idempotent-Replayed').toHaveLength(2);
    const [id] = ids;
    expect(id).toMatch(/^ord_/);
    return id!;
  }

  it('accepts an order sent three times at once as one order, suppresses two duplicates and posts it to the ERP once', async () => {
    const before = await readMetric(url, DUPLICATES);
    const creates = await erpCreates();
    const order = sampleOrder({ channelOrderId: 'DUP-ONE', customer: { accountId: 'C-400' } });
    const answers = await Promise.all([submit(order), submit(order), submit(order)]);
    const id = expectOneAcceptedTwoReplayed(answers);
    expect(await readMetric(url, DUPLICATES) - before).toBe(2);
    accepted.push(id);

    await untilSettled([id]);
    await expectExactlyOnce({ accepted, erpAdminUrl: erpAdmin(), crossdockUrl: url });
    // Processed once: the ERP was asked to create it once (a second try would be a 409 the check above cannot see).
    expect(await erpCreates()).toEqual({ created: creates.created + 1, duplicate: creates.duplicate });
  });

  it('accepts each of 20 orders sent three times at once exactly once, with 40 duplicates suppressed', async () => {
    const before = await readMetric(url, DUPLICATES);
    const creates = await erpCreates();
    const orders = Array.from({ length: 20 }, (_, i) =>
      sampleOrder({ channelOrderId: `DUP-MANY-${i}`, customer: { accountId: 'C-400' }, lines: [{ sku: `SKU-${(i % 12) + 1}`, quantity: i + 1, uom: 'EA', unitPrice: '10.00' }] }));
    // All 60 requests in flight together, the copies of one order interleaved with the others.
    const sends = [0, 1, 2].flatMap(() => orders.map((order, i) => ({ i, order })));
    const answers = await Promise.all(sends.map(async ({ i, order }) => ({ i, answer: await submit(order) })));

    const byOrder = new Map<number, Answer[]>();
    for (const { i, answer } of answers) byOrder.set(i, [...(byOrder.get(i) ?? []), answer]);
    const ids = orders.map((_, i) => expectOneAcceptedTwoReplayed(byOrder.get(i) ?? []));
    expect(new Set(ids).size, 'different orders get different ids').toBe(20);
    expect(await readMetric(url, DUPLICATES) - before).toBe(40);
    accepted.push(...ids);

    await untilSettled(ids);
    await expectExactlyOnce({ accepted, erpAdminUrl: erpAdmin(), crossdockUrl: url });
    expect(await erpCreates()).toEqual({ created: creates.created + 20, duplicate: creates.duplicate });
  });

  it('accepts a submission repeated three times at once under one Idempotency-Key as one order', async () => {
    const before = await readMetric(url, DUPLICATES);
    const creates = await erpCreates();
    const order = sampleOrder({ channelOrderId: 'DUP-KEY', customer: { accountId: 'C-400' } });
    const key = { 'idempotency-key': `fault-test-${Date.now()}` };
    const answers = await Promise.all([submit(order, key), submit(order, key), submit(order, key)]);
    const id = expectOneAcceptedTwoReplayed(answers);
    expect(await readMetric(url, DUPLICATES) - before).toBe(2);

    // The key and the natural key name the same order: a later copy without the header is a duplicate too.
    const later = await submit(order);
    expect(later).toEqual({ status: 202, orderId: id, replayed: true });
    accepted.push(id);

    await untilSettled([id]);
    await expectExactlyOnce({ accepted, erpAdminUrl: erpAdmin(), crossdockUrl: url });
    expect(await erpCreates()).toEqual({ created: creates.created + 1, duplicate: creates.duplicate });
  });
});
