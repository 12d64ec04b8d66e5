import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { InvoiceSubmission } from '../../canonical/invoice.js';
import type { Order } from '../../canonical/order.js';
import { ShipmentSubmission } from '../../canonical/shipment.js';
import { decodeTryton } from './codec.js';
import {
  addressValues,
  customerFromParty,
  findMatchingAddress,
  invoiceFromTryton,
  itemFromProduct,
  locationOf,
  moneyText,
  productCodeOf,
  saleValues,
  shipmentsFromTryton,
  skuOf,
  stockLevel,
  uomOf,
  unitSymbolOf,
  type SaleReferences,
} from './mapping.js';
import {
  expectRecords,
  TrytonAddress,
  TrytonInvoice,
  TrytonInvoiceLine,
  TrytonMove,
  TrytonParty,
  TrytonProduct,
  TrytonQuantities,
  TrytonShipment,
  type TrytonMove as Move,
} from './records.js';
import type { TrytonRecord } from './rpc.js';
import { trytonSettings, type TrytonSettings } from './settings.js';

/** The decoded `result` of a recorded Tryton answer, checked against the shape the connector expects. */
function fixture<S extends TSchema>(name: string, schema: S) {
  const recorded = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { result: unknown };
  return expectRecords(schema, decodeTryton(recorded.result) as TrytonRecord[], name);
}

const settings = (overrides: Partial<TrytonSettings> = {}): TrytonSettings =>
  trytonSettings({ url: 'http://tryton', database: 'db', user: 'admin', password: 'admin', ...overrides });

const products = fixture('products', TrytonProduct);
const product = (code: string) => products.find((p) => p.code === code)!;

describe('codes in both directions', () => {
  it('maps SKUs to product codes and back, unmapped ones unchanged', () => {
    const s = settings({ skus: { 'JACK-BLUE': 'SKU-1' } });
    expect(productCodeOf(s, 'JACK-BLUE')).toBe('SKU-1');
    expect(productCodeOf(s, 'WRAP-KG')).toBe('WRAP-KG');
    expect(skuOf(s, 'SKU-1')).toBe('JACK-BLUE');
    expect(skuOf(s, 'WRAP-KG')).toBe('WRAP-KG');
  });

  it('maps units through the defaults merged with the settings, and back', () => {
    const s = settings({ units: { CS: 'c' } });
    expect(unitSymbolOf(s, 'EA')).toBe('u');
    expect(unitSymbolOf(s, 'CS')).toBe('c');
    expect(uomOf(s, 'u')).toBe('EA');
    expect(uomOf(s, 'kg')).toBe('KG');
    expect(uomOf(s, 'c')).toBe('CS');
    // A Tryton unit nobody mapped keeps its symbol, upper-cased as crossdock writes unit codes.
    expect(uomOf(s, 'wd')).toBe('WD');
  });

  it('maps warehouses to locations only when mapped', () => {
    expect(locationOf(settings({ warehouses: { WH: 'MAIN' } }), 'WH')).toBe('MAIN');
    expect(locationOf(settings(), 'EAST')).toBe('EAST');
  });

  it('writes Tryton numerics as money', () => {
    expect(moneyText('100.0000')).toBe('100.00');
    expect(moneyText('0')).toBe('0.00');
    expect(moneyText('12.345')).toBe('12.345');
    expect(moneyText('-5.5')).toBe('-5.50');
    expect(moneyText('-0.000')).toBe('0.00');
  });
});

describe('master data', () => {
  it('reads a customer from a party: receivable as balance, no credit limit', () => {
    const [party] = fixture('party', TrytonParty);
    expect(customerFromParty('acme', party!, 'USD')).toEqual({
      accountId: 'acme', name: 'Acme Retail', currency: 'USD', creditLimit: null, balance: '513.00', onHold: false,
    });
    expect(customerFromParty('acme', { ...party!, receivable: null }, 'USD').balance).toBe('0.00');
  });

  it('reads items in their sale unit, a non-salable product still active, an archived one not', () => {
    const s = settings();
    expect(itemFromProduct(s, 'SKU-1', product('SKU-1'))).toEqual({ sku: 'SKU-1', description: 'Pallet jack', uom: 'EA', active: true });
    expect(itemFromProduct(s, 'WRAP-KG', product('WRAP-KG'))).toMatchObject({ uom: 'KG', active: true });
    // Not salable: no sale unit, so the stock unit; active, so Tryton itself refuses the order.
    expect(itemFromProduct(s, 'SKU-NS', product('SKU-NS'))).toMatchObject({ uom: 'EA', active: true });
    expect(itemFromProduct(s, 'SKU-OLD', product('SKU-OLD'))).toMatchObject({ active: false });
  });

  it('reads stock levels per warehouse in the product\'s stock unit', () => {
    const s = settings({ warehouses: { WH: 'MAIN' } });
    const [jack, wrap] = fixture('quantities-wh', TrytonQuantities);
    const [eastJack] = fixture('quantities-east', TrytonQuantities);
    expect(stockLevel(s, 'SKU-1', product('SKU-1'), 'WH', jack!)).toEqual({ sku: 'SKU-1', location: 'MAIN', onHand: 95, forecast: 95, uom: 'EA' });
    expect(stockLevel(s, 'WRAP-KG', product('WRAP-KG'), 'WH', wrap!)).toEqual({ sku: 'WRAP-KG', location: 'MAIN', onHand: 10, forecast: 10, uom: 'KG' });
    expect(stockLevel(s, 'SKU-1', product('SKU-1'), 'EAST', eastJack!)).toMatchObject({ location: 'EAST', onHand: 40 });
  });
});

describe('addresses', () => {
  const addresses = fixture('addresses', TrytonAddress);
  const shipTo = { name: 'Jane Buyer', line1: '9  new st ', city: 'RENO', postalCode: '89502', country: 'US' };

  it('finds the party address for the same place, ignoring case and spacing', () => {
    expect(findMatchingAddress(addresses, shipTo)?.id).toBe(4);
  });

  it('finds none when the postal code, street lines or city differ', () => {
    expect(findMatchingAddress(addresses, { ...shipTo, postalCode: '89503' })).toBeUndefined();
    expect(findMatchingAddress(addresses, { ...shipTo, line2: 'Suite 4' })).toBeUndefined();
    expect(findMatchingAddress(addresses, { ...shipTo, city: 'Sparks' })).toBeUndefined();
  });

  it('creates an address with both street lines, the recipient and the country when Tryton knows it', () => {
    expect(addressValues(3, { ...shipTo, line1: '9 New St', line2: 'Dock 2', company: 'Acme' }, 233)).toEqual({
      party: 3, party_name: 'Jane Buyer, Acme', street: '9 New St\nDock 2', city: 'RENO', postal_code: '89502', country: 233,
    });
    expect(addressValues(3, { name: 'J', line1: 'x', city: 'y', country: 'US' }, undefined)).toEqual({ party: 3, party_name: 'J', street: 'x', city: 'y' });
  });
});

describe('sale values', () => {
  const order: Order = {
    id: 'ord_01J9', version: 1, source: { system: 'api', id: 'req-1' }, receivedAt: '2026-11-25T22:00:05Z',
    channel: 'webshop', channelOrderId: 'W-1001', orderedAt: '2026-11-25T23:30:00-05:00', currency: 'USD',
    customer: { accountId: 'acme' }, shipTo: { name: 'Jane', line1: '9 New St', city: 'Reno', country: 'US' },
    lines: [
      { sku: 'JACK-BLUE', quantity: 3, uom: 'EA', unitPrice: '90.00', description: 'Pallet jack, blue' },
      { sku: 'WRAP-KG', quantity: 2.5, uom: 'KG', unitPrice: '4.10' },
    ],
    charges: [{ type: 'shipping', amount: '5.00' }, { type: 'shipping', amount: '2.50', description: 'Ground' }, { type: 'fee', amount: '1.00' }],
    payment: { status: 'paid' },
  };
  const refs: SaleReferences = {
    party: 3, invoiceAddress: 3, shipmentAddress: 4, warehouse: 5, currency: 1, paymentTerm: 2,
    products: new Map([['SKU-1', product('SKU-1')], ['WRAP-KG', product('WRAP-KG')]]),
    units: new Map([['u', 1], ['kg', 2]]),
    shippingProduct: { ...product('SKU-1'), id: 1, code: 'SHIP-GROUND', name: 'Ground shipping' },
  };
  const s = settings({ skus: { 'JACK-BLUE': 'SKU-1' }, shippingProduct: 'SHIP-GROUND' });

  it('carries party, addresses, warehouse, currency, reference, description, date and payment term', () => {
    const values = saleValues(order, refs, s);
    expect(values).toMatchObject({
      party: 3, invoice_address: 3, shipment_address: 4, warehouse: 5, currency: 1, payment_term: 2,
      reference: 'ord_01J9',
      description: 'webshop W-1001',
      // 23:30 in New York is the next day in UTC.
      sale_date: { __class__: 'date', year: 2026, month: 11, day: 26 },
    });
  });

  it('sends every line with product, quantity, unit, unit price as Decimal and description', () => {
    const [[action, lines]] = saleValues(order, refs, s).lines as [['create', Record<string, unknown>[]]];
    expect(action).toBe('create');
    expect(lines.slice(0, 2)).toEqual([
      { type: 'line', product: 2, quantity: 3, unit: 1, unit_price: { __class__: 'Decimal', decimal: '90.00' }, description: 'Pallet jack, blue' },
      { type: 'line', product: 3, quantity: 2.5, unit: 2, unit_price: { __class__: 'Decimal', decimal: '4.10' }, description: 'Shrink wrap' },
    ]);
  });

  it('adds one freight line for the shipping charges only', () => {
    const [[, lines]] = saleValues(order, refs, s).lines as [['create', Record<string, unknown>[]]];
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ type: 'line', product: 1, quantity: 1, unit: 1, unit_price: { __class__: 'Decimal', decimal: '7.50' }, description: 'Ground' });
  });

  it('sends no freight line without a shipping product, and uses the configured reference field', () => {
    const { shippingProduct: _none, ...withoutFreight } = refs;
    const values = saleValues(order, withoutFreight, { ...s, referenceField: 'comment' });
    expect((values.lines as [['create', unknown[]]])[0][1]).toHaveLength(2);
    expect(values.comment).toBe('ord_01J9');
    expect(values).not.toHaveProperty('reference');
  });
});

describe('shipments from Tryton', () => {
  const shipments = fixture('shipments', TrytonShipment);
  const moves = fixture('shipment-moves', TrytonMove);
  const movesOf = (id: number): Move[] => shipments.find((x) => x.id === id)!.outgoing_moves.map((m) => moves.find((move) => move.id === m)!);
  const s = settings({ skus: { 'JACK-BLUE': 'SKU-1' }, warehouses: { WH: 'MAIN' }, units: { CS: 'c' } });

  it('maps a shipment with carrier and tracking: order id from the sale reference, lines in crossdock SKUs and units', () => {
    const [shipped] = shipmentsFromTryton(s, shipments[0]!, movesOf(1));
    expect(shipped).toEqual({
      shipment: {
        orderId: 'ord_a',
        shipmentId: 'tryton:stock.shipment.out:1',
        shippedAt: '2026-11-26T06:50:18.139170Z',
        carrier: 'Ground Freight',
        tracking: [{ number: '1Z999AA10123456784' }],
        lines: [{ sku: 'WRAP-KG', quantity: 2.5, uom: 'KG' }, { sku: 'JACK-BLUE', quantity: 3, uom: 'EA' }],
        warehouse: 'MAIN',
      },
      number: '1',
      salesOrderNumber: '1',
    });
    expect(Value.Check(ShipmentSubmission, shipped!.shipment)).toBe(true);
  });

  it('names the default carrier and no tracking when the shipment has neither', () => {
    const [shipped] = shipmentsFromTryton(s, shipments[1]!, movesOf(2));
    expect(shipped!.shipment).toMatchObject({ orderId: 'ord_b', carrier: 'Other', tracking: [] });
  });

  it('reads tracking from the configured field only', () => {
    const [shipped] = shipmentsFromTryton({ ...s, trackingField: 'number' }, shipments[0]!, movesOf(1));
    expect(shipped!.shipment.tracking).toEqual([{ number: '1' }]);
  });

  it('leaves out a shipment of a sale crossdock did not post', () => {
    expect(shipmentsFromTryton(s, shipments[2]!, movesOf(3))).toEqual([]);
  });

  it('uses the effective date when the shipment was last written another day', () => {
    const [shipped] = shipmentsFromTryton(s, { ...shipments[0]!, write_date: '2026-12-02T10:00:00.000000Z' }, movesOf(1));
    expect(shipped!.shipment.shippedAt).toBe('2026-11-26T00:00:00Z');
  });

  it('splits a shipment merging two orders into one shipment per order, and sums split moves', () => {
    const jack = movesOf(1).find((move) => move['product.']?.code === 'SKU-1');
    const wrap = movesOf(1).find((move) => move['product.']?.code === 'WRAP-KG');
    const other = { ...wrap!, id: 99, 'sale.': { id: 2, number: '2', reference: 'ord_b' } };
    const split = { ...jack!, id: 98, quantity: 2 };
    const result = shipmentsFromTryton(s, shipments[0]!, [jack!, split, other]);
    expect(result.map((r) => [r.shipment.orderId, r.shipment.shipmentId, r.shipment.lines])).toEqual([
      ['ord_a', 'tryton:stock.shipment.out:1:ord_a', [{ sku: 'JACK-BLUE', quantity: 5, uom: 'EA' }]],
      ['ord_b', 'tryton:stock.shipment.out:1:ord_b', [{ sku: 'WRAP-KG', quantity: 2.5, uom: 'KG' }]],
    ]);
  });

  it('ships nothing for cancelled moves', () => {
    const cancelled = movesOf(2).map((move) => ({ ...move, state: 'cancelled' }));
    expect(shipmentsFromTryton(s, shipments[1]!, cancelled)).toEqual([]);
  });
});

describe('invoices from Tryton', () => {
  const invoices = fixture('invoices', TrytonInvoice);
  const lines = fixture('invoice-lines', TrytonInvoiceLine);
  const linesOf = (id: number) => lines.filter((line) => line.invoice === id);
  const s = settings({ shippingProduct: 'SHIP-GROUND', skus: { 'JACK-BLUE': 'SKU-1' } });

  it('maps a posted invoice: number, dates, lines, freight as a shipping charge, taxes, total and terms', () => {
    const mapped = invoiceFromTryton(s, invoices[0]!, linesOf(1));
    expect(mapped).toEqual({
      invoice: {
        orderId: 'ord_a',
        invoiceId: 'tryton:account.invoice:1',
        number: 'INV2026-00001',
        invoiceDate: '2026-11-26T00:00:00Z',
        dueDate: '2026-11-26T00:00:00Z',
        currency: 'USD',
        lines: [
          { sku: 'JACK-BLUE', description: 'Pallet jack, blue', quantity: 3, uom: 'EA', unitPrice: '90.00' },
          { sku: 'WRAP-KG', description: 'Shrink wrap', quantity: 2.5, uom: 'KG', unitPrice: '4.00' },
        ],
        charges: [{ type: 'shipping', amount: '7.50', description: 'Ground' }],
        taxes: [{ name: 'Sales Tax 8%', amount: '23.00' }],
        total: '310.50',
        terms: { description: 'Due on receipt' },
      },
      salesOrderNumber: '1',
      state: 'posted',
    });
    expect(Value.Check(InvoiceSubmission, mapped!.invoice)).toBe(true);
  });

  it('keeps the freight product as a line when no shipping product is configured', () => {
    const mapped = invoiceFromTryton(settings(), invoices[1]!, linesOf(2));
    expect(mapped!.invoice.lines.map((line) => line.sku)).toEqual(['SKU-1', 'SHIP-GROUND']);
    expect(mapped!.invoice).not.toHaveProperty('charges');
    expect(mapped!.invoice.total).toBe('102.50');
  });

  it('leaves out an invoice of a sale crossdock did not post', () => {
    expect(invoiceFromTryton(s, invoices[2]!, linesOf(3))).toBeUndefined();
  });

  it('turns a line without product into a fee, and takes the last instalment as due date', () => {
    const [first] = linesOf(2);
    const note = { ...first!, id: 50, 'product.': null, description: 'Pallet deposit', amount: '12.00' };
    const invoice = { ...invoices[1]!, lines: [4, 5, 50], 'lines_to_pay.': [{ id: 1, maturity_date: '2026-12-26' }, { id: 2, maturity_date: '2026-12-11' }] };
    const mapped = invoiceFromTryton(s, invoice, [...linesOf(2), note]);
    expect(mapped!.invoice.charges).toEqual([
      { type: 'shipping', amount: '7.50', description: 'Ground' },
      { type: 'fee', amount: '12.00', description: 'Pallet deposit' },
    ]);
    expect(mapped!.invoice.dueDate).toBe('2026-12-26T00:00:00Z');
  });
});
