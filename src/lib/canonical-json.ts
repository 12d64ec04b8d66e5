import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted, so two documents that mean the same hash the same. On the
 * intake hot path: written as one recursive walk that appends to a string, with no
 * intermediate arrays of entries.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  // The one-shot form (Node 20.12+) skips the Hash object: it is on the intake hot path.
  return hash('sha256', text, 'hex');
}

/**
 * Whether two request bodies are the same JSON document, whatever their key order and spacing.
 * The intake compares bodies by a hash of their bytes first (cheap, and a client's retry sends the
 * same bytes); only when those differ does a store ask this, so a client that re-serialises
 * the same order is still answered as a duplicate, not a conflict.
 */
export function sameJsonDocument(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}
