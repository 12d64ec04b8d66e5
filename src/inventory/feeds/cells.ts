/**
 * Reading one cell of a stock file: quantities and dates as 3PL exports write them. Each reader
 * returns the value or why it is not one, in words for the person fixing the file.
 */

export type CellReading<T> = { ok: true; value: T } | { ok: false; why: string };

/** `12`, `-3`, `+5`, `12.5`, `1,250` (spreadsheets group thousands in exports). */
const QUANTITY = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/** A quantity; negative ones only where `negativeAllowed` (deltas). */
export function readQuantity(cell: string, negativeAllowed: boolean): CellReading<number> {
  if (!QUANTITY.test(cell)) return { ok: false, why: `${JSON.stringify(cell)} is not a number` };
  const value = Number(cell.replaceAll(',', ''));
  if (!Number.isFinite(value)) return { ok: false, why: `${JSON.stringify(cell)} is not a number` };
  if (value < 0 && !negativeAllowed) return { ok: false, why: `${cell} is negative; only a delta feed sends negative quantities` };
  // -0 and 0 are the same stock; keep the journal free of "-0".
  return { ok: true, value: value === 0 ? 0 : value };
}

/** `2026-11-26`, `2026-11-26T06:00:00Z`, `2026-11-26 06:00`, `2026-11-26T06:00:00.5+01:00`. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export interface Instant {
  /** ISO 8601 in UTC (`toISOString`). */
  readonly iso: string;
  /** False when the cell had a time but no zone, and UTC was assumed. */
  readonly zoned: boolean;
  /** The cell was a date alone. */
  readonly dateOnly: boolean;
}

/** An ISO 8601 date or timestamp; a date alone is midnight UTC, a time without zone is UTC. */
export function readInstant(cell: string): CellReading<Instant> {
  const m = ISO.exec(cell);
  const why = `${JSON.stringify(cell)} is not an ISO 8601 date or timestamp (2026-11-26 or 2026-11-26T06:00:00Z)`;
  if (!m) return { ok: false, why };
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const parts = [y, mo, d, h ?? '0', mi ?? '0', s ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: a date that does not exist is refused instead.
  if (check.getUTCMonth() !== parts[1] - 1 || check.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
    return { ok: false, why: `${JSON.stringify(cell)} is not a real date and time` };
  }
  const offsetMs = zone === undefined || zone.toUpperCase() === 'Z' ? 0 : zoneOffsetMs(zone);
  return { ok: true, value: { iso: new Date(utc - offsetMs).toISOString(), zoned: zone !== undefined || h === undefined, dateOnly: h === undefined } };
}

/** `+01:00`, `-0500`, `+09` → milliseconds east of UTC. */
function zoneOffsetMs(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}
