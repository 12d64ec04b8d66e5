// Expected segments after IBM's 810 reference
// (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_810_Invoice.html).
import { describe, expect, it } from 'vitest';
import type { InvoiceSubmission } from '../../canonical/invoice.js';
import { invoiceToX12Invoice } from './810.js';
import { acceptedAcmeOrder, render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';

const order = acceptedAcmeOrder();
const invoice: InvoiceSubmission = {
  orderId: order.id, invoiceId: 'inv-88', number: 'INV-2024-0088', invoiceDate: '2024-03-20T10:00:00Z', dueDate: '2024-04-19T00:00:00Z',
  currency: 'USD', total: '1069.84',
  lines: [
    { lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA', unitPrice: '2.00', description: 'Widget' },
    { lineId: '3', sku: 'SKU-3', quantity: 1, uom: 'EA', unitPrice: '10.00' },
    { sku: 'SKU-9', quantity: 1000, uom: 'EA', unitPrice: '0.99' },
  ],
  charges: [{ type: 'shipping', amount: '12.50', description: 'Freight' }, { type: 'discount', amount: '-5.00' }],
  taxes: [{ name: 'State sales tax', amount: '14.34', rate: '6.5' }],
  terms: { netDays: 30, discountPercent: '2', discountDays: 10 },
};

describe('810 invoice from an invoice and its order', () => {
  it('writes BIG, echoed references and location codes, terms, IT1 echoes, TDS in cents, TXI, SAC and CTT', () => {
    expect(render(invoiceToX12Invoice({ invoice, order, shippedAt: '2024-03-19T15:42:00Z' }, ctx4010)).split('~\n')).toEqual([
      'BIG*20240320*INV-2024-0088*20240315*4500012345',
      'REF*IA*V-7781', 'REF*DP*042',
      'N1*RE*Crossdock Distribution Inc*92*V-7781',
      'N1*BT*Acme Retail Accounts Payable*92*AP01',
      'N1*ST*Acme Store 42*92*0042',
      'ITD*08*3*2**10*20240419*30',
      'DTM*011*20240319',
      'IT1*1*2*CA*24.00*PE*UP*012345678905*VN*ABC-1', 'PID*F****Widget',
      'IT1*3*1*EA*10**VN*VN-KNOWN',
      'IT1**1000*EA*0.99**VN*SKU-9',
      'TDS*106984',
      'TXI*ST*14.34*6.50',
      'SAC*C*D240***1250**********Freight',
      'SAC*A*C310***500',
      'CTT*3*1003',
    ]);
  });

  it('writes a whole-dollar total with implied decimals and net-only terms as basic', () => {
    const segments = invoiceToX12Invoice({ invoice: { ...invoice, total: '100', terms: { netDays: 45 }, taxes: undefined, charges: undefined }, order }, ctx4010);
    const text = render(segments);
    expect(text).toContain('TDS*10000');
    expect(text).toContain('ITD*01*3****20240419*45');
  });
});
