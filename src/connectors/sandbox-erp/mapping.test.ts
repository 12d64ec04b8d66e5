import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { SandboxSalesOrderInput } from './document.js';
import { demoOrder } from './fixtures/documents.js';
import { orderToSandboxSalesOrder } from './mapping.js';

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
