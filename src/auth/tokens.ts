import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) as base64url: session ids, CSRF tokens, API key bodies. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 as hex: how session ids and API keys are kept. They are 256-bit random secrets, so a
 * fast hash suffices — there is no dictionary to guess from, which is what a slow KDF defends
 * against — and it keeps the per-request lookup cheap.
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
