import type { OrderState } from '../canonical/states.js';
import type { MessageStatus } from './types.js';

/** How an order's state shows on its inbound message in the journal (the same in every store). */
export function messageStatusFor(state: OrderState): MessageStatus {
  switch (state) {
    case 'received': return 'accepted';
    case 'held': return 'held';
    case 'failed': return 'failed';
    case 'rejected': return 'rejected';
    case 'validated': case 'reserved': return 'processing';
    default: return 'delivered';
  }
}

/** States whose journal step is recorded with outcome `error`. */
export const ERROR_STATES: ReadonlySet<OrderState> = new Set(['held', 'failed', 'rejected']);
