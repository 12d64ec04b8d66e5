import { describe, expect, it } from 'vitest';
import { changedFrom, decodePageKey, encodePageKey, isTimestamp, pageOf, START_CURSOR } from './change-window.js';

const row = (stamp: string, id: number) => ({ stamp, id });
const keyOf = (r: { stamp: string; id: number }) => ({ stamp: r.stamp, key: String(r.id) });

describe('change window', () => {
  it('reads from two seconds before the cursor, in the books’ stamp format, or from the start', () => {
    expect(changedFrom('2025-03-01T12:00:00.000Z')).toBe('2025-03-01T11:59:58.000Z');
    expect(changedFrom('2025-03-01T13:00:01+01:00')).toBe('2025-03-01T11:59:59.000Z');
    expect(changedFrom(undefined)).toBe(START_CURSOR);
  });

  it('takes ISO timestamps with a zone only', () => {
    expect(isTimestamp('2025-03-01T12:00:00.000Z')).toBe(true);
    expect(isTimestamp('2025-03-01T12:00:00.123456Z')).toBe(true);
    expect(isTimestamp('2025-03-01T12:00:00')).toBe(false);
    expect(isTimestamp('2025-13-45T12:00:00Z')).toBe(false);
    expect(isTimestamp('yesterday')).toBe(false);
  });

  it('moves the cursor to the newest stamp seen, never back, and leaves it when nothing was found', () => {
    const since = '2025-03-01T12:00:01.000Z';
    expect(pageOf([], 10, since, keyOf)).toEqual({ items: [], cursor: since, more: false });
    expect(pageOf([], 10, undefined, keyOf)).toEqual({ items: [], cursor: START_CURSOR, more: false });
    // Only records from the overlap window: seen again, but the cursor stays.
    expect(pageOf([row('2025-03-01T12:00:00.000Z', 1)], 10, since, keyOf).cursor).toBe(since);
    expect(pageOf([row('2025-03-01T12:00:00.000Z', 1), row('2025-03-01T12:00:05.000Z', 2)], 10, since, keyOf).cursor).toBe('2025-03-01T12:00:05.000Z');
  });

  it('says more, and where the next page starts, when there was one row more than the limit', () => {
    const rows = [row('2025-03-01T12:00:00.000Z', 1), row('2025-03-01T12:00:00.000Z', 2), row('2025-03-01T12:00:03.000Z', 3)];
    const page = pageOf(rows, 2, undefined, keyOf);
    expect(page).toEqual({ items: rows.slice(0, 2), cursor: '2025-03-01T12:00:00.000Z', more: true, next: '2025-03-01T12:00:00.000Z|2' });
    expect(decodePageKey(page.next!)).toEqual({ stamp: '2025-03-01T12:00:00.000Z', key: '2' });
    expect(pageOf(rows, 3, undefined, keyOf)).toMatchObject({ more: false, cursor: '2025-03-01T12:00:03.000Z' });
  });

  it('reads back the page keys it wrote, keys with bars included, and nothing else', () => {
    const key = { stamp: '2025-03-01T12:00:00.000Z', key: 'SKU|A' };
    expect(decodePageKey(encodePageKey(key))).toEqual(key);
    expect(decodePageKey('2025-03-01T12:00:00.000Z')).toBeUndefined();
    expect(decodePageKey('soon|1')).toBeUndefined();
    expect(decodePageKey('2025-03-01T12:00:00.000Z|')).toBeUndefined();
  });
});
