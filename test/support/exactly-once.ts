import { expect } from 'vitest';

interface ErpOrder {
  externalRef: string;
  number: string;
}

export interface ExactlyOnceCheck {
  /** crossdock order ids that were answered 202 (accepted). */
  accepted: readonly string[];
  /** Base URL of the sandbox ERP's admin API (…/sandbox/erp). */
  erpAdminUrl: string;
  /** Base URL of crossdock's API, to check each order's state and ERP reference. */
  crossdockUrl?: string;
}

/** Every flow, e2e and fault test ends here: each accepted order is in the ERP exactly once. */
export async function expectExactlyOnce(check: ExactlyOnceCheck): Promise<void> {
  const res = await fetch(`${check.erpAdminUrl}/orders`);
  const body = (await res.json()) as { orders: ErpOrder[] };
  const byRef = new Map<string, ErpOrder[]>();
  for (const order of body.orders) byRef.set(order.externalRef, [...(byRef.get(order.externalRef) ?? []), order]);

  const accepted = new Set(check.accepted);
  expect(accepted.size, 'accepted order ids must be distinct').toBe(check.accepted.length);
  const missing = [...accepted].filter((id) => !byRef.has(id));
  const doubled = [...byRef.entries()].filter(([, orders]) => orders.length > 1).map(([ref]) => ref);
  const unknown = [...byRef.keys()].filter((ref) => !accepted.has(ref));
  expect({ missing: missing.length, doubled: doubled.length, unknown: unknown.length }, `missing ${missing.slice(0, 5)} doubled ${doubled.slice(0, 5)} unknown ${unknown.slice(0, 5)}`)
    .toEqual({ missing: 0, doubled: 0, unknown: 0 });

  if (check.crossdockUrl) {
    const sample = [...accepted].slice(0, 200);
    for (const id of sample) {
      const order = (await (await fetch(`${check.crossdockUrl}/v1/orders/${id}`)).json()) as { state: string; erpRef: string };
      expect(order.state).toBe('posted');
      expect(order.erpRef).toBe(byRef.get(id)?.[0]?.number);
    }
  }
}

/** Polls until `condition` holds or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(probe: () => Promise<T>, condition: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!condition(value)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await probe();
  }
  return value;
}

/** Posts orders with bounded concurrency; returns the accepted crossdock order ids in order. */
export async function postOrders(baseUrl: string, bodies: readonly unknown[], concurrency = 32): Promise<string[]> {
  const ids: string[] = new Array(bodies.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < bodies.length) {
      const i = next++;
      const res = await fetch(`${baseUrl}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[i]) });
      if (res.status !== 202) throw new Error(`order ${i} answered ${res.status}: ${await res.text()}`);
      ids[i] = ((await res.json()) as { orderId: string }).orderId;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ids;
}

/** Counts of crossdock orders by state, from the journal search (delivered = posted). */
export async function messageStatusCounts(baseUrl: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const url: string = `${baseUrl}/v1/messages?limit=500${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await (await fetch(url)).json()) as { items: { status: string; kind: string }[]; nextCursor: string | null };
    // Orders only: stock batches (the ERP's snapshot at start, its changes) are journaled too.
    for (const m of page.items) if (m.kind === 'order') counts[m.status] = (counts[m.status] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor);
  return counts;
}
