import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import type { MappingResult } from '../../channels/types.js';
import { amazonOrderToOrder, identifyAmazonOrder } from './mapping.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const ctx = createMappingContext({ channel: 'amazon-us' });

function mapped(result: MappingResult) {
  if (!result.ok) throw new Error(`expected a mapped order, got ${JSON.stringify(result.problems)}`);
  expect(submissionProblems(result.order)).toEqual([]);
  return result;
}

describe('amazonOrderToOrder', () => {
  it('maps a seller-fulfilled Amazon Business order with its restricted buyer data and address', () => {
    const { order, warnings } = mapped(amazonOrderToOrder(fixture('order-mfn-business'), ctx));
    expect(warnings).toEqual([]);
    expect(order).toMatchObject({
      channel: 'amazon-us',
      channelOrderId: '114-3941689-8772232',
      orderNumber: '114-3941689-8772232',
      poNumber: 'PO-55120',
      orderedAt: '2025-03-04T15:12:09.000Z',
      channelUpdatedAt: '2025-03-04T15:45:31.000Z',
      currency: 'USD',
      fulfilledBy: 'merchant',
      payment: { status: 'paid', method: 'Invoice', reference: '114-3941689-8772232' },
      customer: {
        accountId: 'email:8x2kq9lzm4v0t1w@marketplace.amazon.com',
        name: 'Dana Whitfield',
        email: '8x2kq9lzm4v0t1w@marketplace.amazon.com',
        company: 'Northwind Clinics LLC',
        business: true,
      },
      shipTo: {
        name: 'Receiving Dock 4',
        company: 'Northwind Clinics LLC',
        line1: '2201 Westlake Ave',
        line2: 'Building B, Suite 400',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98121-2778',
        country: 'US',
        phone: '+1 206-555-0142',
      },
    });
    expect(order.cancellation).toBeUndefined();
    expect(order.attributes).toMatchObject({
      marketplaceId: 'ATVPDKIKX0DER',
      salesChannel: 'Amazon.com',
      earliestShipDate: '2025-03-05T08:00:00Z',
      latestShipDate: '2025-03-06T07:59:59Z',
      addressType: 'Commercial',
      orderStatus: 'Unshipped',
    });
  });

  it('divides ItemPrice (the whole quantity) by the quantity and nets item taxes and promotions per line', () => {
    const { order } = mapped(amazonOrderToOrder(fixture('order-mfn-business'), ctx));
    expect(order.lines).toEqual([
      {
        lineId: '58410387752211',
        sku: 'GLOVE-NIT-M',
        description: 'Nitrile Exam Gloves, Medium, Box of 100',
        quantity: 2,
        uom: 'EA',
        unitPrice: '19.99',
        discount: '5.00',
        taxes: [{ name: 'Item tax', amount: '3.50' }],
        attributes: { amazonQuantityOrdered: '2', asin: 'B07QXV6N1B', condition: 'New' },
      },
      {
        lineId: '58410387752299',
        sku: 'SANI-WIPE-80',
        description: 'Surface Sanitizing Wipes, 80 count',
        quantity: 1,
        uom: 'EA',
        unitPrice: '45.00',
        taxes: [{ name: 'Item tax', amount: '4.50' }],
        attributes: {
          amazonQuantityOrdered: '1', asin: 'B08L5M9C2T', gift: 'true', giftMessage: 'For the front desk team',
          giftWrapLevel: 'Classic', condition: 'New',
        },
      },
    ]);
  });

  it('sums shipping, shipping discounts, gift wrap and their taxes over the items into order charges and taxes', () => {
    const { order } = mapped(amazonOrderToOrder(fixture('order-mfn-business'), ctx));
    expect(order.charges).toEqual([
      { type: 'shipping', amount: '8.00' },
      { type: 'discount', amount: '3.00', description: 'Shipping discount' },
      { type: 'fee', amount: '2.99', description: 'Gift wrap' },
    ]);
    expect(order.taxes).toEqual([
      { name: 'Shipping tax', amount: '0.50' },
      { name: 'Gift wrap tax', amount: '0.30' },
    ]);
  });

  it('resolves SellerSKU (then the ASIN) through the cross-references and undoes a pack factor in the price', () => {
    const packs = createMappingContext({
      channel: 'amazon-us',
      skus: { 'GLOVE-NIT-M': { sku: 'GLV-100', uom: 'BX', factor: 10 }, 'asin:B08L5M9C2T': 'WIPES-80' },
      customers: { 'company:Northwind Clinics LLC': 'C-NORTHWIND' },
    });
    const { order } = mapped(amazonOrderToOrder(fixture('order-mfn-business'), packs));
    expect(order.customer.accountId).toBe('C-NORTHWIND');
    expect(order.lines[0]).toMatchObject({ sku: 'GLV-100', uom: 'BX', quantity: 20, unitPrice: '1.9990', channelSku: 'GLOVE-NIT-M' });
    expect(order.lines[1]).toMatchObject({ sku: 'WIPES-80', quantity: 1, channelSku: 'SANI-WIPE-80' });
  });

  it('records an AFN order as fulfilled by the channel, with placeholders for the address Amazon withholds', () => {
    const { order, warnings } = mapped(amazonOrderToOrder(fixture('order-afn-shipped'), ctx));
    expect(order.fulfilledBy).toBe('channel');
    expect(order.currency).toBe('EUR');
    expect(order.orderedAt).toBe('2025-02-11T09:30:00.123Z');
    expect(order.shipTo).toEqual({ name: '(withheld by Amazon)', line1: '(withheld by Amazon)', city: 'Berlin', postalCode: '10115', country: 'DE' });
    expect(warnings).toEqual(['ShippingAddress Name, AddressLine1 withheld by Amazon: placeholders used (fulfilled by Amazon)']);
    // No SellerSKU: the ASIN is the key; no buyer info: the marketplace is the last customer key.
    expect(order.lines).toEqual([expect.objectContaining({ sku: 'asin:B0C1ZQ7H4P', quantity: 2, unitPrice: '10.00', taxes: [{ name: 'Item tax', amount: '3.80' }] })]);
    expect(order.customer).toEqual({ accountId: 'amazon-marketplace:A1PA6795UKMFR9', business: false });
    expect(order.payment.status).toBe('paid');
  });

  it('refuses a seller-fulfilled order without the restricted address, naming each missing field', () => {
    const result = amazonOrderToOrder(fixture('order-mfn-without-restricted-data'), ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['order.ShippingAddress.Name', 'order.ShippingAddress.AddressLine1']);
    expect(result.problems[0]!.message).toContain('useRestrictedDataToken');
  });

  it('maps a cancelled order (no address, QuantityOrdered 0) with its cancellation and a voided payment', () => {
    const { order, warnings } = mapped(amazonOrderToOrder(fixture('order-canceled'), ctx));
    expect(order.cancellation).toEqual({ at: '2025-03-02T08:15:03.000Z', reason: 'buyer requested: Found cheaper somewhere else.' });
    expect(order.payment.status).toBe('voided');
    expect(order.shipTo).toMatchObject({ name: '(withheld by Amazon)', city: '(withheld by Amazon)', country: 'US' });
    expect(order.lines).toEqual([expect.objectContaining({ lineId: '77201938475021', sku: 'GLOVE-NIT-M', quantity: 1, unitPrice: '0.00' })]);
    expect(order.lines[0]!.attributes).toMatchObject({ cancelledLine: 'true', buyerRequestedCancel: 'Found cheaper somewhere else.' });
    expect(warnings).toContain('order cancelled at Amazon: items report QuantityOrdered 0, lines kept as 1 unit at 0.00 to carry the cancellation');
  });

  it('drops a line cancelled at Amazon (QuantityOrdered 0) with a warning and keeps the rest', () => {
    const { order, warnings } = mapped(amazonOrderToOrder(fixture('order-partly-cancelled'), ctx));
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0]).toMatchObject({ lineId: '11119999000011', sku: 'PEN-BLUE-12', quantity: 3, unitPrice: '10.00' });
    expect(warnings).toEqual(['items[1]: QuantityOrdered is 0 (line cancelled at Amazon), dropped']);
    expect(order.currency).toBe('CAD');
    expect(order.shipTo).toMatchObject({ name: 'Marie Tremblay', city: 'Montréal', country: 'CA' });
    expect(order.customer).toMatchObject({ accountId: 'email:q1w2e3r4t5y6u7i@marketplace.amazon.ca', name: 'Marie Tremblay' });
  });

  it('keeps a 4-place unit price when the whole-quantity price does not divide evenly', () => {
    const doc = fixture('order-partly-cancelled') as { items: { ItemPrice: { Amount: string } }[] };
    doc.items[0]!.ItemPrice.Amount = '10.00';
    const { order } = mapped(amazonOrderToOrder(doc, ctx));
    expect(order.lines[0]!.unitPrice).toBe('3.3333');
  });

  it('refuses a Pending order: Amazon has not released its prices or address yet', () => {
    const result = amazonOrderToOrder(fixture('order-pending'), ctx);
    expect(result).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ path: 'order.OrderStatus' })]) });
  });

  it('names every problem of an unmappable document by its path', () => {
    const result = amazonOrderToOrder(fixture('order-unmappable'), ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'order.AmazonOrderId',
      'order.PurchaseDate',
      'items[0].QuantityOrdered',
      'items[1].OrderItemId',
      'items[1].ItemPrice.Amount',
    ]);
  });

  it('refuses a document that is not { order, items } without throwing', () => {
    expect(amazonOrderToOrder(null, ctx)).toMatchObject({ ok: false, problems: [{ path: 'order' }] });
    expect(amazonOrderToOrder({ order: {} }, ctx)).toMatchObject({ ok: false, problems: [{ path: 'items' }] });
  });

  it('warns when OrderTotal differs from what the items add up to', () => {
    const doc = fixture('order-mfn-business') as { order: { OrderTotal: { Amount: string } } };
    doc.order.OrderTotal.Amount = '90.00';
    const { warnings } = mapped(amazonOrderToOrder(doc, ctx));
    expect(warnings).toEqual(['OrderTotal 90.00 differs from the items\' sum 96.77']);
  });
});

describe('identifyAmazonOrder', () => {
  it('reads AmazonOrderId and LastUpdateDate from a document or a bare order', () => {
    expect(identifyAmazonOrder(fixture('order-afn-shipped'))).toEqual({ channelOrderId: '028-1520447-3102734', updatedAt: '2025-02-12T17:02:44.000Z' });
    expect(identifyAmazonOrder({ AmazonOrderId: 'X', LastUpdateDate: '2025-01-01T00:00:00Z' })).toEqual({ channelOrderId: 'X', updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(identifyAmazonOrder({ order: { AmazonOrderId: 'X' } })).toBeUndefined();
  });
});
