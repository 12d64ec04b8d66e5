import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { OrderSubmission } from '../canonical/order.js';
import { SEED_ITEMS } from '../connectors/sandbox-erp/seed.js';
import { CREDIT_HOLD_ACCOUNT, DEMO_CHANNELS, UNKNOWN_CHANNEL_SKUS } from './catalog.js';
import { generateOrder } from './order-generator.js';
import { seededRandom } from './random.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');

function many(seed: number, count: number) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => generateOrder(random, i + 1, 'RUN1', NOW));
}

describe('demo order generator', () => {
  it('gives the same orders for the same seed and other orders for another', () => {
    expect(many(7, 50)).toEqual(many(7, 50));
    expect(many(8, 50)).not.toEqual(many(7, 50));
  });

  it('writes valid canonical orders with 1–6 lines at the sandbox price list', () => {
    const prices = new Map(SEED_ITEMS.flatMap((item) => Object.entries(item.prices).map(([currency, price]) => [`${item.sku}/${currency}`, price])));
    for (const { scenario, submission } of many(3, 500)) {
      if (!Value.Check(OrderSubmission, submission)) expect([...Value.Errors(OrderSubmission, submission)]).toEqual([]);
      expect(submission.lines.length).toBeGreaterThanOrEqual(1);
      expect(submission.lines.length).toBeLessThanOrEqual(6);
      for (const line of submission.lines) {
        if (scenario === 'unknown-sku' && UNKNOWN_CHANNEL_SKUS.some((u) => u.channelSku === line.sku)) continue;
        expect(line.unitPrice).toBe(prices.get(`${line.sku}/${submission.currency}`));
        expect(line.sku).not.toBe('SKU-13'); // inactive in the ERP: not a demo item
      }
    }
  });

  it('spreads orders over every channel and keeps channel order ids unique', () => {
    const orders = many(11, 2000);
    const channels = new Set(orders.map((o) => o.submission.channel));
    expect([...channels].sort()).toEqual(DEMO_CHANNELS.map((c) => c.id).sort());
    const ids = new Set(orders.map((o) => `${o.submission.channel}/${o.submission.channelOrderId}`));
    expect(ids.size).toBe(orders.length);
  });

  it('sends about 3 % with an unknown SKU and about 2 % for the customer on credit hold', () => {
    const orders = many(5, 10_000);
    const unknown = orders.filter((o) => o.scenario === 'unknown-sku');
    const hold = orders.filter((o) => o.scenario === 'credit-hold');
    expect(unknown.length / orders.length).toBeGreaterThan(0.02);
    expect(unknown.length / orders.length).toBeLessThan(0.04);
    expect(hold.length / orders.length).toBeGreaterThan(0.012);
    expect(hold.length / orders.length).toBeLessThan(0.028);
    for (const o of unknown) expect(o.submission.lines.some((l) => UNKNOWN_CHANNEL_SKUS.some((u) => u.channelSku === l.sku))).toBe(true);
    for (const o of hold) expect(o.submission.customer.accountId).toBe(CREDIT_HOLD_ACCOUNT);
    for (const o of orders.filter((x) => x.scenario === 'normal')) expect(o.submission.customer.accountId).not.toBe(CREDIT_HOLD_ACCOUNT);
  });

  it('books EUR orders to the EUR account and ships them within Europe', () => {
    for (const { submission } of many(9, 500).filter((o) => o.submission.channel === 'woocommerce-eu')) {
      expect(submission.currency).toBe('EUR');
      expect(submission.customer.accountId).toBe('C-500');
      expect(['DE', 'FR', 'NL', 'IT', 'ES']).toContain(submission.shipTo.country);
    }
  });
});
