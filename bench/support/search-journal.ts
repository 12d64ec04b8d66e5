import type { OrderState } from '../../src/canonical/states.js';
import { orderAcceptance } from '../../src/intake/order-intake.js';
import { orderSearchKeys } from '../../src/store/search-keys.js';
import type { SeedOrder } from './journal-seed.js';

/**
 * The journal the search benchmark seeds: which orders, from which channels and customers, with
 * which SKUs, and where they ended up. Pure and deterministic, so the seed can be generated on
 * another thread and every run searches the same journal the same way.
 */

export const DAY = 86_400_000;
export const CHANNELS = ['shopify-us', 'b2b-portal', 'amazon', 'woocommerce', 'edi-acme'] as const;
export const SKUS = 5_000;
export const CUSTOMERS = 2_000;
/** Where orders end up, as a share of the journal (the rest stay `received`). */
export const OUTCOMES: readonly [OrderState, number][] = [['posted', 0.8], ['validated', 0.05], ['held', 0.04], ['failed', 0.01]];
/** Deterministic pseudo-random numbers. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Order `i`'s own random sequence: the same whichever thread builds it and in whatever batches
 * (murmur3's finaliser spreads neighbouring numbers over the whole seed space).
 */
export function orderRandom(i: number): () => number {
  let h = (i + 42) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return lcg(h ^ (h >>> 16));
}

export const skuOf = (n: number) => `SKU-${String(n).padStart(5, '0')}`;
export const customerOf = (n: number) => `C-${1000 + n}`;
export const channelOrderIdOf = (i: number) => `CO-${100_000_000 + i}`;
export const orderNumberOf = (i: number) => `SO-${2_000_000 + i}`;

/** A plausible order: 1–5 lines, a fifth of SKUs hot, with the channel's variant id on some lines. */
function submissionOf(i: number, random: () => number, orderedAt: number): Record<string, unknown> {
  const lines = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
    const sku = random() < 0.2 ? Math.floor(random() * 50) : Math.floor(random() * SKUS);
    return {
      sku: skuOf(sku), description: `Item ${sku} case pack`, quantity: 1 + Math.floor(random() * 24), uom: 'EA',
      unitPrice: (5 + (sku % 90)).toFixed(2), ...(sku % 3 === 0 ? { channelSku: `var-${800_000 + sku}` } : {}),
    };
  });
  return {
    channel: CHANNELS[i % CHANNELS.length], channelOrderId: channelOrderIdOf(i), orderNumber: orderNumberOf(i),
    ...(i % 4 === 0 ? { poNumber: `PO-${500_000 + i}` } : {}),
    orderedAt: new Date(orderedAt - 60_000).toISOString(), currency: 'USD',
    customer: { accountId: customerOf(Math.floor(random() * CUSTOMERS)), name: `Customer ${i % CUSTOMERS}` },
    shipTo: { name: 'Receiving', line1: `${i % 9000} Commerce Way`, city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
    lines, payment: { status: 'authorized' },
  };
}

/**
 * Order `i`, received at `now`, as crossdock's intake hands it to the store (`orderAcceptance`,
 * then `orderSearchKeys` and the canonical text as the store proxy adds them), and the one state
 * it moved to a second later, if any.
 */
export function seedOrder(i: number, now: number): SeedOrder {
  const random = orderRandom(i);
  const submission = submissionOf(i, random, now);
  const raw = JSON.stringify(submission);
  const input = orderAcceptance({ maxAttempts: 12 }, { submission: submission as never, raw, correlationId: `cor-${i}`, now });
  let roll = random();
  let outcome: SeedOrder['outcome'];
  for (const [state, share] of OUTCOMES) {
    if ((roll -= share) >= 0) continue;
    outcome = { state, at: now + 1_000 };
    break;
  }
  return {
    input, canonical: JSON.stringify(input.canonical), searchKeys: orderSearchKeys(input.canonical, input.customerAccount),
    ...(outcome ? { outcome } : {}),
  };
}

/** When the journal's `entries` orders arrive: evenly over the 30 days before `end`. */
export function arrivals(entries: number, end: number): { start: number; at: (i: number) => number } {
  const start = end - 30 * DAY;
  const step = (end - start) / entries;
  return { start, at: (i) => Math.floor(start + i * step) };
}
