import type { OrderState } from '../canonical/states.js';
import type { Store } from '../store/types.js';
import type { JobHandler } from '../worker/types.js';
import type { InventoryEngine } from './engine.js';

export const INVENTORY_RECONCILE_QUEUE = 'inventory.reconcile';

/** States in which an order holds no stock: whatever it still holds is leaked. */
const HOLDS_NOTHING: ReadonlySet<OrderState> = new Set(['cancelled', 'rejected', 'closed', 'discarded']);
/** States after posting: the ERP has the order, its reservations wait for the ERP's allocation. */
const IN_THE_ERP: ReadonlySet<OrderState> = new Set(['posted', 'released', 'partially_shipped', 'shipped', 'invoiced']);

export interface ReservationFinding {
  orderId: string;
  /**
   * `leaked`: the order is gone or holds nothing any more (released); `expired`: held past
   * `inventory.reservationHours` (released); `posted`: in the ERP, but its reservations had not
   * learned it (they now wait for the ERP's allocation).
   */
  finding: 'leaked' | 'expired' | 'posted';
  state: OrderState | null;
  released: { sku: string; location: string; quantity: number }[];
}

export interface ReservationReconciliation {
  at: string;
  /** Orders holding stock that were checked. */
  checked: number;
  findings: ReservationFinding[];
}

/**
 * Checks every reservation against its order: an order that is cancelled, rejected, closed or
 * unknown lets go of what it still holds (a release that was missed — the process stopped between
 * the order's move and its release); one held past its time lets go too; one the ERP has but whose
 * reservations were not told hands them over to the ERP's allocation. Each finding is
 * reported, so a person sees what was corrected.
 */
export async function reconcileReservations(engine: InventoryEngine, store: Store, now: number): Promise<ReservationReconciliation> {
  const orders = engine.reservedOrders();
  const expired = new Set(engine.expiredOrders(now));
  const findings: ReservationFinding[] = [];
  for (const orderId of orders) {
    const order = await store.getOrder(orderId);
    if (order && IN_THE_ERP.has(order.state) && engine.reservationsOf(orderId).some((r) => r.postedAt === null)) {
      await engine.markPosted(orderId, order.updatedAt);
      findings.push({ orderId, finding: 'posted', state: order.state, released: [] });
    }
    const leaked = !order || HOLDS_NOTHING.has(order.state);
    if (!leaked && !expired.has(orderId)) continue;
    const finding = leaked ? 'leaked' : 'expired';
    const released = await engine.release(orderId, finding);
    findings.push({ orderId, finding, state: order?.state ?? null, released: released.map((r) => ({ sku: r.sku, location: r.location, quantity: r.quantity })) });
  }
  return { at: new Date(now).toISOString(), checked: orders.length, findings };
}

/** The periodic reconciliation (`inventory.reconcileMinutes`). */
export function inventoryReconcileHandler(deps: { engine: InventoryEngine; store: Store; now: () => number; onReport?: (r: ReservationReconciliation) => void }): JobHandler {
  return {
    queue: INVENTORY_RECONCILE_QUEUE,
    async run() {
      const report = await reconcileReservations(deps.engine, deps.store, deps.now());
      deps.onReport?.(report);
      return 'done';
    },
  };
}
