/** The queue of jobs that apply a channel's revision of an order (`Store.acceptOrderVersion`). */
export const ORDER_REVISE_QUEUE = 'order.revise';

/**
 * Whether a channel version stamped `candidate` replaces the one stamped `current` (ISO 8601
 * times, compared as instants: channels differ in offsets and precision). An order accepted
 * without a channel time (through the API) is replaced by any channel version.
 */
export function isNewerVersion(candidate: string, current: string | null): boolean {
  if (current === null) return true;
  const a = Date.parse(candidate);
  const b = Date.parse(current);
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a > b;
}
