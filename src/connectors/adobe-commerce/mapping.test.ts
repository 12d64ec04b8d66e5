import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext, type MappingContextOptions } from '../../channels/mapping-context.js';
import type { MappingResult } from '../../channels/types.js';
import type { OrderSubmission } from '../../canonical/order.js';
import { fixture } from './fixtures/load.js';
import { adobeCommerceOrderToOrder, identifyAdobeCommerceOrder } from './mapping.js';

const context = (options: Partial<MappingContextOptions> = {}) => createMappingContext({ channel: 'magento-us', defaultCustomer: 'WEB-RETAIL', ...options });

function mapped(result: MappingResult): { order: OrderSubmission; warnings: string[] } {
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  expect(submissionProblems(result.order)).toEqual([]);
  return result;
}

describe('adobeCommerceOrderToOrder', () => {
  it('maps a guest order: ids, times, addresses, line discounts and taxes, the shipping discount, applied taxes and notes', () => {
    const { order, warnings } = mapped(adobeCommerceOrderToOrder(fixture('order-guest-simple'), context()));
    expect(warnings).toEqual([]);
    expect(order).toMatchObject({
      channel: 'magento-us',
      channelOrderId: '1001',
      orderNumber: '000000101',
      orderedAt: '2024-05-01T10:15:22Z',
      channelUpdatedAt: '2024-05-01T10:15:24Z',
      currency: 'USD',
      customer: { accountId: 'WEB-RETAIL', name: 'Guest Buyer', email: 'Guest.Buyer@example.com' },
      payment: { status: 'pending', method: 'checkmo' },
      attributes: { state: 'new', status: 'pending', storeId: '1', shippingMethod: 'flatrate_flatrate' },
    });
    expect(order.shipTo).toEqual({
      name: 'Guest Buyer', line1: '6146 Honey Bluff Parkway', line2: 'Suite 200', city: 'Calder', region: 'MI',
      postalCode: '49628-7978', country: 'US', phone: '(555) 229-3326', email: 'Guest.Buyer@example.com',
    });
    expect(order.billTo).toMatchObject({ name: 'Guest Buyer', line1: '1 Market Street', city: 'Austin', region: 'TX' });
    expect(order.lines).toEqual([
      { lineId: '11', sku: '24-MB01', description: 'Joust Duffle Bag', quantity: 2, uom: 'EA', unitPrice: '34', discount: '6.8', taxes: [{ name: 'Tax', amount: '5.05', rate: '8.25' }] },
      { lineId: '12', sku: '24-UG06', description: 'Affirm Water Bottle', quantity: 1, uom: 'EA', unitPrice: '7', discount: '0.7', taxes: [{ name: 'Tax', amount: '0.52', rate: '8.25' }] },
    ]);
    // discount_amount -9 = item discounts 7.5 + 1.5 on shipping: only the shipping part is a charge.
    expect(order.charges).toEqual([
      { type: 'shipping', amount: '15', description: 'Flat Rate - Fixed' },
      { type: 'discount', amount: '-1.5', description: 'SPRING10' },
    ]);
    expect(order.taxes).toEqual([{ name: 'US-TX-*-Rate 1', amount: '5.57', rate: '8.25' }]);
    expect(order.notes).toBe('Please leave at the back door.\nCustomer asked for a gift receipt.');
    expect(order.cancellation).toBeUndefined();
  });

  it('keys a guest by lower-cased e-mail, then customer group', () => {
    const byEmail = mapped(adobeCommerceOrderToOrder(fixture('order-guest-simple'), context({ customers: { 'email:guest.buyer@example.com': 'C-GUEST', 'group:0': 'C-GROUP0' } })));
    expect(byEmail.order.customer.accountId).toBe('C-GUEST');
    const byGroup = mapped(adobeCommerceOrderToOrder(fixture('order-guest-simple'), context({ customers: { 'customer:5': 'NO', 'group:0': 'C-GROUP0' } })));
    expect(byGroup.order.customer.accountId).toBe('C-GROUP0');
  });

  it('ships a configurable product as ONE line: the simple SKU, the parent price, quantity and tax, the parent item id', () => {
    const ctx = context({ skus: { 'product:56': 'HOODIE-M-ORANGE' }, customers: { 'customer:5': 'C-0005' } });
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-configurable'), ctx));
    expect(order.lines).toEqual([
      {
        lineId: '21', sku: 'HOODIE-M-ORANGE', channelSku: 'MH01-M-Orange', description: 'Chaz Kangeroo Hoodie-M-Orange', quantity: 2, uom: 'EA',
        unitPrice: '52', taxes: [{ name: 'Tax', amount: '8.58', rate: '8.25' }], attributes: { productType: 'configurable', childItemId: '22' },
      },
      { lineId: '23', sku: '24-WG085', description: 'Sprite Yoga Strap 6 foot', quantity: 1, uom: 'EA', unitPrice: '14', taxes: [{ name: 'Tax', amount: '1.16', rate: '8.25' }] },
    ]);
    expect(order.customer).toEqual({ accountId: 'C-0005', name: 'Veronica Costello', email: 'roni_cost@example.com' });
    expect(order.payment).toEqual({ status: 'paid', method: 'stripe_payments', reference: 'pi_3P0xYz2eZvKYlo2C' });
    expect(order.charges).toEqual([{ type: 'shipping', amount: '10', description: 'Best Way - Table Rate' }]);
    expect(order.taxes).toEqual([{ name: 'Tax', amount: '9.74' }]);
  });

  it('converts channel units with the cross-reference factor (quantity × factor, price ÷ factor)', () => {
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-configurable'), context({ skus: { '24-WG085': { sku: 'STRAP-EA', uom: 'EA', factor: 4 } } })));
    expect(order.lines[1]).toMatchObject({ sku: 'STRAP-EA', channelSku: '24-WG085', quantity: 4, unitPrice: '3.5', attributes: { channelFactor: '4' } });
  });

  it('ships the children of a dynamic-price bundle, each with its own price, discount and tax', () => {
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-bundle-dynamic'), context()));
    const bundle = { productType: 'bundle-item', bundleItemId: '31', bundleSku: '24-WG080' };
    expect(order.lines).toEqual([
      { lineId: '32', sku: '24-WG081-blue', description: 'Sprite Stasis Ball 55 cm', quantity: 1, uom: 'EA', unitPrice: '23', taxes: [{ name: 'Tax', amount: '1.9', rate: '8.25' }], attributes: bundle },
      { lineId: '33', sku: '24-WG084', description: 'Sprite Foam Yoga Brick', quantity: 2, uom: 'EA', unitPrice: '5', discount: '1', taxes: [{ name: 'Tax', amount: '0.74', rate: '8.25' }], attributes: bundle },
    ]);
    // The whole order discount is on the brick line: no discount charge left over.
    expect(order.charges).toEqual([{ type: 'shipping', amount: '5', description: 'Flat Rate - Fixed' }]);
  });

  it('puts a fixed-price bundle\'s price, discount and tax on its first child and 0 on the others', () => {
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-bundle-fixed'), context()));
    const bundle = { productType: 'bundle-item', bundleItemId: '41', bundleSku: '24-WG080-FIXED' };
    expect(order.lines).toEqual([
      { lineId: '42', sku: '24-WG081-blue', description: 'Sprite Stasis Ball 55 cm', quantity: 2, uom: 'EA', unitPrice: '61', discount: '12.2', taxes: [{ name: 'Tax', amount: '9.06', rate: '8.25' }], attributes: bundle },
      { lineId: '43', sku: '24-WG084', description: 'Sprite Foam Yoga Brick', quantity: 4, uom: 'EA', unitPrice: '0', attributes: bundle },
    ]);
    expect(order.charges).toEqual([{ type: 'shipping', amount: '10', description: 'Flat Rate - Fixed' }]);
  });

  it('divides a fixed bundle price by the first child\'s quantity per bundle, keeping the total', () => {
    const document = fixture('order-bundle-fixed');
    const [parent, ball, brick] = document.items as unknown[];
    document.items = [parent, brick, ball];
    const { order } = mapped(adobeCommerceOrderToOrder(document, context()));
    // 2 bundles × 2 bricks: 61 per bundle → 30.5 per brick; 4 × 30.5 = 2 × 61.
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['24-WG084', 4, '30.5'], ['24-WG081-blue', 2, '0']]);
  });

  it('keeps virtual and downloadable items with a warning, drops a line cancelled to 0, deducts refunds not shipped', () => {
    const { order, warnings } = mapped(adobeCommerceOrderToOrder(fixture('order-virtual-cancelled-refunded'), context()));
    expect(order.lines.map((l) => [l.lineId, l.sku, l.quantity, l.unitPrice])).toEqual([
      ['51', '240-LV06', 1, '22'],
      ['52', 'WARRANTY-2Y', 1, '9'],
      ['54', '24-MB02', 2, '59'],
    ]);
    expect(warnings).toEqual([
      'items[0].sku: 240-LV06 is a downloadable product (nothing to ship); line kept',
      'items[1].sku: WARRANTY-2Y is a virtual product (nothing to ship); line kept',
      'items[2].qty_canceled: 24-MB04 is cancelled or refunded in full; line dropped',
    ]);
    // 287 grand total − 64 cancelled = 223 due, all captured; the 59 refund is less than that.
    expect(order.payment.status).toBe('paid');
  });

  it('never counts a refund after shipping against the quantity', () => {
    const document = fixture('order-virtual-cancelled-refunded');
    const items = document.items as Record<string, unknown>[];
    items[3] = { ...items[3], qty_shipped: 3 };
    const { order } = mapped(adobeCommerceOrderToOrder(document, context()));
    expect(order.lines.find((l) => l.lineId === '54')?.quantity).toBe(3);
  });

  it('books base-currency amounts, keeps the buyer\'s currency total as presentment, and reads gift cards', () => {
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-multicurrency-giftcard'), context()));
    expect(order.currency).toBe('USD');
    expect(order.presentment).toEqual({ currency: 'EUR', total: '46.42' });
    expect(order.lines).toEqual([
      { lineId: '61', sku: '24-MB01', description: 'Joust Duffle Bag', quantity: 1, uom: 'EA', unitPrice: '34', taxes: [{ name: 'Tax', amount: '6.46', rate: '19' }] },
    ]);
    expect(order.charges).toEqual([{ type: 'shipping', amount: '10', description: 'Flat Rate - Fixed' }]);
    expect(order.taxes).toEqual([{ name: 'MwSt. 19%', amount: '6.46', rate: '19' }]);
    // 29.37 captured by PayPal + 21.09 on the gift card = the 50.46 base grand total.
    expect(order.payment).toEqual({ status: 'paid', method: 'paypal_express', reference: '8AB12345CD678901E', giftCardAmount: '21.09' });
    expect(order.shipTo).toMatchObject({ line1: 'Friedrichstraße 123', line2: 'Hinterhaus, 3. OG', country: 'DE', region: 'BER' });
  });

  it('reads the purchase order number of the purchaseorder method, keys by customer group, and warns of a hold', () => {
    const { order, warnings } = mapped(adobeCommerceOrderToOrder(fixture('order-purchase-order-holded'), context({ customers: { 'group:2': 'B2B-WHOLESALE' } })));
    expect(order.poNumber).toBe('PO-88231');
    expect(order.payment).toEqual({ status: 'on_account', method: 'purchaseorder', reference: 'PO-88231' });
    expect(order.customer).toEqual({ accountId: 'B2B-WHOLESALE', name: 'Ada Buyer', email: 'purchasing@acme.example', company: 'Acme Fitness Inc.' });
    expect(order.shipTo).toMatchObject({ name: 'Receiving Dock 4', company: 'Acme Fitness Inc.', line1: '400 Industrial Way' });
    expect(order.charges).toBeUndefined();
    expect(order.attributes).toMatchObject({ state: 'holded', status: 'holded', shippingMethod: 'freeshipping_freeshipping' });
    expect(warnings).toEqual(['state: the order is on hold in Adobe Commerce (status holded)']);
    expect(order.notes).toBe('Held until the credit check clears.');
  });

  it('maps a cancelled order with its lines as ordered and the cancellation comment as reason', () => {
    const { order } = mapped(adobeCommerceOrderToOrder(fixture('order-canceled'), context()));
    expect(order.cancellation).toEqual({ at: '2024-05-09T15:42:10Z', reason: 'Customer changed their mind.' });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([['24-MB01', 1]]);
    expect(order.payment.status).toBe('voided');
  });

  it('refuses a document it cannot map, naming each field', () => {
    const result = adobeCommerceOrderToOrder(fixture('order-unmappable'), context());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const address = 'extension_attributes.shipping_assignments[0].shipping.address';
    expect(result.problems.map((p) => p.path)).toEqual(['entity_id', 'items[0].qty_ordered', `${address}.street`, `${address}.country_id`]);
  });

  it('refuses an order whose every item was cancelled while the order stays open, and anything not an object', () => {
    const document = fixture('order-guest-simple');
    document.items = (document.items as Record<string, unknown>[]).map((item) => ({ ...item, qty_canceled: item.qty_ordered }));
    const result = adobeCommerceOrderToOrder(document, context());
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'items' }] });
    expect(adobeCommerceOrderToOrder([], context())).toMatchObject({ ok: false, problems: [{ path: '' }] });
    expect(adobeCommerceOrderToOrder({ ...document, items: 'x' }, context())).toMatchObject({ ok: false });
  });

  it('uses the billing address as ship-to for an order without a shipping assignment, with a warning', () => {
    const document = fixture('order-guest-simple');
    document.extension_attributes = {};
    const { order, warnings } = mapped(adobeCommerceOrderToOrder(document, context()));
    expect(order.shipTo).toMatchObject({ line1: '1 Market Street', city: 'Austin' });
    expect(warnings[0]).toContain('no shipping address');
  });
});

describe('identifyAdobeCommerceOrder', () => {
  it('reads entity_id and updated_at as an ISO time', () => {
    expect(identifyAdobeCommerceOrder(fixture('order-configurable'))).toEqual({ channelOrderId: '1002', updatedAt: '2024-05-02T08:01:10Z' });
    expect(identifyAdobeCommerceOrder(fixture('order-unmappable'))).toBeUndefined();
    expect(identifyAdobeCommerceOrder('nope')).toBeUndefined();
  });
});
