/**
 * Tryton's JSON-RPC extends JSON with tagged objects (`{"__class__": "Decimal", ...}`) for the
 * Python types JSON lacks. crossdock keeps money as decimal strings and times as ISO 8601
 * strings, so answers are decoded into those and requests encode them back.
 */

export interface TrytonDecimal {
  __class__: 'Decimal';
  decimal: string;
}

export interface TrytonDate {
  __class__: 'date';
  year: number;
  month: number;
  day: number;
}

export interface TrytonDatetime {
  __class__: 'datetime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

/** A decimal string as Tryton's Numeric fields take it (a float would lose cents). */
export function trytonDecimal(value: string): TrytonDecimal {
  return { __class__: 'Decimal', decimal: value };
}

/** A `YYYY-MM-DD` date (or the date part of an ISO timestamp, as written) as a Tryton Date. */
export function trytonDate(isoDate: string): TrytonDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new TypeError(`not an ISO date: ${isoDate}`);
  return { __class__: 'date', year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO 8601 timestamp, moved `shiftSeconds` (negative: earlier), as a Tryton datetime in UTC.
 * Tryton stores `create_date`/`write_date` as naive UTC with microseconds; parsing by hand keeps
 * the microseconds a JavaScript Date would drop, so a cursor taken from a record compares equal
 * to that record.
 */
export function trytonDatetime(iso: string, shiftSeconds = 0): TrytonDatetime {
  const match = ISO_DATETIME.exec(iso);
  if (!match) throw new TypeError(`not an ISO 8601 timestamp: ${iso}`);
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const offsetMinutes = zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  // Microseconds since the epoch stay below 2^53 for millennia: exact in a number.
  const micros = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) * 1000
    + Number(fraction.padEnd(6, '0').slice(0, 6))
    - offsetMinutes * 60_000_000
    + Math.round(shiftSeconds * 1_000_000);
  const microsecond = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const moved = new Date((micros - microsecond) / 1000);
  return {
    __class__: 'datetime',
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: moved.getUTCHours(),
    minute: moved.getUTCMinutes(),
    second: moved.getUTCSeconds(),
    microsecond,
  };
}

/**
 * A Tryton answer with its tagged values replaced: Decimal → decimal string, date →
 * `YYYY-MM-DD`, datetime → `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits, so ISO
 * strings of Tryton times sort as the times do). Other tags (bytes, timedelta) are left as they are.
 */
export function decodeTryton(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTryton);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  switch (record.__class__) {
    case 'Decimal':
      if (typeof record.decimal === 'string') return record.decimal;
      break;
    case 'date':
      if (isNumbers(record, ['year', 'month', 'day'])) return isoDate(record);
      break;
    case 'datetime':
      if (isNumbers(record, ['year', 'month', 'day', 'hour', 'minute', 'second'])) return isoDatetime(record);
      break;
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, decodeTryton(item)]));
}

function isNumbers(record: Record<string, unknown>, keys: string[]): boolean {
  return keys.every((key) => typeof record[key] === 'number');
}

const pad = (value: unknown, width = 2): string => String(value).padStart(width, '0');

function isoDate(record: Record<string, unknown>): string {
  return `${pad(record.year, 4)}-${pad(record.month)}-${pad(record.day)}`;
}

function isoDatetime(record: Record<string, unknown>): string {
  const microsecond = typeof record.microsecond === 'number' ? record.microsecond : 0;
  return `${isoDate(record)}T${pad(record.hour)}:${pad(record.minute)}:${pad(record.second)}.${pad(microsecond, 6)}Z`;
}
