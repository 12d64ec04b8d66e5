// Fixture shaped after IBM's 860 reference (https://ibm.com/docs/en/b2bis?topic=standards-860-purchase-order-change):
// BCH01 04 change / 01 cancellation; POC02 AI, DI, QD, QI, PC.
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { x12PurchaseOrderToOrder } from './850.js';
import { x12ChangeOrderToRevision } from './860.js';
import { edit, fixture } from './fixtures/split.js';
import { ctx4010 } from './fixtures/profile.js';

const original = (() => {
  const r = x12PurchaseOrderToOrder(fixture('850-acme.x12'), ctx4010);
  if (!r.ok) throw new Error('850 fixture does not map');
  return r.document;
})();
const change = fixture('860-acme.x12');

describe('860 change order → revised order', () => {
  it('applies quantity decrease, delete, price change and add, and returns a newer valid version', () => {
    const r = x12ChangeOrderToRevision(change, original, ctx4010, { changedAt: '2024-03-18T14:05:00Z' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const { order, changes, summary } = r.document;
    expect(submissionProblems(order)).toEqual([]);
    expect(order.channelUpdatedAt).toBe('2024-03-18T14:05:00Z');
    expect(order.lines.map((l) => [l.lineId, l.sku, l.quantity, l.unitPrice])).toEqual([
      ['1', 'SKU-1', 12, '2.00'], ['3', 'SKU-3', 1, '9.50'], ['4', 'UP:999999999999', 3, '4.25'],
    ]);
    expect(order.lines[2]!.description).toBe('New gadget');
    expect(changes).toEqual([
      { kind: 'attribute', key: 'x12.dtm.010', to: '2024-03-22' },
      { kind: 'quantity', lineId: '1', sku: 'SKU-1', from: 24, to: 12 },
      { kind: 'deleted', lineId: '2', sku: 'BP:B-77' },
      { kind: 'price', lineId: '3', sku: 'SKU-3', from: '10.00', to: '9.50' },
      { kind: 'added', lineId: '4', sku: 'UP:999999999999', quantity: 3 },
    ]);
    expect(summary[1]).toBe('line 1 (SKU-1) quantity 24 → 12');
    expect(order.attributes?.['x12.changeSequence']).toBe('1');
    expect(original.lines).toHaveLength(3);
  });

  it('uses BCH11 as the version time when the envelope time is not given', () => {
    const r = x12ChangeOrderToRevision(change, original, ctx4010);
    expect(r.ok && r.document.order.channelUpdatedAt).toBe('2024-03-18T00:00:00Z');
  });

  it('turns BCH01 = 01 into a cancellation of the whole order', () => {
    const r = x12ChangeOrderToRevision(fixtureCancel(), original, ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.document.order.cancellation).toEqual({ at: '2024-03-19T00:00:00Z', reason: 'cancelled by the buyer (860)' });
    expect(r.document.order.lines).toHaveLength(3);
    expect(submissionProblems(r.document.order)).toEqual([]);
  });

  it('names an unknown change type, a line that does not exist and a PO number that does not match', () => {
    const segments = edit(edit(change, 'BCH', 'BCH*04*SA*999**1*20240315'), 'POC', 'POC*9*QI*2**EA~POC*2*XX*1');
    const r = x12ChangeOrderToRevision(edit(segments, 'CTT', 'CTT*5'), original, ctx4010);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ segmentTag: 'BCH', elementPosition: 3, value: '999' }),
      expect.objectContaining({ segmentTag: 'POC', segmentPosition: 4, loopId: 'POC', elementPosition: 1, value: '9' }),
      expect.objectContaining({ segmentTag: 'POC', segmentPosition: 5, elementPosition: 2, elementCode: '7', value: 'XX' }),
    ]));
  });

  it('checks CTT01 against the number of POC segments', () => {
    const r = x12ChangeOrderToRevision(edit(change, 'CTT', 'CTT*3'), original, ctx4010);
    expect(!r.ok && r.problems).toEqual([expect.objectContaining({ segmentTag: 'CTT', elementPosition: 1 })]);
  });
});

function fixtureCancel() {
  return [{ tag: 'ST', elements: ['860', '0003'] }, { tag: 'BCH', elements: ['01', 'SA', '4500012345', '', '2', '20240315', '', '', '', '', '20240319'] }, { tag: 'SE', elements: ['3', '0003'] }];
}
