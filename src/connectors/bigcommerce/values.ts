/**
 * Readers for BigCommerce's loosely typed values. The v2 reference marks most amounts
 * "(Float, Float-As-String, Integer)" and dates as RFC 2822 (`Tue, 05 Mar 2019 21:40:11 +0000`),
 * so every reader accepts each documented form and answers `undefined` for anything else.
 */
import { isDecimal, sumDecimals } from '../../lib/money.js';

export type Json = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** A non-empty trimmed string (numbers are turned into their text), else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An integer given as a number or a numeric string. */
export function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** A finite number given as a number or a numeric string. */
export function numeric(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * An amount as a decimal string rounded to `decimals` places ("12.7200" → "12.72"). Floats are
 * rendered through `toFixed` so no binary artefact (0.1 + 0.2) reaches crossdock.
 */
export function amount(value: unknown, decimals = 2): string | undefined {
  let raw: string | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) raw = value.toFixed(6);
  else if (typeof value === 'string') raw = value.trim();
  if (raw === undefined) return undefined;
  // BigCommerce writes up to 10 places for rates; money.ts carries 6: cut before parsing.
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(raw);
  if (!match) return undefined;
  const normalised = `${BigInt(match[1]!).toString()}${match[2] ? `.${match[2].slice(0, 6)}` : ''}`;
  const signed = match[1]!.startsWith('-') && !normalised.startsWith('-') ? `-${normalised}` : normalised;
  return isDecimal(signed) ? sumDecimals([signed], decimals) : undefined;
}

/** True when the amount is present and not zero. */
export function nonZero(value: string | undefined): value is string {
  return value !== undefined && !/^-?0(\.0+)?$/.test(value);
}

/** An RFC 2822 (v2) or ISO 8601 (v3) date as an ISO 8601 UTC timestamp. */
export function isoDate(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const looksLikeDate = /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(raw) || /^\d{4}-\d{2}-\d{2}T/.test(raw);
  if (!looksLikeDate) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** An instant as RFC 2822 in UTC, the form the v2 API itself writes (`Tue, 05 Mar 2019 21:40:11 +0000`). */
export function rfc2822(epochMs: number): string {
  // toUTCString gives "Tue, 05 Mar 2019 21:40:11 GMT"; v2 writes the numeric zone.
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

/** Cuts a text to `max` characters, marking the cut. */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
