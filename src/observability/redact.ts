/** What a redacted value is replaced with. */
export const CENSOR = '[redacted]';

/**
 * Field names whose values never reach a log line, compared without case, `-` or `_`.
 * Credentials: headers (authorization, cookie, set-cookie, x-api-key) and secrets in config and
 * connector objects. Card data: PAN and CVV. Personal data: contact details and addresses.
 */
const SENSITIVE = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'xapikey', 'xauthtoken',
  'password', 'passwordhash', 'passphrase', 'token', 'secret', 'apikey', 'key', 'clientsecret', 'privatekey',
  'pan', 'cardnumber', 'card', 'cvv', 'cvc', 'cvv2', 'securitycode',
  'email', 'phone', 'mobile', 'fax', 'address', 'addresses', 'shipto', 'billto', 'line1', 'line2',
]);
/** Names ending like these are credentials too (`webhookSecret`, `accessToken`, `adminPassword`). */
const SENSITIVE_SUFFIXES = ['password', 'secret', 'token', 'apikey', 'privatekey', 'passwordhash'];

export function isSensitiveField(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE.has(key) || SENSITIVE_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

/** 13–19 digits, optionally grouped by spaces or dashes: the shapes a card number is written in. */
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

/** Masks every Luhn-valid card number in `text` to its last four digits. */
export function scrubCardNumbers(text: string): string {
  if (!/\d{4}/.test(text)) return text;
  return text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return luhnValid(digits) ? `[card ****${digits.slice(-4)}]` : match;
  });
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A copy of `object` with sensitive fields replaced by `[redacted]` at any depth and card
 * numbers masked in strings; the object itself when there was nothing to hide. Error instances
 * are left to the logger's `err` serializer, which redacts what it makes of them.
 */
export function redactSecrets<T extends Record<string, unknown>>(object: T): T {
  return redactValue(object, 0) as T;
}

/** Deeper than this is not walked: a logged object is small, a cycle is not followed forever. */
const MAX_DEPTH = 8;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubCardNumbers(value);
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactValue(item, depth + 1);
      if (next !== item) (copy ??= [...value])[i] = next;
    });
    return copy ?? value;
  }
  if (value instanceof Headers) return redactValue(Object.fromEntries(value.entries()), depth);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [name, item] of Object.entries(value)) {
    const next = isSensitiveField(name) && item !== undefined && item !== null ? CENSOR : redactValue(item, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[name] = next;
  }
  return copy ?? value;
}
