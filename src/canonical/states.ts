/**
 * Order states as in DESIGN.md. v1 processing uses the first part of the path
 * (received → validated → posted) and the exits (held, failed).
 */
export const ORDER_STATES = [
  'received', 'validated', 'reserved', 'posted', 'released', 'partially_shipped', 'shipped',
  'invoiced', 'closed', 'held', 'rejected', 'cancelled', 'failed',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];
