import type { InventoryEngine } from './engine.js';

/** Order states the inventory engine acts on. */
export type StockRelevantState = 'posted' | 'cancelled' | 'rejected';

/**
 * What an order's move means for the stock it holds: once posted, its reservations hand over to
 * the ERP's allocation; cancelled or rejected, it lets go of them. Called by the order flows right
 * after the move is stored; a stop in between is mended by the reservation reconciliation.
 */
export function followOrderState(engine: InventoryEngine): (orderId: string, state: StockRelevantState, at: number) => Promise<void> {
  return async (orderId, state, at) => {
    if (state === 'posted') await engine.markPosted(orderId, at);
    else await engine.release(orderId, state);
  };
}
