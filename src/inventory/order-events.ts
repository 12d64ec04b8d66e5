import type { OutboxEvent } from '../store/types.js';
import type { InventoryEngine } from './engine.js';

/**
 * Follows orders through the outbox (durable, in order, resumed after a stop): a posted order's
 * reservations hand over to the ERP's allocation; a cancelled or rejected order lets go of its
 * stock. Each step is idempotent, so an event relayed twice changes nothing.
 */
export function inventoryOrderEventDispatcher(engine: InventoryEngine): (event: OutboxEvent) => Promise<void> {
  return async (event) => {
    const orderId = (event.payload as { orderId?: unknown } | null)?.orderId;
    if (typeof orderId !== 'string') return;
    switch (event.topic) {
      case 'order.posted':
        await engine.markPosted(orderId, event.createdAt);
        return;
      case 'order.cancelled':
      case 'order.rejected':
        await engine.release(orderId, event.topic.slice('order.'.length));
        return;
    }
  };
}
