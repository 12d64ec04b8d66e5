/**
 * Journal search keys: the rows of `message_keys` that let the console find an order message by
 * a SKU on its lines or by its customer. Each key is `<kind>:<value>`, exact and case-sensitive,
 * stored with the message's `received_at` so that one index range lists a key's messages newest
 * first and pages by keyset like the journal itself.
 *
 * Both stores write an order message's keys in the transaction that journals it (see ADR on
 * journal search keys): a message is findable by SKU the moment its 202 is sent, and no second
 * process has to follow the journal. Journals that predate the keys are filled in by migration 5,
 * whose SQL must derive exactly the keys `orderSearchKeys` does.
 */

export const SKU_KEY_PREFIX = 'sku:';
export const CUSTOMER_KEY_PREFIX = 'customer:';

export function skuKey(sku: string): string {
  return `${SKU_KEY_PREFIX}${sku}`;
}

export function customerKey(accountId: string): string {
  return `${CUSTOMER_KEY_PREFIX}${accountId}`;
}

/** Set by the SQLite store proxy so the writer thread need not parse the canonical order again. */
export interface SearchKeyed {
  searchKeys?: readonly string[];
}

/**
 * The search keys of an order message, each once: its customer account and, for every line,
 * crossdock's SKU and the channel's own SKU when the line has one (people search by either).
 * `canonical` is the canonical order as an object or as its JSON text; anything not shaped like
 * an order line is skipped rather than trusted.
 */
export function orderSearchKeys(canonical: unknown, customerAccount: string): string[] {
  const keys = new Set<string>([customerKey(customerAccount)]);
  const order = typeof canonical === 'string' ? parseJson(canonical) : canonical;
  const lines = isRecord(order) && Array.isArray(order['lines']) ? (order['lines'] as unknown[]) : [];
  for (const line of lines) {
    if (!isRecord(line)) continue;
    const { sku, channelSku } = line;
    if (typeof sku === 'string' && sku !== '') keys.add(skuKey(sku));
    if (typeof channelSku === 'string' && channelSku !== '') keys.add(skuKey(channelSku));
  }
  return [...keys];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
