import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext, type MappingContextOptions } from '../../channels/mapping-context.js';
import type { OrderSubmission } from '../../canonical/order.js';
import { bigcommerceChannel } from './index.js';

type Doc = { order: Record<string, unknown>; products: Record<string, unknown>[]; shippingAddresses: Record<string, unknown>[]; coupons: Record<string, unknown>[] };

const fixture = (name: string): Doc => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Doc;

function map(document: unknown, options: Partial<MappingContextOptions> = {}): { order: OrderSubmission; warnings: string[] } {
  const result = bigcommerceChannel.mapOrder(document, createMappingContext({ channel: 'bc-us', ...options }));
  if (!result.ok) throw new Error(`unmappable: ${JSON.stringify(result.problems)}`);
  expect(submissionProblems(result.order)).toEqual([]);
  return result;
}

describe('bigCommerceOrderToOrder', () => {
  it('maps an order awaiting fulfilment with products, options, discounts, shipping and tax', () => {
    const { order, warnings } = map(fixture('order-awaiting-fulfillment'));
    expect(warnings).toEqual([]);
    expect(order).toMatchObject({
      channel: 'bc-us', channelOrderId: '250', orderNumber: '250',
      orderedAt: '2019-03-05T21:40:11.000Z', channelUpdatedAt: '2019-03-11T15:17:25.000Z', currency: 'USD',
      customer: { accountId: 'customer:11', name: 'Jane Doe', email: 'janedoe@example.com' },
      shipTo: { name: 'Trish Smith', company: 'Acme Pty Ltd', line1: '666 Sussex St', line2: 'Suite 4', city: 'Austin', region: 'Texas', postalCode: '78751', country: 'US', phone: '5125550100' },
      billTo: { name: 'Jane Doe', line1: '555 East Street', city: 'Austin', postalCode: '78108', country: 'US', email: 'janedoe@example.com' },
      charges: [{ type: 'shipping', amount: '12.00', description: 'Shipping' }],
      taxes: [{ name: 'Tax', amount: '27.92' }],
      payment: { status: 'paid', method: 'Credit Card', reference: 'ch_3Lb9QaKZ' },
      notes: 'Please leave at the back door',
      attributes: { staffNotes: 'VIP - ship with care', bigcommerceStatus: 'Awaiting Fulfillment' },
    });
    expect(order.lines).toEqual([
      {
        lineId: '301', sku: 'TOWEL-BEIGE-S', quantity: 2, uom: 'EA', unitPrice: '55.9900', description: 'Fog Linen Chambray Towel - Beige Stripe',
        discount: '5.00', taxes: [{ name: 'Tax', amount: '8.96' }], attributes: { Size: 'S', Color: 'Beige Stripe' },
      },
      { lineId: '302', sku: 'ABS', quantity: 1, uom: 'EA', unitPrice: '225.0000', description: 'Able Brewing System', taxes: [{ name: 'Tax', amount: '18.00' }] },
    ]);
    // The $5 manual discount is spread over the products: no second, order-level discount.
    expect(order.charges?.some((c) => c.type === 'discount')).toBe(false);
    expect(order.cancellation).toBeUndefined();
  });

  it('resolves SKUs by sku, then variant, then product, with the cross-reference pack size', () => {
    const document = fixture('order-awaiting-fulfillment');
    const { order } = map(document, { skus: { 'variant:130': 'TWL-001', 'product:86': { sku: 'BREW-6', uom: 'EA', factor: 2 } } });
    expect(order.lines[0]).toMatchObject({ sku: 'TWL-001', channelSku: 'TOWEL-BEIGE-S', quantity: 2, unitPrice: '55.9900' });
    expect(order.lines[1]).toMatchObject({ sku: 'BREW-6', channelSku: 'ABS', quantity: 2, unitPrice: '112.5000' });
  });

  it('books a multi-currency order in the store currency, with what the shopper paid as presentment', () => {
    const { order } = map(fixture('order-multi-currency'));
    expect(order.currency).toBe('USD');
    expect(order.presentment).toEqual({ currency: 'EUR', total: '99.00' });
    expect(order.lines[0]).toMatchObject({ quantity: 2, unitPrice: '50.0000' });
    expect(order.charges).toEqual([{ type: 'shipping', amount: '10.00', description: 'Shipping' }]);
    expect(order.shipTo).toMatchObject({ name: 'Lena Vogel', country: 'DE', city: 'Berlin' });
  });

  it('keeps a display-only currency as presentment and the amounts as charged', () => {
    const { order } = map(fixture('order-display-currency'));
    expect(order.currency).toBe('USD');
    expect(order.presentment).toEqual({ currency: 'CAD', total: '502.07' });
    expect(order.lines[1]?.unitPrice).toBe('225.0000');
  });

  it('refuses an order in a foreign currency without a usable exchange rate', () => {
    const document = fixture('order-multi-currency');
    document.order.store_default_to_transactional_exchange_rate = '0';
    const result = bigcommerceChannel.mapOrder(document, createMappingContext({ channel: 'bc-us' }));
    expect(result).toEqual({ ok: false, problems: [{ path: 'order.store_default_to_transactional_exchange_rate', message: 'no usable exchange rate from USD to EUR' }] });
  });

  it('maps a guest gift-certificate order: gift card line, e-mail customer key, billing address as ship-to', () => {
    const { order, warnings } = map(fixture('order-guest-gift-certificate'), { customers: { 'email:sam.guest@example.com': 'WEB-RETAIL' } });
    expect(order.customer).toEqual({ accountId: 'WEB-RETAIL', name: 'Sam Guest', email: 'Sam.Guest@example.com' });
    expect(order.lines).toEqual([{ lineId: '321', sku: 'giftcertificate', quantity: 1, uom: 'EA', unitPrice: '50.0000', description: '$50 Gift Certificate', giftCard: true }]);
    expect(order.payment).toMatchObject({ status: 'paid', giftCardAmount: '10.00' });
    expect(order.shipTo).toEqual(order.billTo);
    expect(warnings).toContain('order has no shipping address: the billing address is the ship-to');
  });

  it('falls back to the default customer for a guest whose e-mail has no cross-reference', () => {
    const { order } = map(fixture('order-guest-gift-certificate'), { defaultCustomer: 'WEB' });
    expect(order.customer.accountId).toBe('WEB');
  });

  it('marks a cancelled order as cancelled, with its payment voided', () => {
    const { order } = map(fixture('order-cancelled'));
    expect(order.cancellation).toEqual({ at: '2019-03-13T09:02:44.000Z', reason: 'Cancelled at BigCommerce' });
    expect(order.payment.status).toBe('voided');
  });

  it('marks a declined order as cancelled too', () => {
    const document = fixture('order-awaiting-fulfillment');
    Object.assign(document.order, { status_id: 6, status: 'Declined', custom_status: 'Declined', payment_status: 'declined' });
    const { order } = map(document);
    expect(order.cancellation).toEqual({ at: '2019-03-11T15:17:25.000Z', reason: 'Declined at BigCommerce' });
    expect(order.payment.status).toBe('voided');
  });

  it('keeps an order awaiting payment pending', () => {
    const document = fixture('order-awaiting-fulfillment');
    Object.assign(document.order, { status_id: 7, status: 'Awaiting Payment', payment_status: '' });
    expect(map(document).order.payment.status).toBe('pending');
    Object.assign(document.order, { payment_status: 'authorized' });
    expect(map(document).order.payment.status).toBe('authorized');
  });

  it('leaves out refunded quantities and keeps the refunded line share of discount and tax', () => {
    const { order, warnings } = map(fixture('order-partially-refunded'));
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0]).toMatchObject({ lineId: '301', quantity: 1, discount: '2.50', taxes: [{ name: 'Tax', amount: '4.48' }] });
    expect(order.payment.status).toBe('paid');
    expect(warnings).toContain('products[1]: refunded in full, left out');
  });

  it('keeps the lines as ordered when every product is refunded, with the payment refunded', () => {
    const document = fixture('order-partially-refunded');
    Object.assign(document.order, { status_id: 4, status: 'Refunded', payment_status: 'refunded' });
    document.products[0]!.quantity_refunded = 2;
    const { order, warnings } = map(document);
    expect(order.lines.map((l) => [l.lineId, l.quantity])).toEqual([['301', 2], ['302', 1]]);
    expect(order.payment.status).toBe('refunded');
    expect(warnings).toContain('every product is refunded: lines are as ordered');
  });

  it('ships to the first of several addresses and lists the others', () => {
    const { order, warnings } = map(fixture('order-multi-address'));
    expect(order.shipTo.name).toBe('Trish Smith');
    expect(order.attributes?.shipTo2).toBe('Jane Doe, 555 Main Street, Austin, Texas, 78701, US (address 52)');
    expect(order.lines.map((l) => l.attributes?.shipToAddressId)).toEqual(['51', '52']);
    expect(warnings).toEqual(['order ships to 2 addresses: the first is the ship-to, the others are in attributes shipTo2…']);
  });

  it('maps a B2B order: PO number from a form field, company customer, pack size, coupon, handling and wrapping', () => {
    const { order } = map(fixture('order-b2b-coupon'), {
      settings: { poNumberFrom: 'form_field:PO Number' },
      skus: { 'WIDGET-RED-CS': { sku: 'WR-100', factor: 12 } },
      customers: { 'customer:42': 'NORTHWIND' },
    });
    expect(order.poNumber).toBe('PO-77812');
    expect(order.customer).toEqual({ accountId: 'NORTHWIND', name: 'Ola Nordmann', email: 'purchasing@northwind.example', company: 'Northwind Traders' });
    expect(order.lines).toEqual([{
      lineId: '331', sku: 'WR-100', channelSku: 'WIDGET-RED-CS', quantity: 24, uom: 'EA', unitPrice: '10.0000', description: 'Red Widget case/12',
      attributes: { giftWrap: 'Kraft paper', giftMessage: 'Happy anniversary!' },
    }]);
    expect(order.charges).toEqual([
      { type: 'shipping', amount: '12.00', description: 'Shipping' },
      { type: 'handling', amount: '4.50', description: 'Handling' },
      { type: 'fee', amount: '2.00', description: 'Gift wrapping' },
      // The free-shipping coupon is on no product: it stays an order-level discount.
      { type: 'discount', amount: '12.00', description: 'Discount (FREESHIP12)' },
    ]);
    expect(order.payment).toEqual({ status: 'pending', method: 'Pay on account' });
    expect(order.attributes).toMatchObject({ coupons: 'FREESHIP12', staffNotes: 'Net 30' });
  });

  it('reads the PO number from external_order_id or the customer key from the company when configured', () => {
    const document = fixture('order-b2b-coupon');
    document.order.customer_id = 0;
    const { order } = map(document, { settings: { poNumberFrom: 'external_order_id' }, customers: { 'company:Northwind Traders': 'NW-01' } });
    expect(order.poNumber).toBe('ERP-REF-991');
    expect(order.customer.accountId).toBe('NW-01');
    expect(map(document).order.poNumber).toBeUndefined();
  });

  it('accepts amounts given as numbers (the v2 "Float, Float-As-String, Integer")', () => {
    const document = fixture('order-awaiting-fulfillment');
    Object.assign(document.products[1]!, { price_ex_tax: 225, total_tax: 18.1 });
    Object.assign(document.order, { shipping_cost_ex_tax: 12.5 });
    const { order } = map(document);
    expect(order.lines[1]).toMatchObject({ unitPrice: '225.0000', taxes: [{ name: 'Tax', amount: '18.10' }] });
    expect(order.charges?.[0]).toEqual({ type: 'shipping', amount: '12.50', description: 'Shipping' });
  });

  it('names every field of a document that cannot be mapped', () => {
    const result = bigcommerceChannel.mapOrder(fixture('order-unmappable'), createMappingContext({ channel: 'bc-us' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'order.date_created',
      'shippingAddresses[0].street_1',
      'products[0].quantity',
      'products[1].sku',
    ]);
  });

  it('refuses what is not an order document, without throwing', () => {
    for (const value of [null, 'x', { order: 'x' }, { products: [] }]) {
      const result = bigcommerceChannel.mapOrder(value, createMappingContext({ channel: 'bc-us' }));
      expect(result).toMatchObject({ ok: false, problems: [{ path: 'order' }] });
    }
    const empty = fixture('order-awaiting-fulfillment');
    empty.products = [];
    expect(bigcommerceChannel.mapOrder(empty, createMappingContext({ channel: 'bc-us' }))).toMatchObject({ ok: false, problems: [{ path: 'products' }] });
    const noId = fixture('order-awaiting-fulfillment');
    delete noId.order.id;
    expect(bigcommerceChannel.mapOrder(noId, createMappingContext({ channel: 'bc-us' }))).toMatchObject({ ok: false, problems: [{ path: 'order.id' }] });
  });

  it('identifies a document by order id and date_modified as ISO 8601', () => {
    expect(bigcommerceChannel.identify(fixture('order-awaiting-fulfillment'))).toEqual({ channelOrderId: '250', updatedAt: '2019-03-11T15:17:25.000Z' });
    expect(bigcommerceChannel.identify({ order: { id: 'x' } })).toBeUndefined();
  });
});
