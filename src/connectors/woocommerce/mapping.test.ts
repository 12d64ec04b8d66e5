import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext, type MappingContextOptions } from '../../channels/mapping-context.js';
import type { MappingResult } from '../../channels/types.js';
import { identifyWooOrder, woocommerceOrderToOrder } from './mapping.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const context = (options: Partial<MappingContextOptions> = {}) => createMappingContext({ channel: 'woo-us', ...options });

function mapped(document: unknown, options: Partial<MappingContextOptions> = {}) {
  const result: MappingResult = woocommerceOrderToOrder(document, context(options));
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  expect(submissionProblems(result.order)).toEqual([]);
  return result;
}

describe('woocommerceOrderToOrder', () => {
  it('maps the reference guest order: ids, GMT dates with Z, SKU-less lines by product id, variation meta as attributes, taxes and shipping', () => {
    const { order, warnings } = mapped({ order: fixture('order-guest.json'), refunds: [] });
    expect(order).toMatchObject({
      channel: 'woo-us',
      channelOrderId: '727',
      orderNumber: '727',
      orderedAt: '2017-03-22T19:28:02Z',
      channelUpdatedAt: '2017-03-22T19:28:08Z',
      currency: 'USD',
      customer: { accountId: 'email:john.doe@example.com', name: 'John Doe', email: 'john.doe@example.com' },
      shipTo: { name: 'John Doe', line1: '969 Market', city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' },
      billTo: { name: 'John Doe', email: 'john.doe@example.com', phone: '(555) 555-5555' },
      payment: { status: 'paid', method: 'Direct Bank Transfer' },
      charges: [{ type: 'shipping', amount: '10.00', description: 'Flat Rate' }],
      taxes: [{ name: 'State Tax', amount: '1.35', rate: '7.5' }],
    });
    expect(order.lines).toEqual([
      {
        lineId: '315', sku: 'product:93', quantity: 2, uom: 'EA', unitPrice: '3.00', description: 'Woo Single #1',
        taxes: [{ name: 'State Tax', amount: '0.45', rate: '7.5' }],
      },
      {
        lineId: '316', sku: 'Bar3', quantity: 1, uom: 'EA', unitPrice: '12.00', description: 'Ship Your Idea – Color: Black, Size: M Test',
        taxes: [{ name: 'State Tax', amount: '0.9', rate: '7.5' }],
        attributes: { Color: 'Black', size: 'M Test' },
      },
    ]);
    expect(order.poNumber).toBeUndefined();
    expect(order.cancellation).toBeUndefined();
    expect(order.attributes).toEqual({ wooStatus: 'processing', paymentMethodId: 'bacs' });
    expect(warnings).toEqual([]);
  });

  it('resolves SKUs through cross-references by SKU, then variation, then product id, keeping the channel reference', () => {
    const { order } = mapped(fixture('order-guest.json'), {
      skus: { 'product:93': { sku: 'SINGLE-1', uom: 'CA', factor: 2 }, 'variation:23': 'SHIRT-BLK-M' },
    });
    expect(order.lines[0]).toMatchObject({ sku: 'SINGLE-1', channelSku: 'product:93', quantity: 4, uom: 'CA', unitPrice: '1.50' });
    // The SKU "Bar3" has no cross-reference, the variation has: the variation wins over the raw SKU.
    expect(order.lines[1]).toMatchObject({ sku: 'SHIRT-BLK-M', channelSku: 'Bar3', quantity: 1 });
  });

  it('maps a B2B order: PO number from the configured meta key, customer cross-reference, coupon discount once, fees and negative fees', () => {
    const { order, warnings } = mapped(fixture('order-b2b.json'), { customers: { 'customer:42': 'C-ACME' } });
    expect(order).toMatchObject({
      channelOrderId: '1841',
      poNumber: 'PO-4471',
      customer: { accountId: 'C-ACME', name: 'Maria Lopez', email: 'ap@acmesupply.example', company: 'Acme Supply Co', business: true },
      shipTo: { name: 'Receiving Dept', company: 'Acme Supply Co', line1: '900 Industrial Blvd', line2: 'Suite B', postalCode: '77011', phone: '+1 713 555 0100' },
      billTo: { name: 'Maria Lopez', company: 'Acme Supply Co', line2: 'Floor 3' },
      payment: { status: 'on_account', method: 'Net 30 invoice' },
      notes: 'Deliver to dock 4, call ahead.',
      charges: [
        { type: 'shipping', amount: '85.00', description: 'LTL Freight' },
        { type: 'fee', amount: '35.00', description: 'Liftgate service' },
        { type: 'discount', amount: '5.00', description: 'Early payment discount' },
      ],
      taxes: [{ name: 'TX State Tax', amount: '21.55', rate: '8.25' }],
    });
    // The coupon is already in the line totals: a line discount, no discount charge.
    expect(order.lines).toEqual([
      expect.objectContaining({ lineId: '501', sku: 'PW-500', quantity: 10, unitPrice: '12.50', discount: '12.50' }),
      expect.objectContaining({ lineId: '502', sku: 'product:311', quantity: 24, unitPrice: '2.95', discount: '7.08' }),
    ]);
    expect(order.charges?.some((c) => c.amount === '19.58')).toBe(false);
    expect(order.attributes).toEqual({ delivery_window: 'Mon-Fri 8-12', coupons: 'b2b10', wooStatus: 'processing', paymentMethodId: 'cheque' });
    expect(warnings).toEqual([]);
  });

  it('reads the PO number from another meta key when the instance names one', () => {
    const document = fixture('order-b2b.json');
    document.meta_data = [{ id: 1, key: 'purchase_order', value: ' 88-1200 ' }];
    const result = woocommerceOrderToOrder(document, createMappingContext({ channel: 'woo-us', settings: { poNumberMetaKey: 'purchase_order' } }));
    expect(result.ok && result.order.poNumber).toBe('88-1200');
    expect(result.ok && result.order.attributes?.purchase_order).toBeUndefined();
  });

  it('ships a virtual order to the billing address, with a warning, and keys the guest-free customer by id then lower-cased e-mail', () => {
    const { order, warnings } = mapped(fixture('order-virtual.json'), { customers: { 'email:jane@example.com': 'C-JANE' } });
    expect(order.shipTo).toEqual({ name: 'Jane Roe', line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', phone: '217-555-0142', email: 'JANE@Example.com' });
    expect(order.shipTo).toEqual(order.billTo);
    expect(order.customer.accountId).toBe('C-JANE');
    expect(order.payment).toEqual({ status: 'paid', method: 'Credit card (Stripe)', reference: 'ch_3PMe2k2eZvKYlo2C' });
    expect(warnings).toEqual(['the order has no shipping address: shipping to the billing address']);
  });

  it('takes net unit prices from subtotals when the shop enters prices with tax, and flags it', () => {
    const { order } = mapped(fixture('order-prices-include-tax.json'));
    expect(order.currency).toBe('EUR');
    expect(order.lines[0]).toMatchObject({ sku: 'MUG-BLUE', quantity: 3, unitPrice: '10.00', description: 'Mug – blue', taxes: [{ name: 'MwSt.', amount: '6.00', rate: '20' }] });
    expect(order.taxes).toEqual([{ name: 'MwSt.', amount: '6.83', rate: '20' }]);
    expect(order.attributes?.pricesIncludeTax).toBe('true');
    expect(order.shipTo).toMatchObject({ line1: 'Hauptstraße 5', country: 'DE' });
  });

  it('marks a cancelled order as cancelled at its last modification, payment voided', () => {
    const { order } = mapped(fixture('order-cancelled.json'));
    expect(order.cancellation).toEqual({ at: '2024-02-02T09:00:00Z', reason: 'cancelled in WooCommerce' });
    expect(order.payment.status).toBe('voided');
  });

  it.each([
    ['pending', 'pending', undefined],
    ['on-hold', 'pending', undefined],
    ['failed', 'pending', undefined],
    ['refunded', 'refunded', undefined],
    ['completed', 'paid', undefined],
    ['trash', 'paid', 'moved to the trash in WooCommerce'],
  ])('maps status %s to payment %s', (status, payment, cancelled) => {
    const { order } = mapped({ ...fixture('order-guest.json'), status });
    expect(order.payment.status).toBe(payment);
    expect(order.cancellation?.reason).toBe(cancelled);
  });

  it('refuses a checkout draft: the buyer has not placed it', () => {
    const result = woocommerceOrderToOrder({ ...fixture('order-guest.json'), status: 'checkout-draft' }, context());
    expect(result).toEqual({ ok: false, problems: [{ path: 'status', message: 'checkout-draft: the buyer has not placed this order yet' }] });
  });

  it('takes refunded units off the lines, prorates the line discount and leaves out fully refunded lines', () => {
    const { order, warnings } = mapped(fixture('document-partial-refund.json'));
    expect(order.lines).toEqual([
      { lineId: '601', sku: 'GEAR-5', quantity: 3, uom: 'EA', unitPrice: '12.00', discount: '3.60', description: 'Gear set' },
    ]);
    expect(warnings).toEqual(['line_items[0]: 2 of 5 unit(s) refunded', 'line_items[1]: all 2 unit(s) refunded; line left out']);
  });

  it('keeps the lines as ordered when every unit was refunded, and says so', () => {
    const document = fixture('document-partial-refund.json') as { order: Record<string, unknown>; refunds: { line_items: { quantity: number }[] }[] };
    document.refunds[0]!.line_items[0]!.quantity = -5;
    document.order.status = 'refunded';
    const { order, warnings } = mapped(document);
    expect(order.lines.map((l) => [l.lineId, l.quantity])).toEqual([['601', 5], ['602', 2]]);
    expect(order.payment.status).toBe('refunded');
    expect(warnings).toContain('every line was refunded: lines are kept as ordered');
  });

  it('warns when a bare order lists refunds whose line items it does not carry', () => {
    const { order, warnings } = mapped(fixture('document-partial-refund.json').order);
    expect(order.lines.map((l) => l.quantity)).toEqual([5, 2]);
    expect(warnings).toEqual(['the order has refunds but the document carries no refund line items: quantities are as ordered']);
  });

  it('names every field it cannot map instead of throwing', () => {
    const result = woocommerceOrderToOrder(fixture('order-invalid.json'), context());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual([
      'id', 'date_created_gmt', 'currency', 'line_items[0].quantity', 'line_items[0].subtotal',
      'shipping.address_1', 'shipping.city', 'shipping.country', 'shipping.first_name',
      'billing.address_1', 'billing.city', 'billing.country', 'billing.first_name',
    ]);
    expect(woocommerceOrderToOrder({ ...fixture('order-guest.json'), line_items: [] }, context())).toEqual({
      ok: false, problems: [{ path: 'line_items', message: 'the order has no line items' }],
    });
    expect(woocommerceOrderToOrder('not json', context()).ok).toBe(false);
    expect(woocommerceOrderToOrder(null, context()).ok).toBe(false);
  });
});

describe('identifyWooOrder', () => {
  it('reads the id and the GMT modification time from an order or an { order, refunds } document', () => {
    expect(identifyWooOrder(fixture('order-guest.json'))).toEqual({ channelOrderId: '727', updatedAt: '2017-03-22T19:28:08Z' });
    expect(identifyWooOrder(fixture('document-partial-refund.json'))).toEqual({ channelOrderId: '5005', updatedAt: '2024-04-05T16:00:00Z' });
    expect(identifyWooOrder(fixture('webhook-order-deleted.json'))).toBeUndefined();
    expect(identifyWooOrder([])).toBeUndefined();
  });
});
