import type { OrderSubmission } from '../../canonical/order.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { asArray, asRecord, clip, decimal, text, type JsonRecord } from './read.js';

type Payment = OrderSubmission['payment'];

/**
 * `financial_status` (REST Order resource) → canonical payment status. Decisions:
 * - `partially_refunded` → `paid`: the order was paid; what was refunded shows in the line
 *   quantities (current_quantity), so the booked order already excludes it.
 * - `expired` (an authorization not captured in time) → `voided`: no money will come.
 * - `unpaid` is a list filter, not a status; an absent or unknown value → `pending`, with a warning.
 */
const STATUS: Readonly<Record<string, Payment['status']>> = {
  pending: 'pending',
  authorized: 'authorized',
  partially_paid: 'partially_paid',
  paid: 'paid',
  partially_refunded: 'paid',
  refunded: 'refunded',
  voided: 'voided',
  expired: 'voided',
};

/** The payment: status, gateways (`payment_gateway_names`) and the part paid by gift card. */
export function mapPayment(order: JsonRecord, warnings: string[]): Payment {
  const financial = text(order.financial_status);
  let status = financial === undefined ? undefined : STATUS[financial];
  if (status === undefined) {
    warnings.push(`financial_status ${financial ?? '(absent)'} is not a known Shopify status: payment treated as pending`);
    status = 'pending';
  }
  const gateways = asArray(order.payment_gateway_names).map(text).filter((g) => g !== undefined);
  const giftCardAmount = giftCardPaid(order);
  if (gateways.includes('gift_card') && giftCardAmount === undefined) {
    warnings.push('paid partly by gift card, amount unknown (the order carries no transactions): payment method marked gift_card');
  }
  return {
    status,
    ...(gateways.length === 0 ? {} : { method: clip(gateways.join('+'), 64) }),
    ...(giftCardAmount === undefined ? {} : { giftCardAmount }),
  };
}

/**
 * The gift card amount, from `transactions` when the payload carries them (an order fetched
 * with its transactions, or a stored document): successful `sale`/`capture` transactions of the
 * `gift_card` gateway, less its successful refunds. Undefined when there are none to read.
 */
function giftCardPaid(order: JsonRecord): string | undefined {
  const amounts: string[] = [];
  for (const raw of asArray(order.transactions)) {
    const transaction = asRecord(raw);
    if (text(transaction?.gateway) !== 'gift_card' || text(transaction?.status) !== 'success') continue;
    const amount = decimal(transaction?.amount);
    if (amount === undefined) continue;
    const kind = text(transaction?.kind);
    if (kind === 'sale' || kind === 'capture') amounts.push(amount);
    else if (kind === 'refund') amounts.push(`-${amount}`);
  }
  if (amounts.length === 0) return undefined;
  const total = sumDecimals(amounts);
  return compareDecimals(total, '0') < 0 ? '0.00' : total;
}
