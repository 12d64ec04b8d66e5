import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { InvoiceSubmission } from '../../canonical/invoice.js';
import { ShipmentSubmission } from '../../canonical/shipment.js';
import { SandboxSalesOrderInput } from './document.js';
import { demoInvoice, demoOrder, demoShipment } from './fixtures/documents.js';
import { invoiceFromSandbox, orderToSandboxSalesOrder, shipmentFromSandbox, stockLevelFromSandbox } from './mapping.js';

describe('orderToSandboxSalesOrder', () => {
  it("maps a canonical order to the ERP's sales-order document, with crossdock's id as external reference", () => {
    expect(orderToSandboxSalesOrder(demoOrder())).toEqual({
      externalRef: 'ord_01JNDEMO000000000000000001',
      customerId: 'C-100',
      currency: 'USD',
      orderDate: '2025-03-01T10:00:00.000Z',
      customerReference: '#1001',
      channel: 'shopify-us',
      shipTo: { name: 'Ada Lovelace', street: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
      lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 3, uom: 'EA', unitPrice: '7.49' }],
    });
  });

  it('maps every optional field, charges with discounts made negative, and taxes', () => {
    const document = orderToSandboxSalesOrder(
      demoOrder({
        orderNumber: undefined,
        poNumber: 'PO-77',
        notes: 'Leave at dock 4',
        shipTo: {
          name: 'Receiving', company: 'Acme', line1: '9 Dock Rd', line2: 'Unit 4', city: 'Leeds', region: 'WYK',
          postalCode: 'LS1 1AA', country: 'GB', phone: '+44 113 000', email: 'dock@acme.test',
        },
        lines: [
          { sku: 'SKU-2', description: 'Gadget 2', quantity: 2, uom: 'CA', unitPrice: '9.99', discount: '1.00' },
          { sku: 'SKU-3', quantity: 1.5, uom: 'EA', unitPrice: '12.49' },
        ],
        charges: [
          { type: 'shipping', amount: '5.00', description: 'Ground' },
          { type: 'discount', amount: '2.50' },
          { type: 'discount', amount: '-1.00' },
        ],
        taxes: [{ name: 'VAT', amount: '4.20', rate: '0.20' }],
      }),
    );
    expect(document.customerReference).toBe('5551001');
    expect(document).toMatchObject({
      poNumber: 'PO-77',
      notes: 'Leave at dock 4',
      shipTo: { company: 'Acme', street: '9 Dock Rd', street2: 'Unit 4', region: 'WYK', phone: '+44 113 000', email: 'dock@acme.test' },
      lines: [
        { lineNo: 1, sku: 'SKU-2', description: 'Gadget 2', quantity: 2, uom: 'CA', unitPrice: '9.99', discount: '1.00' },
        { lineNo: 2, sku: 'SKU-3', quantity: 1.5, uom: 'EA', unitPrice: '12.49' },
      ],
      charges: [
        { kind: 'freight', amount: '5.00', description: 'Ground' },
        { kind: 'discount', amount: '-2.50' },
        { kind: 'discount', amount: '-1.00' },
      ],
      taxes: [{ name: 'VAT', amount: '4.20', rate: '0.20' }],
    });
    expect(Value.Check(SandboxSalesOrderInput, document)).toBe(true);
  });

  it('leaves absent fields absent rather than undefined', () => {
    const document = orderToSandboxSalesOrder(demoOrder());
    expect(Object.values(document).some((v: unknown) => v === undefined)).toBe(false);
    expect('charges' in document).toBe(false);
    expect(Value.Check(SandboxSalesOrderInput, document)).toBe(true);
  });
});

describe('shipmentFromSandbox', () => {
  it("maps the sandbox's shipment to the canonical shipment of the order it carries the reference of", () => {
    const erp = shipmentFromSandbox(demoShipment());
    expect(erp).toEqual({
      shipment: {
        orderId: 'ord_TEST0001',
        shipmentId: 'sandbox-erp:shipment:1',
        shippedAt: '2025-03-01T12:00:00.000Z',
        carrier: 'UPS',
        tracking: [{ number: '1Z999AA10123456784' }],
        lines: [{ sku: 'SKU-1', quantity: 2, uom: 'EA' }, { sku: 'SKU-2', quantity: 1, uom: 'EA' }],
        warehouse: 'WH1',
      },
      number: 'SH-000001',
      salesOrderNumber: 'SO-000001',
    });
    expect(Value.Check(ShipmentSubmission, erp.shipment)).toBe(true);
  });

  it('ships a SKU on two order lines as one line, and no tracking as none', () => {
    const erp = shipmentFromSandbox(demoShipment({
      tracking: null,
      lines: [
        { lineNo: 1, sku: 'SKU-1', quantity: 2, uom: 'EA', warehouse: 'WH1' },
        { lineNo: 3, sku: 'SKU-1', quantity: 1.5, uom: 'EA', warehouse: 'WH1' },
        { lineNo: 4, sku: 'SKU-1', quantity: 1, uom: 'CA', warehouse: 'WH1' },
      ],
    }));
    expect(erp.shipment.tracking).toEqual([]);
    expect(erp.shipment.lines).toEqual([{ sku: 'SKU-1', quantity: 3.5, uom: 'EA' }, { sku: 'SKU-1', quantity: 1, uom: 'CA' }]);
    expect(Value.Check(ShipmentSubmission, erp.shipment)).toBe(true);
  });
});

describe('invoiceFromSandbox', () => {
  it("maps the sandbox's posted invoice to the canonical invoice, freight as a shipping charge, due in its net days", () => {
    const erp = invoiceFromSandbox(demoInvoice());
    expect(erp).toEqual({
      invoice: {
        orderId: 'ord_TEST0001',
        invoiceId: 'sandbox-erp:invoice:1',
        number: 'INV-000001',
        invoiceDate: '2025-03-01T00:00:00Z',
        dueDate: '2025-03-31T00:00:00Z',
        currency: 'USD',
        lines: [{ sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '7.49' }, { sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '9.99' }],
        charges: [{ type: 'shipping', amount: '5.00' }],
        total: '29.97',
        terms: { netDays: 30 },
      },
      salesOrderNumber: 'SO-000001',
      state: 'posted',
    });
    expect(Value.Check(InvoiceSubmission, erp.invoice)).toBe(true);
  });

  it('keeps descriptions, discounts (negative) and taxes, and leaves out charges and taxes an invoice has none of', () => {
    const full = invoiceFromSandbox(demoInvoice({
      lines: [{ lineNo: 1, sku: 'SKU-1', description: 'Widget 1', quantity: 2, uom: 'EA', unitPrice: '7.49', amount: '14.98' }],
      charges: [{ kind: 'discount', amount: '-1.00', description: 'Discount on line 1 (SKU-1)' }, { kind: 'handling', amount: '2.00' }],
      taxes: [{ name: 'VAT', amount: '3.20', rate: '0.20' }],
      total: '19.18',
    }));
    expect(full.invoice).toMatchObject({
      lines: [{ sku: 'SKU-1', description: 'Widget 1' }],
      charges: [{ type: 'discount', amount: '-1.00', description: 'Discount on line 1 (SKU-1)' }, { type: 'handling', amount: '2.00' }],
      taxes: [{ name: 'VAT', amount: '3.20', rate: '0.20' }],
      total: '19.18',
    });
    expect(Value.Check(InvoiceSubmission, full.invoice)).toBe(true);

    const bare = invoiceFromSandbox(demoInvoice({ charges: [], taxes: [] })).invoice;
    expect('charges' in bare || 'taxes' in bare).toBe(false);
  });
});

describe('stockLevelFromSandbox', () => {
  it('forecasts what is on hand: the sandbox allocates nothing to open orders', () => {
    expect(stockLevelFromSandbox({ sku: 'SKU-5', warehouse: 'WH2', quantity: 12, uom: 'CA', updatedAt: null })).toEqual({
      sku: 'SKU-5', location: 'WH2', onHand: 12, forecast: 12, uom: 'CA',
    });
  });
});
