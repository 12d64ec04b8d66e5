// After the Logicbroker 846 specification
// (https://help.logicbroker.com/hc/en-us/article_attachments/208686786/Logicbroker_846_EDI_Specifications.pdf):
// BIA, LIN with item ids, QTY*33 available, SDQ per location, CTT.
import { describe, expect, it } from 'vitest';
import { availabilityToX12InventoryAdvice, x12InventoryAdviceToAvailability } from './846.js';
import { render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';
import { splitX12 } from './fixtures/split.js';

describe('846 inventory advice', () => {
  it('sends available quantities under the partner ids, per location in SDQ, whole packs only', () => {
    const segments = availabilityToX12InventoryAdvice({
      reportId: 'INV-20240320', at: '2024-03-20T06:00:00Z',
      updates: [{ sku: 'SKU-1', available: 140 }, { sku: 'SKU-6', available: 20, location: 'DC1' }, { sku: 'SKU-6', available: 13, location: 'DC2' }, { sku: 'SKU-X', available: 0 }],
    }, ctx4010);
    expect(render(segments).split('~\n')).toEqual([
      'BIA*00*DD*INV-20240320*20240320*0600',
      'LIN*1*UP*012345678905', 'QTY*33*140*EA',
      'LIN*2*VN*PACK6', 'QTY*33*5*PK', 'SDQ*PK*92*DC1*3*DC2*2',
      'LIN*3*VN*SKU-X', 'QTY*33*0*EA',
      'CTT*3',
    ]);
  });

  it('reads a 3PL advice back into availability: header warehouse, SDQ locations, pack factors, unknown items kept', () => {
    const text = 'ST*846*0001~BIA*00*SI*R1*20240320~N1*WH*East DC*92*DC1~LIN*1*UP*012345678905~QTY*33*40*EA~LIN*2*VN*PACK6~QTY*33*3*PK~SDQ*PK*92*DC2*1*DC3*2~LIN*3*VN*NEW-1~QTY*33*-2*EA~CTT*3~SE*12*0001';
    const r = x12InventoryAdviceToAvailability(splitX12(text), ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.document).toEqual([
      { sku: 'SKU-1', available: 40, location: 'DC1' },
      { sku: 'SKU-6', available: 6, location: 'DC2' }, { sku: 'SKU-6', available: 12, location: 'DC3' },
      { sku: 'VN:NEW-1', available: 0, location: 'DC1' },
    ]);
    expect(r.warnings.join('\n')).toContain('no cross-reference for VN:NEW-1');
  });

  it('names a missing BIA and a CTT count that does not match', () => {
    const r = x12InventoryAdviceToAvailability(splitX12('ST*846*0001~LIN*1*UP*012345678905~QTY*33*40*EA~CTT*2~SE*5*0001'), ctx4010);
    expect(!r.ok && r.problems).toEqual([
      expect.objectContaining({ segmentTag: 'BIA', segmentCode: '3', segmentPosition: 2 }),
      expect.objectContaining({ segmentTag: 'CTT', segmentPosition: 4, elementPosition: 1 }),
    ]);
  });
});
