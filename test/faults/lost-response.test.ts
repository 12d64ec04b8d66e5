import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { expectExactlyOnce, messageStatusCounts, postOrders, waitFor } from '../support/exactly-once.js';
import { manyOrders } from '../support/orders.js';

/**
 * A lost ERP response: the ERP commits the sales order, then the connection drops before
 * crossdock hears the answer (sandbox knob `loseResponseRate`). crossdock cannot tell this from
 * a create that never arrived, so it must find the order under its own external reference
 * before creating again — and never end up with two sales orders.
 */

interface HistoryEntry {
  step: string;
  outcome: string;
  target?: string;
  attempt?: number;
  error?: { code: string };
  detail?: Record<string, unknown>;
}
interface OrderView {
  state: string;
  erpRef: string | null;
  history: HistoryEntry[];
}
interface ErpStats {
  calls: Record<string, number>;
  responses: Record<string, number>;
}

const CREATE = 'POST /api/sales-orders';

/**
 * An attempt that went out to the ERP. The journal also records attempts the protection policy
 * refused itself (circuit open while the lost responses trip the breaker), which never left.
 */
const reachedErp = (e: HistoryEntry) => e.error?.code !== 'target.circuit-open';
const settled = (state: string) => state !== 'received' && state !== 'validated';

function harness(config: ConfigFile) {
  let t: TestApp | undefined;
  const h = {
    url: '',
    /** Every order this app accepted: the ERP must hold exactly these. */
    accepted: [] as string[],
    erp: () => `${h.url}/sandbox/erp`,
    async start() {
      t = await makeTestApp(config);
      h.url = await t.app.start();
    },
    async dispose() {
      await t?.dispose();
    },
    async order(id: string): Promise<OrderView> {
      return (await (await fetch(`${h.url}/v1/orders/${id}`)).json()) as OrderView;
    },
    async knobs(patch: Record<string, unknown>): Promise<void> {
      const res = await fetch(`${h.erp()}/knobs`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
      expect(res.status, await res.clone().text()).toBe(200);
    },
    async stats(): Promise<ErpStats> {
      return (await (await fetch(`${h.erp()}/stats`)).json()) as ErpStats;
    },
    async erpOrdersFor(id: string): Promise<{ number: string }[]> {
      const body = (await (await fetch(`${h.erp()}/orders`)).json()) as { orders: { externalRef: string; number: string }[] };
      return body.orders.filter((o) => o.externalRef === id);
    },
  };
  return h;
}

const BASE: ConfigFile = {
  worker: { pollMs: 20, backoffMs: 100, maxBackoffMs: 1_000 },
  protection: { erp: { ratePerSecond: 1_000, backoffMs: 20, breakerHalfOpenAfterMs: 300 } },
};

describe('a lost ERP response, when the job run gives up on it (one attempt per run)', () => {
  // One attempt per job run: the lost create fails the run, and the next run of the job has to
  // notice that the ERP already has the order.
  const h = harness({ ...BASE, protection: { erp: { ...BASE.protection!.erp, attempts: 1 } } });
  beforeAll(() => h.start());
  afterAll(() => h.dispose());

  it('finds the order the ERP created on the next run and posts it without a second create', async () => {
    const createsBefore = (await h.stats()).calls[CREATE] ?? 0;
    await h.knobs({ loseResponseRate: 1 });
    let id: string;
    let done: OrderView;
    try {
      [id] = (await postOrders(h.url, [sampleOrder({ channelOrderId: 'LOST-ONE', customer: { accountId: 'C-400' } })])) as [string];
      h.accepted.push(id);
      done = await waitFor(() => h.order(id), (o) => settled(o.state), 20_000);
    } finally {
      await h.knobs({ loseResponseRate: 0 });
    }

    expect(done.state).toBe('posted');
    const steps = done.history;
    const failedCreate = steps.findIndex((e) => e.step === 'salesOrder.create' && e.outcome === 'error');
    expect(failedCreate, 'the history shows the create whose answer was lost').toBeGreaterThan(-1);
    expect(steps[failedCreate]?.error?.code).toBe('target.unreachable');
    expect(steps.filter(reachedErp).filter((e) => e.step === 'salesOrder.create'), 'the create was sent once').toHaveLength(1);
    const lookupAfter = steps.findIndex((e, i) => i > failedCreate && e.step === 'salesOrder.find' && e.outcome === 'ok');
    expect(lookupAfter, 'the next run looked the order up by its external reference').toBeGreaterThan(failedCreate);
    const posted = steps[steps.length - 1]!;
    expect(posted.step).toBe('posted');
    expect(posted.detail).toMatchObject({ foundExisting: true, erpRef: done.erpRef });

    const inErp = await h.erpOrdersFor(id);
    expect(inErp).toHaveLength(1);
    expect(inErp[0]?.number).toBe(done.erpRef);
    expect((await h.stats()).calls[CREATE]! - createsBefore, 'the ERP received a single create').toBe(1);
  });

  it('posts a batch of 200 orders exactly once while half of the ERP create responses are lost', async () => {
    const before = await h.stats();
    await h.knobs({ loseResponseRate: 0.5 });
    let ids: string[];
    try {
      ids = await postOrders(h.url, manyOrders(200, 'LOST-BATCH'), 16);
      h.accepted.push(...ids);
      await waitFor(() => messageStatusCounts(h.url), (c) => (c.delivered ?? 0) + (c.held ?? 0) + (c.failed ?? 0) >= h.accepted.length, 90_000, 500);
    } finally {
      await h.knobs({ loseResponseRate: 0 });
    }

    const counts = await messageStatusCounts(h.url);
    expect(counts, 'every order delivered; none held or failed').toEqual({ delivered: h.accepted.length });
    const after = await h.stats();
    const dropped = (after.responses.dropped ?? 0) - (before.responses.dropped ?? 0);
    expect(dropped, 'the ERP really dropped create responses').toBeGreaterThan(20);

    // Every order whose create answer was lost shows it, and was then found rather than created again.
    const views = await Promise.all(ids.map((id) => h.order(id)));
    const lost = views.filter((v) => v.history.some((e) => e.step === 'salesOrder.create' && e.error?.code === 'target.unreachable'));
    expect(lost.length).toBe(dropped);
    for (const view of lost) {
      expect(view.state).toBe('posted');
      expect(view.history.filter(reachedErp).filter((e) => e.step === 'salesOrder.create'), 'creates sent to the ERP').toHaveLength(1);
      expect(view.history.at(-1)).toMatchObject({ step: 'posted', detail: { foundExisting: true } });
    }
    expect((after.calls[CREATE] ?? 0) - (before.calls[CREATE] ?? 0), 'one create per order, none repeated').toBe(200);
    await expectExactlyOnce({ accepted: h.accepted, erpAdminUrl: h.erp(), crossdockUrl: h.url });
  });
});

describe('a lost ERP response, when the protection policy retries the create in the same run', () => {
  const h = harness(BASE);
  beforeAll(() => h.start());
  afterAll(() => h.dispose());

  it('takes the ERP duplicate answer to the retried create as the order it created, and posts it once', async () => {
    const createsBefore = (await h.stats()).calls[CREATE] ?? 0;
    await h.knobs({ loseResponseRate: 1 });
    let id: string;
    let done: OrderView;
    try {
      [id] = (await postOrders(h.url, [sampleOrder({ channelOrderId: 'LOST-RETRY', customer: { accountId: 'C-400' } })])) as [string];
      h.accepted.push(id);
      done = await waitFor(() => h.order(id), (o) => settled(o.state), 20_000);
    } finally {
      await h.knobs({ loseResponseRate: 0 });
    }

    expect(done.state).toBe('posted');
    const creates = done.history.filter((e) => e.step === 'salesOrder.create');
    expect(creates.map((e) => [e.attempt, e.outcome])).toEqual([[1, 'error'], [2, 'ok']]);
    expect(creates[0]?.error?.code).toBe('target.unreachable');
    expect(creates[1]?.detail, 'the ERP answered the retry: that reference exists').toMatchObject({ status: 409 });
    expect(done.history.at(-1)).toMatchObject({ step: 'posted', detail: { erpRef: done.erpRef, foundExisting: true } });

    const inErp = await h.erpOrdersFor(id);
    expect(inErp).toHaveLength(1);
    expect(inErp[0]?.number).toBe(done.erpRef);
    expect((await h.stats()).calls[CREATE]! - createsBefore).toBe(2);
    await expectExactlyOnce({ accepted: h.accepted, erpAdminUrl: h.erp(), crossdockUrl: h.url });
  });
});
