import { randomFillSync } from 'node:crypto';

/** Crockford base32, as used by ULID: sortable, case-insensitive, no ambiguous letters. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes are drawn in blocks: one system call per 512 ids instead of one per id.
const POOL = Buffer.alloc(16 * 512);
let poolOffset = POOL.length;

let lastTime = 0;
const lastRandom = new Uint8Array(16);

/**
 * A ULID-shaped id: 48 bits of milliseconds then 80 random bits (16 base32 digits), so ids sort
 * by creation time (journal pages and queue scans rely on that). Within one millisecond the
 * random part of the previous id is incremented, which keeps ids from one process increasing.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  if (now <= lastTime) {
    incrementDigits(lastRandom);
    now = lastTime;
  } else {
    if (poolOffset + 16 > POOL.length) {
      randomFillSync(POOL);
      poolOffset = 0;
    }
    // One random byte per base32 digit, 5 bits of each kept.
    for (let i = 0; i < 16; i++) lastRandom[i] = (POOL[poolOffset + i] ?? 0) & 31;
    poolOffset += 16;
  }
  lastTime = now;
  let out = '';
  let ms = now;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  for (let i = 0; i < 16; i++) out += ALPHABET[lastRandom[i] ?? 0];
  return `${prefix}_${out}`;
}

/** Adds one to a number written as base-32 digits (most significant first). */
function incrementDigits(digits: Uint8Array): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    const v = (digits[i] ?? 0) + 1;
    digits[i] = v & 31;
    if (v < 32) return;
  }
}
