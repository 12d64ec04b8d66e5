import type { OrderState } from '../../canonical/states.js';

/**
 * Which states each processing step may start from. A step whose order is no longer in one of
 * these states lost a race (another worker, a replay) and changes nothing.
 */
export const FROM = {
  post: ['received', 'validated'],
  hold: ['received', 'validated'],
  reject: ['received', 'validated'],
  fail: ['received', 'validated'],
} as const satisfies Record<string, readonly OrderState[]>;

/** States after which order processing has nothing left to do. */
export const PROCESSED: ReadonlySet<OrderState> = new Set([
  'posted', 'released', 'partially_shipped', 'shipped', 'invoiced', 'closed', 'held', 'rejected', 'cancelled', 'failed', 'discarded',
]);
