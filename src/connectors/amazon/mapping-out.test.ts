import { describe, expect, it } from 'vitest';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { availabilityToPatch, carrierFields, packageReferenceId, shipmentToConfirmation } from './mapping-out.js';

const order: Order = {
  id: 'ord_1', version: 1, source: { system: 'amazon-us', id: '114-3941689-8772232' }, receivedAt: '2025-03-04T16:00:00.000Z',
  channel: 'amazon-us', channelOrderId: '114-3941689-8772232', orderedAt: '2025-03-04T15:12:09.000Z', currency: 'USD',
  customer: { accountId: 'C1' },
  shipTo: { name: 'A', line1: 'B', city: 'C', country: 'US' },
  lines: [
    { lineId: '58410387752211', sku: 'GLV-100', quantity: 20, uom: 'BX', unitPrice: '1.9990', attributes: { amazonQuantityOrdered: '2' } },
    { lineId: '58410387752299', sku: 'WIPES-80', quantity: 1, uom: 'EA', unitPrice: '45.00', attributes: { amazonQuantityOrdered: '1' } },
  ],
  payment: { status: 'paid' },
  attributes: { marketplaceId: 'ATVPDKIKX0DER' },
};

const shipment: ShipmentSubmission = {
  orderId: 'ord_1', shipmentId: 'SHP-2025-0001', shippedAt: '2025-03-05T10:00:00Z', carrier: 'ups', service: 'UPS Ground',
  tracking: [{ number: '1Z999AA10123456784' }, { number: '1Z999AA10123456785' }],
  lines: [{ lineId: '58410387752211', sku: 'GLV-100', quantity: 10 }, { sku: 'WIPES-80', quantity: 1 }],
};

describe('shipmentToConfirmation', () => {
  it('builds one package: Amazon order item ids, quantities back in Amazon units, the first tracking number', () => {
    const plan = shipmentToConfirmation(shipment, order, { carrierCodes: {}, marketplaceIds: ['A2EUQ1WTGCTBG2'] });
    expect(plan).toEqual({
      ok: true,
      amazonOrderId: '114-3941689-8772232',
      body: {
        marketplaceId: 'ATVPDKIKX0DER',
        packageDetail: {
          packageReferenceId: packageReferenceId('SHP-2025-0001'),
          carrierCode: 'UPS',
          shippingMethod: 'UPS Ground',
          trackingNumber: '1Z999AA10123456784',
          shipDate: '2025-03-05T10:00:00.000Z',
          orderItems: [{ orderItemId: '58410387752211', quantity: 1 }, { orderItemId: '58410387752299', quantity: 1 }],
        },
      },
    });
  });

  it('refuses a shipment without tracking, an unknown line or a part of an Amazon unit', () => {
    const settings = { carrierCodes: {}, marketplaceIds: ['ATVPDKIKX0DER'] };
    expect(shipmentToConfirmation({ ...shipment, tracking: [] }, order, settings)).toMatchObject({ ok: false, reason: expect.stringContaining('tracking') });
    expect(shipmentToConfirmation({ ...shipment, lines: [{ sku: 'NOPE', quantity: 1 }] }, order, settings)).toMatchObject({ ok: false, reason: expect.stringContaining('NOPE') });
    expect(shipmentToConfirmation({ ...shipment, lines: [{ lineId: '58410387752211', sku: 'GLV-100', quantity: 5 }] }, order, settings))
      .toMatchObject({ ok: false, reason: expect.stringContaining('whole number of Amazon units') });
  });
});

describe('packageReferenceId', () => {
  it('keeps a numeric shipment id and turns any other into the same positive number every time', () => {
    expect(packageReferenceId('4471')).toBe('4471');
    const id = packageReferenceId('SHP-2025-0001');
    expect(id).toMatch(/^[1-9]\d*$/);
    expect(packageReferenceId('SHP-2025-0001')).toBe(id);
    expect(packageReferenceId('SHP-2025-0002')).not.toBe(id);
    expect(packageReferenceId('0012')).toMatch(/^[1-9]\d*$/);
  });
});

describe('carrierFields', () => {
  it('uses the configured code, else a listed Amazon code, else Other with the carrier name', () => {
    expect(carrierFields('UPS Ground', { 'UPS Ground': 'UPS' })).toEqual({ carrierCode: 'UPS' });
    expect(carrierFields('fedex', {})).toEqual({ carrierCode: 'FedEx' });
    expect(carrierFields('Acme Freight', {})).toEqual({ carrierCode: 'Other', carrierName: 'Acme Freight' });
  });
});

describe('availabilityToPatch', () => {
  it('replaces the merchant-fulfilled quantity under the Amazon SellerSKU', () => {
    expect(availabilityToPatch({ sku: 'GLV-100', available: 37 }, { productType: 'PRODUCT', skus: { 'GLV-100': 'GLOVE-NIT-M' } })).toEqual({
      sellerSku: 'GLOVE-NIT-M',
      body: {
        productType: 'PRODUCT',
        patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 37 }] }],
      },
    });
    expect(availabilityToPatch({ sku: 'PEN-BLUE-12', available: 0 }, { productType: 'OFFICE_PRODUCTS', skus: {} }).sellerSku).toBe('PEN-BLUE-12');
  });
});
