import type { DemoHttp } from './http.js';
import { CARRIERS, DEMO_ITEMS, DEMO_WAREHOUSES } from './catalog.js';
import type { Random } from './random.js';

/**
 * The ERP's people at work in a demo: the warehouse ships each posted order a few seconds after
 * crossdock posted it, accounting invoices some of them, and stock counts change levels now and
 * then. They act through the sandbox ERP's admin API; crossdock learns of it the way it learns
 * from a real ERP, by polling its changes.
 */

/** States after which there is nothing left for the warehouse to do. */
const DONE_STATES = new Set(['shipped', 'partially_shipped', 'invoiced', 'closed', 'rejected', 'cancelled', 'discarded']);
/** States a person may still get out of (fix the cause, replay). */
const WAITING_STATES = new Set(['held', 'failed']);
/** A held order is looked at again this often, and forgotten after `heldPatienceMs`. */
const HELD_RECHECK_MS = 30_000;
const NOT_YET_RECHECK_MS = 2_000;

interface Expected {
  orderId: string;
  dueAt: number;
  giveUpAt: number;
  invoice: boolean;
}

export interface WarehouseCounts {
  shipped: number;
  invoiced: number;
  stockCounts: number;
}

export class DemoWarehouse {
  private readonly expected = new Map<string, Expected>();
  private invoices: { number: string; dueAt: number }[] = [];
  readonly counts: WarehouseCounts = { shipped: 0, invoiced: 0, stockCounts: 0 };

  constructor(
    private readonly http: DemoHttp,
    private readonly urls: { crossdock: string; erpAdmin: string },
    private readonly options: { heldPatienceMs: number; invoiceAfterMs: number },
  ) {}

  /** An accepted order to ship once crossdock has posted it, `shipAfterMs` from now at the earliest. */
  expect(orderId: string, now: number, shipAfterMs: number, invoice: boolean): void {
    this.expected.set(orderId, { orderId, dueAt: now + shipAfterMs, giveUpAt: now + this.options.heldPatienceMs, invoice });
  }

  get waiting(): number {
    return this.expected.size;
  }

  /** Ships and invoices what is due; at most `limit` order look-ups per call. */
  async work(now: number, random: Random, limit = 25): Promise<void> {
    const due = [...this.expected.values()].filter((e) => e.dueAt <= now).slice(0, limit);
    await Promise.all(due.map((e) => this.tryShip(e, now, random)));
    const [ready, later] = partition(this.invoices, (i) => i.dueAt <= now);
    this.invoices = later;
    for (const invoice of ready) {
      const res = await this.http('POST', `${this.urls.erpAdmin}/orders/${encodeURIComponent(invoice.number)}/invoice`);
      if (res.status === 201) this.counts.invoiced++;
    }
  }

  /** A stock count: one item in one warehouse gets a new level, now and then none at all. */
  async countStock(random: Random): Promise<void> {
    const item = random.pick(DEMO_ITEMS);
    const warehouse = random.pick(DEMO_WAREHOUSES);
    const quantity = random.chance(0.1) ? 0 : random.int(10, 250);
    const res = await this.http('PUT', `${this.urls.erpAdmin}/stock/${encodeURIComponent(item.sku)}/${warehouse}`, { body: { quantity } });
    if (res.status === 200) this.counts.stockCounts++;
  }

  private async tryShip(e: Expected, now: number, random: Random): Promise<void> {
    const res = await this.http('GET', `${this.urls.crossdock}/v1/orders/${encodeURIComponent(e.orderId)}`);
    const order = res.body as { state?: string; erpRef?: string | null } | undefined;
    const state = res.status === 200 ? order?.state : undefined;
    if (state && DONE_STATES.has(state)) return void this.expected.delete(e.orderId);
    if (state && WAITING_STATES.has(state)) {
      if (now >= e.giveUpAt) return void this.expected.delete(e.orderId);
      e.dueAt = now + HELD_RECHECK_MS;
      return;
    }
    if (!order?.erpRef || (state !== 'posted' && state !== 'released')) {
      e.dueAt = now + NOT_YET_RECHECK_MS;
      return;
    }
    const shipped = await this.http('POST', `${this.urls.erpAdmin}/orders/${encodeURIComponent(order.erpRef)}/ship`, {
      body: { carrier: random.pick(CARRIERS), tracking: `1Z${String(random.int(100_000_000, 999_999_999))}${String(random.int(10_000, 99_999))}` },
    });
    if (shipped.status === 0) {
      e.dueAt = now + NOT_YET_RECHECK_MS;
      return;
    }
    this.expected.delete(e.orderId);
    if (shipped.status !== 201) return;
    this.counts.shipped++;
    if (e.invoice) this.invoices.push({ number: order.erpRef, dueAt: now + this.options.invoiceAfterMs });
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
