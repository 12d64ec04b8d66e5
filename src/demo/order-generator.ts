import type { OrderSubmission } from '../canonical/order.js';
import { CREDIT_HOLD_ACCOUNT, DEMO_CHANNELS, DEMO_ITEMS, EU_PLACES, FIRST_NAMES, LAST_NAMES, TRADE_BUYERS, UNKNOWN_CHANNEL_SKUS, US_PLACES, type DemoChannel } from './catalog.js';
import type { Random } from './random.js';

/** What a demo order is meant to show. */
export type DemoScenario = 'normal' | 'unknown-sku' | 'credit-hold';

export interface DemoOrder {
  scenario: DemoScenario;
  submission: OrderSubmission;
}

export interface OrderMix {
  /** Share of orders with one line for a SKU the ERP does not know. @default 0.03 */
  unknownSkuShare: number;
  /** Share of orders from the customer on credit hold. @default 0.02 */
  creditHoldShare: number;
}

export const DEFAULT_ORDER_MIX: OrderMix = { unknownSkuShare: 0.03, creditHoldShare: 0.02 };

/**
 * The `sequence`-th order of a demo run: a channel by weight, a buyer and ship-to of that
 * channel, 1–6 lines of the sandbox ERP's items at their list prices. `runTag` keeps channel
 * order ids of two runs on one data directory apart, so a second run is not taken for duplicates.
 * Pure: the same random state, sequence and time give the same order.
 */
export function generateOrder(random: Random, sequence: number, runTag: string, now: number, mix: OrderMix = DEFAULT_ORDER_MIX): DemoOrder {
  const roll = random.next();
  const scenario: DemoScenario = roll < mix.creditHoldShare ? 'credit-hold' : roll < mix.creditHoldShare + mix.unknownSkuShare ? 'unknown-sku' : 'normal';
  // The customer on credit hold is a trade account: its orders come through the B2B portal.
  const channel = scenario === 'credit-hold' ? DEMO_CHANNELS.find((c) => c.id === 'b2b-portal')! : pickWeighted(random, DEMO_CHANNELS);
  const lines = Array.from({ length: lineCount(random) }, () => itemLine(random, channel.currency));
  if (scenario === 'unknown-sku') {
    const unknown = random.pick(UNKNOWN_CHANNEL_SKUS);
    lines[random.int(0, lines.length - 1)] = { sku: unknown.channelSku, description: unknown.description, quantity: random.int(1, 4), uom: 'EA', unitPrice: random.pick(DEMO_ITEMS).prices[channel.currency]! };
  }
  const submission: OrderSubmission = {
    channel: channel.id,
    channelOrderId: channel.orderId(sequence, runTag),
    orderedAt: new Date(now).toISOString(),
    currency: channel.currency,
    customer: customer(random, channel, scenario),
    shipTo: shipTo(random, channel),
    lines: lines.map((line, i) => ({ lineId: String(i + 1), ...line })),
    payment: channel.buyers === 'consumer' ? { status: 'paid', method: channel.id.startsWith('amazon') ? 'amazon_pay' : 'card' } : { status: 'on_account' },
    ...(channel.buyers === 'consumer' ? { charges: [{ type: 'shipping' as const, amount: random.pick(['0.00', '4.99', '9.99']) }] } : {}),
    ...(channel.buyers === 'trade' ? { poNumber: `PO${String(40_000 + sequence)}` } : {}),
  };
  return { scenario, submission };
}

function pickWeighted(random: Random, channels: readonly DemoChannel[]): DemoChannel {
  const total = channels.reduce((sum, c) => sum + c.weight, 0);
  let at = random.next() * total;
  for (const channel of channels) {
    at -= channel.weight;
    if (at < 0) return channel;
  }
  return channels[channels.length - 1]!;
}

/** Mostly small orders, now and then a bigger one: 1–2 lines half the time, up to 6. */
function lineCount(random: Random): number {
  const roll = random.next();
  return roll < 0.5 ? random.int(1, 2) : roll < 0.85 ? random.int(3, 4) : random.int(5, 6);
}

function itemLine(random: Random, currency: 'USD' | 'EUR') {
  const item = random.pick(DEMO_ITEMS);
  // Cases are ordered one or two at a time, eaches by the handful.
  const quantity = item.uom === 'CA' ? random.int(1, 2) : random.int(1, 6);
  return { sku: item.sku, description: item.description, quantity, uom: item.uom, unitPrice: item.prices[currency]! };
}

function customer(random: Random, channel: DemoChannel, scenario: DemoScenario): OrderSubmission['customer'] {
  if (scenario === 'credit-hold') return { accountId: CREDIT_HOLD_ACCOUNT, company: 'Overdue Outfitters Ltd', business: true };
  if (channel.buyers === 'trade') return { accountId: channel.account, company: 'Acme Retail Inc.', business: true };
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { accountId: channel.account, name: `${first} ${last}`, email: `${first}.${last}@example.com`.toLowerCase() };
}

function shipTo(random: Random, channel: DemoChannel): OrderSubmission['shipTo'] {
  const place = random.pick(channel.currency === 'EUR' ? EU_PLACES : US_PLACES);
  const name = channel.buyers === 'trade' ? random.pick(TRADE_BUYERS) : `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  return { name, ...place };
}
