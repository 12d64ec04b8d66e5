// After IBM's 997 reference (https://www.ibm.com/docs/en/b2bis?topic=standards-997-functional-acknowledgment)
// and Stedi's AK9 (https://stedi.com/edi/x12-004010/segment/AK9).
import { describe, expect, it } from 'vitest';
import { x12PurchaseOrderToOrder } from './850.js';
import { groupToX12FunctionalAck, x12FunctionalAckToResult } from './997.js';
import { render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';
import { edit, fixture, splitX12 } from './fixtures/split.js';
import type { SetProblem } from './segments.js';

const bad = x12PurchaseOrderToOrder(edit(edit(fixture('850-acme.x12'), 'CTT', 'CTT*3*9'), 'BEG', 'BEG*ZZ*SA*4500012345**20240315'), ctx4010);
const problems: SetProblem[] = bad.ok ? [] : bad.problems;

describe('997 functional acknowledgment', () => {
  it('acknowledges a group with one accepted and one rejected set: AK3/AK4 detail, AK5 R 5, AK9 P', () => {
    const segments = groupToX12FunctionalAck({
      functionalId: 'PO', groupControlNumber: '1201', setsIncluded: 2,
      sets: [{ setId: '850', controlNumber: '0001', problems: [] }, { setId: '850', controlNumber: '0002', problems }],
    }, ctx4010);
    expect(render(segments).split('~\n')).toEqual([
      'AK1*PO*1201',
      'AK2*850*0001', 'AK5*A',
      'AK2*850*0002', 'AK3*BEG*2**8', 'AK4*1*353*7*ZZ', 'AK3*CTT*24**8', 'AK5*R*5',
      'AK9*P*2*2*1',
    ]);
  });

  it('reports all accepted as A, accepted with errors as E, and a short group as rejected with AK905 5', () => {
    const accepted = groupToX12FunctionalAck({ functionalId: 'IN', groupControlNumber: '7', setsIncluded: 1, sets: [{ setId: '810', controlNumber: '0001', problems: [] }] }, ctx4010);
    expect(render(accepted)).toBe('AK1*IN*7~\nAK2*810*0001~\nAK5*A~\nAK9*A*1*1*1');
    const withErrors = groupToX12FunctionalAck({ functionalId: 'PO', groupControlNumber: '8', setsIncluded: 1, sets: [{ setId: '850', controlNumber: '0001', problems, acceptedWithErrors: true }] }, ctx4010);
    expect(render(withErrors).split('~\n').slice(-2)).toEqual(['AK5*E*5', 'AK9*E*1*1*1']);
    const short = groupToX12FunctionalAck({ functionalId: 'PO', groupControlNumber: '9', setsIncluded: 3, sets: [] }, ctx4010);
    expect(render(short)).toBe('AK1*PO*9~\nAK9*R*3*0*0*5');
  });

  it('echoes ST03 in AK203 and writes composite AK401 positions in 005010', () => {
    const segments = groupToX12FunctionalAck({
      functionalId: 'PO', groupControlNumber: '10', setsIncluded: 1,
      sets: [{ setId: '850', controlNumber: '0001', implementationConvention: '005010', problems: [{ segmentTag: 'POC', segmentPosition: 4, segmentCode: '8', elementPosition: 5, componentPosition: 1, elementCode: '7', elementReference: '355', value: 'XX', message: '' }] }],
    }, { version: '005010' });
    expect(render(segments).split('~\n').slice(1, 4)).toEqual(['AK2*850*0001*005010', 'AK3*POC*4**8', 'AK4*5:1*355*7*XX']);
  });

  it('reads a received 997 back, splitting composite positions', () => {
    const text = 'ST*997*0001~AK1*PO*1201~AK2*850*0001~AK5*A~AK2*850*0002~AK3*BEG*2**8~AK4*1:2*353*7*ZZ~AK5*R*5~AK9*P*2*2*1~SE*10*0001';
    const r = x12FunctionalAckToResult(splitX12(text), ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.document).toEqual({
      functionalId: 'PO', groupControlNumber: '1201', status: 'P', included: 2, received: 2, accepted: 1, groupErrors: [],
      sets: [
        { setId: '850', controlNumber: '0001', status: 'A', setErrors: [], errors: [] },
        { setId: '850', controlNumber: '0002', status: 'R', setErrors: ['5'], errors: [{ segmentTag: 'BEG', segmentPosition: 2, segmentCode: '8', elements: [{ position: '1.2', reference: '353', code: '7', value: 'ZZ' }] }] },
      ],
    });
  });

  it('never reads a 997 without AK9 or a set without AK5 as accepted', () => {
    const noAk9 = x12FunctionalAckToResult(splitX12('ST*997*0001~AK1*PO*1~AK2*850*0001~AK5*A~SE*5*0001'), ctx4010);
    expect(!noAk9.ok && noAk9.problems).toEqual([expect.objectContaining({ segmentTag: 'AK9', segmentCode: '3' })]);
    const noAk5 = x12FunctionalAckToResult(splitX12('ST*997*0001~AK1*PO*1~AK2*850*0001~AK9*A*1*1*1~SE*5*0001'), ctx4010);
    expect(!noAk5.ok && noAk5.problems).toEqual([expect.objectContaining({ segmentTag: 'AK5', segmentCode: '3', segmentPosition: 4 })]);
  });
});
