// Expected segments follow IBM's 855 reference
// (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_855_Purchase_order_acknowledgment.html)
// and Walmart's DSV 855 (https://developer.walmart.com/suppliers/docs/855-purchase-order-acknowledgement).
import { describe, expect, it } from 'vitest';
import { orderToX12Acknowledgment } from './855.js';
import { acceptedAcmeOrder, render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';

const order = acceptedAcmeOrder();

describe('855 acknowledgment from the order and line decisions', () => {
  it('acknowledges every line accepted with AD, echoing PO1 as ordered (case, price, qualifiers)', () => {
    expect(render(orderToX12Acknowledgment({ order, decisions: [], acknowledgedAt: '2024-03-15T12:00:00Z' }, ctx4010))).toBe([
      'BAK*00*AD*4500012345*20240315****ord_01HV8*20240315',
      'PO1*1*2*CA*24.00*PE*UP*012345678905*VN*ABC-1', 'ACK*IA*2*CA',
      'PO1*2*5*EA*3.5**BP*B-77*VP*XYZ-9', 'ACK*IA*5*EA',
      'PO1*3*1*EA*10**VN*VN-KNOWN', 'ACK*IA*1*EA',
      'CTT*3*8',
    ].join('~\n'));
  });

  it('acknowledges with change (AC): backorder split, rejected line, quantity and price change', () => {
    const segments = orderToX12Acknowledgment({
      order, acknowledgedAt: '2024-03-15T12:00:00Z', decisions: [
        { lineId: '1', status: 'accepted', quantity: 12 },
        { lineId: '1', status: 'backordered', quantity: 12, shipDate: '2024-04-01T00:00:00Z' },
        { lineId: '2', status: 'rejected' },
        { lineId: '3', status: 'price_changed', unitPrice: '11.00' },
      ],
    }, ctx4010);
    expect(render(segments).split('~\n')).toEqual([
      'BAK*00*AC*4500012345*20240315****ord_01HV8*20240315',
      'PO1*1*2*CA*24.00*PE*UP*012345678905*VN*ABC-1', 'ACK*IA*1*CA', 'ACK*IB*1*CA*068*20240401',
      'PO1*2*5*EA*3.5**BP*B-77*VP*XYZ-9', 'ACK*IR*5*EA',
      'PO1*3*1*EA*11.00**VN*VN-KNOWN', 'ACK*IP*1*EA',
      'CTT*3*8',
    ]);
  });

  it('rejects the whole order with RJ and no detail', () => {
    const decisions = order.lines.map((l) => ({ lineId: l.lineId!, status: 'rejected' as const }));
    expect(render(orderToX12Acknowledgment({ order, decisions, acknowledgedAt: '2024-03-16T00:00:00Z' }, ctx4010))).toBe('BAK*00*RJ*4500012345*20240315****ord_01HV8*20240316');
  });
});
