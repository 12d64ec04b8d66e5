import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../lib/money.js';
import type { SandboxSalesOrderLine } from './document.js';
import { chooseWarehouse, decideCancel, planInvoice, planShipment, stateAfterShipping, type LineProgress } from './fulfilment-rules.js';

const open = { number: 'SO-000001', state: 'open' } as const;

function progress(lines: SandboxSalesOrderLine[], shipped: number[] = [], invoiced: number[] = []): LineProgress[] {
  return lines.map((line, i) => ({ line, shipped: shipped[i] ?? 0, invoiced: invoiced[i] ?? 0 }));
}

const twoLinesOfOneSku: SandboxSalesOrderLine[] = [
  { lineNo: 1, sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '7.49' },
  { lineNo: 2, sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '9.99' },
  { lineNo: 3, sku: 'SKU-1', quantity: 3, uom: 'EA', unitPrice: '7.00' },
];

describe('planShipment', () => {
  it('ships everything still open when no lines are asked for', () => {
    expect(planShipment(open, progress(twoLinesOfOneSku, [2, 0, 1]))).toEqual({
      ok: true,
      lines: [{ lineNo: 2, sku: 'SKU-2', quantity: 1, uom: 'EA' }, { lineNo: 3, sku: 'SKU-1', quantity: 2, uom: 'EA' }],
    });
  });

  it("spreads a SKU asked for over the order's lines of that SKU, in line order", () => {
    expect(planShipment(open, progress(twoLinesOfOneSku, [1]), [{ sku: 'SKU-1', quantity: 3 }])).toEqual({
      ok: true,
      lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 1, uom: 'EA' }, { lineNo: 3, sku: 'SKU-1', quantity: 2, uom: 'EA' }],
    });
  });

  it('refuses a SKU the order does not have, more than is open, a shipped order and a cancelled one', () => {
    const lines = progress(twoLinesOfOneSku, [2, 1, 3]);
    expect(planShipment(open, progress(twoLinesOfOneSku), [{ sku: 'SKU-9', quantity: 1 }])).toMatchObject({ ok: false, refusal: { code: 'not-on-order' } });
    expect(planShipment(open, progress(twoLinesOfOneSku, [2]), [{ sku: 'SKU-1', quantity: 4 }])).toMatchObject({
      ok: false, refusal: { code: 'over-shipment', message: expect.stringContaining('3 of SKU-1') },
    });
    expect(planShipment({ number: 'SO-000001', state: 'shipped' }, lines)).toMatchObject({ ok: false, refusal: { code: 'nothing-to-ship' } });
    expect(planShipment({ number: 'SO-000001', state: 'cancelled' }, progress(twoLinesOfOneSku))).toMatchObject({ ok: false, refusal: { code: 'cancelled' } });
  });

  it('moves the order to shipped only once every line has shipped in full', () => {
    expect(stateAfterShipping(progress(twoLinesOfOneSku, [2, 1, 2]))).toBe('partially-shipped');
    expect(stateAfterShipping(progress(twoLinesOfOneSku, [2, 1, 3]))).toBe('shipped');
  });
});

describe('chooseWarehouse', () => {
  const stock = new Map([
    ['WH2', new Map([['SKU-1', 50], ['SKU-7', 9]])],
    ['WH1', new Map([['SKU-1', 3], ['SKU-7', 0]])],
  ]);
  const lines = (sku: string, quantity: number) => [{ lineNo: 1, sku, quantity, uom: 'EA' }];

  it('takes the first warehouse by code that holds enough of every line', () => {
    expect(chooseWarehouse(lines('SKU-1', 3), stock)).toEqual({ ok: true, warehouse: 'WH1' });
    expect(chooseWarehouse(lines('SKU-1', 4), stock)).toEqual({ ok: true, warehouse: 'WH2' });
    expect(chooseWarehouse(lines('SKU-7', 1), stock)).toEqual({ ok: true, warehouse: 'WH2' });
  });

  it('adds up lines of one SKU, and never takes a warehouse below zero', () => {
    expect(chooseWarehouse([...lines('SKU-1', 2), { lineNo: 2, sku: 'SKU-1', quantity: 2, uom: 'EA' }], stock)).toEqual({ ok: true, warehouse: 'WH2' });
    expect(chooseWarehouse(lines('SKU-1', 51), stock)).toMatchObject({ ok: false, refusal: { code: 'insufficient-stock' } });
    expect(chooseWarehouse(lines('SKU-7', 1), stock, 'WH1')).toMatchObject({ ok: false, refusal: { code: 'insufficient-stock', message: expect.stringContaining('SKU-7') } });
    expect(chooseWarehouse(lines('SKU-7', 1), stock, 'WH9')).toMatchObject({ ok: false, refusal: { code: 'unknown-warehouse' } });
    expect(chooseWarehouse(lines('SKU-7', 1), stock, 'WH2')).toEqual({ ok: true, warehouse: 'WH2' });
  });
});

describe('planInvoice', () => {
  const order = {
    ...open,
    charges: [{ kind: 'freight' as const, amount: '5.00' }],
    taxes: [{ name: 'VAT', amount: '2.00' }],
  };
  const lines: SandboxSalesOrderLine[] = [
    { lineNo: 1, sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '7.49', discount: '1.00' },
    { lineNo: 2, sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '9.99', description: 'Gadget 2' },
  ];

  it('bills the whole order when nothing shipped: lines, charges, line discounts and taxes', () => {
    const plan = planInvoice(order, progress(lines), { firstInvoice: true });
    expect(plan).toEqual({
      ok: true,
      lines: [
        { lineNo: 1, sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '7.49', amount: '14.98' },
        { lineNo: 2, sku: 'SKU-2', description: 'Gadget 2', quantity: 1, uom: 'EA', unitPrice: '9.99', amount: '9.99' },
      ],
      charges: [{ kind: 'freight', amount: '5.00' }, { kind: 'discount', amount: '-1.00', description: 'Discount on line 1 (SKU-1)' }],
      taxes: [{ name: 'VAT', amount: '2.00' }],
      total: '30.97',
    });
  });

  it('bills only what shipped once something has, and the invoices of an order add up to its total', () => {
    const first = planInvoice(order, progress(lines, [1, 0]), { firstInvoice: true });
    expect(first).toMatchObject({ ok: true, lines: [{ lineNo: 1, quantity: 1, amount: '7.49' }], total: '13.49' });
    // Second invoice: the rest of line 1 and line 2; no charges, taxes or discounts again.
    const second = planInvoice(order, progress(lines, [2, 1], [1, 0]), { firstInvoice: false });
    expect(second).toMatchObject({ ok: true, lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 2, quantity: 1 }], charges: [], taxes: [], total: '17.48' });
    const totals = [first, second].map((p) => (p.ok ? p.total : '0'));
    // The whole order's total, as the single invoice of the test above bills it.
    expect(sumDecimals(totals)).toBe('30.97');
  });

  it('refuses when everything shipped is invoiced already, or the order is cancelled', () => {
    expect(planInvoice(order, progress(lines, [1, 0], [1, 0]), { firstInvoice: false })).toMatchObject({ ok: false, refusal: { code: 'nothing-to-invoice' } });
    expect(planInvoice(order, progress(lines, [], [2, 1]), { firstInvoice: false })).toMatchObject({ ok: false, refusal: { code: 'nothing-to-invoice' } });
    expect(planInvoice({ ...order, state: 'cancelled' }, progress(lines), { firstInvoice: true })).toMatchObject({ ok: false, refusal: { code: 'cancelled' } });
  });
});

describe('decideCancel', () => {
  it('cancels an open order with no invoice, again a cancelled one, and nothing shipped or invoiced', () => {
    expect(decideCancel(open, 0)).toEqual({ ok: true, already: false });
    expect(decideCancel({ number: 'SO-000001', state: 'cancelled' }, 0)).toEqual({ ok: true, already: true });
    for (const state of ['partially-shipped', 'shipped'] as const) {
      expect(decideCancel({ number: 'SO-000001', state }, 0)).toMatchObject({ ok: false, refusal: { code: 'not-cancellable', message: expect.stringContaining(state) } });
    }
    expect(decideCancel(open, 1)).toMatchObject({ ok: false, refusal: { code: 'not-cancellable', message: expect.stringContaining('invoiced') } });
  });
});
