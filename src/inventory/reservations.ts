import type { StoredReservation } from '../store/inventory-types.js';
import type { LevelTable } from './level-table.js';

/**
 * Reservations held for open orders, by order, with their sum kept on each level's `reserved`
 * column. Adding and removing go through here only, so a level's reserved figure is always the
 * sum of the reservations on it: never counted twice, never leaked.
 */
export class ReservationBook {
  private readonly byOrder = new Map<string, StoredReservation[]>();

  constructor(private readonly table: LevelTable) {}

  get orders(): number {
    return this.byOrder.size;
  }

  of(orderId: string): readonly StoredReservation[] | undefined {
    return this.byOrder.get(orderId);
  }

  orderIds(): string[] {
    return [...this.byOrder.keys()];
  }

  entries(): IterableIterator<[string, StoredReservation[]]> {
    return this.byOrder.entries();
  }

  /** Holds these for the order (replacing what it held). */
  put(orderId: string, reservations: readonly StoredReservation[]): void {
    this.remove(orderId);
    if (reservations.length === 0) return;
    for (const r of reservations) this.table.reserved[this.table.row(r.sku, r.location)]! += r.quantity;
    this.byOrder.set(orderId, [...reservations]);
  }

  /** Lets go of everything the order held; returns it. */
  remove(orderId: string): StoredReservation[] {
    const held = this.byOrder.get(orderId);
    if (!held) return [];
    for (const r of held) {
      const i = this.table.row(r.sku, r.location);
      // Float sums of whole units stay exact; the clamp guards against a negative zero.
      this.table.reserved[i] = Math.max(0, this.table.reserved[i]! - r.quantity);
    }
    this.byOrder.delete(orderId);
    return held;
  }

  markPosted(orderId: string, at: number): boolean {
    const held = this.byOrder.get(orderId);
    if (!held || held.every((r) => r.postedAt !== null)) return false;
    this.byOrder.set(orderId, held.map((r) => (r.postedAt === null ? { ...r, postedAt: at } : r)));
    return true;
  }

  /**
   * The ERP has reported these SKUs as of `asOf`: what it allocated to orders posted before then
   * is in its figures now, so those orders' reservations of these SKUs end. Returns the orders
   * whose reservations changed, with what they still hold.
   */
  releaseAllocated(skus: ReadonlySet<string>, asOf: number): { orderId: string; remaining: StoredReservation[]; released: StoredReservation[] }[] {
    const changed: { orderId: string; remaining: StoredReservation[]; released: StoredReservation[] }[] = [];
    for (const [orderId, held] of this.byOrder) {
      const released = held.filter((r) => r.postedAt !== null && r.postedAt <= asOf && skus.has(r.sku));
      if (released.length === 0) continue;
      const remaining = held.filter((r) => !released.includes(r));
      this.put(orderId, remaining);
      changed.push({ orderId, remaining, released });
    }
    return changed;
  }
}
