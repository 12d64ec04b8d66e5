import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrderSubmission } from '../../canonical/order.js';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import type { MappingResult } from '../../channels/types.js';
import { shopifyChannel } from './index.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const ctx = createMappingContext({
  channel: 'shopify-us',
  skus: { IPOD2008GREEN: 'NANO-GREEN', 'variant:49148385': { sku: 'NANO-RED-2PK', uom: 'PK', factor: 2 } },
  customers: { 'company:426793626': 'ACME-001', 'customer:207119551': 'C-207' },
  defaultCustomer: 'WEB-RETAIL',
});

function mapped(name: string, document: unknown = fixture(name)): { order: OrderSubmission; warnings: string[] } {
  const result: MappingResult = shopifyChannel.mapOrder(document, ctx);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.problems)}`);
  expect(submissionProblems(result.order)).toEqual([]);
  return result;
}

describe('Shopify order mapping', () => {
  it('maps a paid web order: lines, cross-referenced SKUs, discounts, taxes, shipping, addresses and notes', () => {
    const { order, warnings } = mapped('order-basic.json');
    expect(warnings).toEqual([]);
    expect(order).toMatchObject({
      channel: 'shopify-us', channelOrderId: '450789469', orderNumber: '#1001', orderedAt: '2025-01-23T09:10:15-05:00',
      channelUpdatedAt: '2025-01-23T09:12:40-05:00', currency: 'USD', notes: 'Leave at the back door',
      attributes: { gift_message: 'Happy birthday', delivery_window: 'AM' },
      customer: { accountId: 'C-207', name: 'Bob Norman', email: 'Bob.Norman@mail.example.com' },
      shipTo: { name: 'Bob Norman', line1: 'Chestnut Street 92', line2: 'Apartment 2', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '+1 555-625-1199' },
      payment: { status: 'paid', method: 'shopify_payments' },
      charges: [{ type: 'shipping', amount: '10.00', description: 'Free Shipping' }],
      taxes: [{ name: 'KY State Tax', amount: '11.40', rate: '0.06' }],
    });
    expect(order.presentment).toBeUndefined();
    expect(order.cancellation).toBeUndefined();
    expect(order.lines).toEqual([
      {
        lineId: '466157049', sku: 'NANO-GREEN', channelSku: 'IPOD2008GREEN', quantity: 1, uom: 'EA', unitPrice: '150.00',
        description: 'IPod Nano - 8gb - green', discount: '15.00', taxes: [{ name: 'KY State Tax', amount: '8.10', rate: '0.06' }],
        attributes: { Engraving: 'For Alice' },
      },
      {
        // A 2-pack cross-reference: 2 channel units are 4 crossdock units at half the price each.
        lineId: '518995019', sku: 'NANO-RED-2PK', channelSku: 'IPOD2008RED', quantity: 4, uom: 'PK', unitPrice: '12.5000',
        description: 'IPod Nano - 8gb - red', discount: '5.00', taxes: [{ name: 'KY State Tax', amount: '2.70', rate: '0.06' }],
      },
    ]);
  });

  it('reads the order id and modification time for polling and crossdock map', () => {
    expect(shopifyChannel.identify(fixture('order-basic.json'))).toEqual({ channelOrderId: '450789469', updatedAt: '2025-01-23T09:12:40-05:00' });
    expect(shopifyChannel.identify({ id: 'x' })).toBeUndefined();
  });

  it('uses current_quantity after an edit and drops a removed line with a warning, prorating the discount', () => {
    const { order, warnings } = mapped('order-edited.json');
    expect(order.lines.map((l) => [l.lineId, l.quantity, l.discount])).toEqual([
      ['466157049', 1, '15.00'],
      ['518995019', 2, '2.50'], // 1 of 2 left, 2 units per channel unit; half of the 5.00 discount
    ]);
    expect(order.lines[1]!.taxes).toEqual([{ name: 'KY State Tax', amount: '1.35', rate: '0.06' }]);
    expect(warnings).toEqual([expect.stringContaining('line_items[2] (IPod Nano - 8gb - black) dropped')]);
  });

  it('without current_quantity, subtracts refunded line quantities; partially_refunded counts as paid', () => {
    const { order } = mapped('order-refunds.json');
    expect(order.lines.map((l) => [l.lineId, l.quantity])).toEqual([['466157049', 1], ['518995019', 2]]);
    expect(order.payment.status).toBe('paid');
  });

  it('maps a B2B order: company key first, PO number, presentment currency, variant key for an empty SKU, custom item, unallocated discount', () => {
    const { order, warnings } = mapped('order-b2b-presentment.json');
    expect(order.customer).toEqual({ accountId: 'ACME-001', name: 'Bob Norman', email: 'Bob.Norman@mail.example.com', company: 'Acme Retail Inc.', business: true });
    expect(order.poNumber).toBe('PO-77812');
    expect(order.currency).toBe('USD');
    expect(order.presentment).toEqual({ currency: 'EUR', total: '186.20' });
    expect(order.payment.status).toBe('authorized');
    expect(order.shipTo).toMatchObject({ name: 'Receiving Dock', company: 'Acme Retail Inc.' });
    expect(order.lines[1]).toMatchObject({ sku: 'NANO-RED-2PK', channelSku: 'variant:49148385' });
    expect(order.lines[2]).toMatchObject({ lineId: '1071823177', sku: 'custom:Assembly service', quantity: 1, unitPrice: '12.00' });
    // total_discounts 32.00 = 20.00 on lines + 10.00 on shipping + 2.00 allocated nowhere.
    expect(order.charges).toEqual([
      { type: 'shipping', amount: '0.00', description: 'Free Shipping' },
      { type: 'discount', amount: '-2.00', description: 'Order discount (TENOFF)' },
    ]);
    expect(warnings).toEqual([
      expect.stringContaining('custom item'),
      expect.stringContaining('taxes_included'),
    ]);
  });

  it('ships a gift-card-only order to the billing address, flags gift card lines and reads the gift card payment from transactions', () => {
    const { order, warnings } = mapped('order-gift-card.json');
    expect(order.lines).toEqual([
      { lineId: '1071823178', sku: 'variant:39072999', quantity: 2, uom: 'EA', unitPrice: '50.00', description: 'Gift card - $50', giftCard: true },
    ]);
    expect(order.shipTo).toMatchObject({ name: 'Bob Norman', line1: 'Chestnut Street 92', country: 'US' });
    expect(order.payment).toEqual({ status: 'paid', method: 'gift_card+shopify_payments', giftCardAmount: '30.00' });
    expect(warnings).toEqual([expect.stringContaining('no shipping_address')]);
  });

  it('marks the gift card method and warns when the payload has no transactions', () => {
    const document = { ...fixture('order-gift-card.json'), transactions: undefined };
    const { order, warnings } = mapped('order-gift-card.json', document);
    expect(order.payment).toEqual({ status: 'paid', method: 'gift_card+shopify_payments' });
    expect(warnings).toContainEqual(expect.stringContaining('gift card, amount unknown'));
  });

  it('keeps a cancelled, fully refunded order bookable: cancellation set, lines at their ordered quantities', () => {
    const { order, warnings } = mapped('order-cancelled.json');
    expect(order.cancellation).toEqual({ at: '2025-01-23T12:00:00-05:00', reason: 'customer' });
    expect(order.payment.status).toBe('refunded');
    expect(order.lines.map((l) => l.quantity)).toEqual([1, 4]);
    expect(warnings).toEqual([expect.stringContaining('cancelled order')]);
  });

  it('maps every documented financial_status', () => {
    const statuses = { pending: 'pending', authorized: 'authorized', partially_paid: 'partially_paid', paid: 'paid', partially_refunded: 'paid', refunded: 'refunded', voided: 'voided', expired: 'voided' };
    for (const [shopify, canonical] of Object.entries(statuses)) {
      expect(mapped('order-basic.json', { ...fixture('order-basic.json'), financial_status: shopify }).order.payment.status).toBe(canonical);
    }
    const unknown = mapped('order-basic.json', { ...fixture('order-basic.json'), financial_status: 'mystery' });
    expect(unknown.order.payment.status).toBe('pending');
    expect(unknown.warnings).toContainEqual(expect.stringContaining('mystery'));
  });

  it('names every field it cannot map instead of throwing', () => {
    const result = shopifyChannel.mapOrder(fixture('order-unmappable.json'), ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual(['id', 'line_items[0].quantity', 'line_items[1].price', 'shipping_address']);
    expect(shopifyChannel.mapOrder('not an order', ctx)).toEqual({ ok: false, problems: [{ path: '', message: expect.any(String) }] });
    const noLines = shopifyChannel.mapOrder({ ...fixture('order-basic.json'), line_items: [] }, ctx);
    expect(noLines).toEqual({ ok: false, problems: [{ path: 'line_items', message: 'the order has no line items' }] });
    const badAddress = shopifyChannel.mapOrder({ ...fixture('order-basic.json'), shipping_address: { name: 'X', country_code: 'USA' } }, ctx);
    expect(badAddress.ok ? [] : badAddress.problems.map((p) => p.path)).toEqual(['shipping_address.address1', 'shipping_address.city', 'shipping_address.country_code']);
  });

  it('falls back to the email key and the default account for a guest checkout', () => {
    const guest = { ...fixture('order-basic.json'), customer: null };
    expect(mapped('order-basic.json', guest).order.customer.accountId).toBe('WEB-RETAIL');
    const byEmail = createMappingContext({ channel: 'shopify-us', customers: { 'email:bob.norman@mail.example.com': 'BOB' } });
    const result = shopifyChannel.mapOrder(guest, byEmail);
    expect(result.ok && result.order.customer.accountId).toBe('BOB');
  });
});
