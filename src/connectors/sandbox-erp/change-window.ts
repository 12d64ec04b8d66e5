/**
 * The rules of the sandbox ERP's change feed, shared by its books and its API. Pure.
 *
 * A poll asks for records changed at or after `since` less an overlap window, oldest first. The
 * overlap is there because a record stamped just before the previous poll's newest stamp may
 * only have been committed after that poll read: re-reading the last two seconds costs a few
 * repeats (consumers are idempotent) and misses nothing. Pages are cut by keyset, `(updatedAt,
 * key)` after the last one returned, never by offset, so a record rewritten during a poll moves
 * forward in the order instead of shifting a page over one never seen.
 */

/** How far before `since` a poll starts reading. */
export const CHANGE_OVERLAP_MS = 2_000;

/** Records per answer; the answer says `more` when there are others. */
export const CHANGES_PAGE_SIZE = 500;

/** The cursor of a poll with no `since` that found nothing: the next poll reads from the start. */
export const START_CURSOR = '1970-01-01T00:00:00.000Z';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `text` is an ISO 8601 timestamp with a zone, as the feed's cursors are. */
export function isTimestamp(text: string): boolean {
  return ISO_TIMESTAMP.test(text) && Number.isFinite(Date.parse(text));
}

/**
 * The oldest stamp a poll from `since` reads, in the books' own format (`toISOString`, so stamps
 * compare as text). Every record when there is no `since`.
 */
export function changedFrom(since: string | undefined): string {
  if (since === undefined) return START_CURSOR;
  return new Date(Date.parse(since) - CHANGE_OVERLAP_MS).toISOString();
}

/** Where the next page starts: after this stamp, and after this key among records with the same stamp. */
export interface PageKey {
  stamp: string;
  key: string;
}

/** `after=` as the API writes it: the stamp, a `|`, the key (stamps never contain a `|`). */
export function encodePageKey(key: PageKey): string {
  return `${key.stamp}|${key.key}`;
}

/** Reads `after=`; undefined when it is not one the API wrote. */
export function decodePageKey(text: string): PageKey | undefined {
  const bar = text.indexOf('|');
  if (bar < 0) return undefined;
  const stamp = text.slice(0, bar);
  const key = text.slice(bar + 1);
  return isTimestamp(stamp) && key.length > 0 ? { stamp, key } : undefined;
}

/** One page of changed records, with where to resume. */
export interface ChangesPage<T> {
  items: T[];
  /** The newest stamp seen, never older than `since`; `since` (or the start) when nothing was found. */
  cursor: string;
  more: boolean;
  /** `after=` for the next page, when there is one. */
  next?: string;
}

/**
 * Cuts a page from `rows`, read oldest first with one more row than `limit` so that `more` is
 * known without asking again.
 */
export function pageOf<T>(rows: readonly T[], limit: number, since: string | undefined, keyOf: (row: T) => PageKey): ChangesPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const newest = last === undefined ? undefined : keyOf(last).stamp;
  const start = since ?? START_CURSOR;
  const cursor = newest !== undefined && newest > normalised(start) ? newest : start;
  const more = rows.length > limit && last !== undefined;
  return { items, cursor, more, ...(more && last !== undefined ? { next: encodePageKey(keyOf(last)) } : {}) };
}

/** A timestamp in the books' format, so a cursor written with another offset compares right. */
function normalised(timestamp: string): string {
  return new Date(Date.parse(timestamp)).toISOString();
}
