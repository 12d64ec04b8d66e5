import type { Order } from '../../../canonical/order.js';
import { CrossdockError } from '../../../errors/crossdock-error.js';
import type { InventoryEngine } from '../../../inventory/engine.js';
import type { Shortage } from '../../../inventory/reserve.js';
import type { OrderRecord } from '../../../store/types.js';

export type ReserveStepResult = { outcome: 'go-on' } | { outcome: 'reject'; error: CrossdockError };

/**
 * Reserves the order's stock before anything else reaches the ERP, under the channel's
 * oversell policy: `hold` throws (the order is held with each short line named), `reject`
 * answers with the error to reject it with, `backorder` goes on with what stock cannot cover
 * still held. The reservation and any backorder are written on the order's timeline.
 */
export async function reserveStock(inventory: InventoryEngine, order: Order, record: OrderRecord, now: number): Promise<ReserveStepResult> {
  const result = await inventory.reserve(order.id, record.channel, order.lines, (held) => ({
    messageId: record.messageId, at: now, step: 'reserved', outcome: held.backordered.length > 0 ? 'info' : 'ok',
    detail: {
      reservations: held.reservations.map((r) => ({ line: r.line, sku: r.sku, location: r.location, quantity: r.quantity })),
      ...(held.backordered.length > 0 ? { backordered: held.backordered.map((s) => ({ ...s, backordered: s.ordered - s.promisable })) } : {}),
      ...(held.untracked.length > 0 ? { untracked: held.untracked } : {}),
    },
  }));
  if (result.outcome === 'short') {
    const error = new CrossdockError('inventory.insufficient', shortageMessage(result.shortages, record.channel), {
      errors: result.shortages.map((s) => ({ pointer: `/lines/${s.line}/quantity`, detail: `${s.ordered} of ${s.sku} ordered, ${s.promisable} available to promise` })),
    });
    if (result.policy === 'hold') throw error;
    return { outcome: 'reject', error };
  }
  return { outcome: 'go-on' };
}

/** "line 1 SKU-7: 5 ordered, 2 available to promise on shopify-us; …" */
export function shortageMessage(shortages: readonly Shortage[], channel: string): string {
  return `not enough stock: ${shortages.map((s) => `line ${s.line + 1} ${s.sku}: ${s.ordered} ordered, ${s.promisable} available to promise on ${channel}`).join('; ')}`;
}
