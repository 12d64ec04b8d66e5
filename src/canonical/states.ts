/**
 * Order states as in DESIGN.md. v1 processing uses the first part of the path
 * (received → validated → posted) and the exits (held, failed). `discarded`: a person gave up
 * on a held or failed order from the dead-letter workbench (terminal; the reason is on its timeline).
 */
export const ORDER_STATES = [
  'received', 'validated', 'reserved', 'posted', 'released', 'partially_shipped', 'shipped',
  'invoiced', 'closed', 'held', 'rejected', 'cancelled', 'failed', 'discarded',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];
