import type { OrderSubmission } from '../../canonical/order.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { isPositive } from './amounts.js';
import { objectAt, text, type Json } from './document.js';
import type { MoneyReader } from './lines.js';

type Payment = OrderSubmission['payment'];

/**
 * `payment` (salesDataOrderPaymentInterface) → payment status. Magento has no status field for
 * it: what was captured (`amount_paid`), authorised (`amount_authorized`) and refunded
 * (`amount_refunded`) says it, against the order's `grand_total`. The `purchaseorder` method
 * (Payment on Account / Purchase Order) is an on-account sale whose `po_number` the buyer typed.
 */
export function mapPayment(order: Json, money: MoneyReader, cancelled: boolean): Payment {
  const payment = objectAt(order.payment);
  const method = text(payment.method);
  // Cancelled items stay in `grand_total`; what is due is the rest (`total_canceled`).
  const total = sumDecimals([money(order, 'grand_total') ?? '0', `-${money(order, 'total_canceled') ?? '0'}`.replace('--', '')], 4);
  const paid = money(payment, 'amount_paid');
  const refunded = money(payment, 'amount_refunded') ?? money(order, 'total_refunded');
  const authorized = money(payment, 'amount_authorized');
  const ext = objectAt(order.extension_attributes);
  const giftCards = money(ext, 'gift_cards_amount');
  const reference = text(payment.last_trans_id) ?? (method === 'purchaseorder' ? text(payment.po_number) : undefined);

  const status = ((): Payment['status'] => {
    if (isPositive(refunded) && (!isPositive(paid) || compareDecimals(refunded, paid) >= 0)) return 'refunded';
    // A gift card pays its part at checkout; the payment method captures the rest.
    const settled = sumDecimals([paid ?? '0', giftCards ?? '0'], 4);
    if (isPositive(paid)) return compareDecimals(settled, total) >= 0 ? 'paid' : 'partially_paid';
    if (cancelled) return 'voided';
    if (isPositive(authorized)) return 'authorized';
    if (method === 'purchaseorder') return 'on_account';
    // Fully paid by gift card or store credit: nothing left for a payment method to capture.
    if (!isPositive(total) || compareDecimals(settled, total) >= 0) return 'paid';
    return 'pending';
  })();
  return {
    status,
    ...(method === undefined ? {} : { method: method.slice(0, 64) }),
    ...(reference === undefined ? {} : { reference: reference.slice(0, 128) }),
    ...(isPositive(giftCards) ? { giftCardAmount: giftCards } : {}),
  };
}
