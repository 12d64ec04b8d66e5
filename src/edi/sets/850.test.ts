// Fixture shaped after the X12 004010 850 as IBM's BTI reference lists it
// (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_850_Purchase_order.html).
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../canonical/validate.js';
import { x12PurchaseOrderToOrder } from './850.js';
import { edit, fixture } from './fixtures/split.js';
import { acmeProfile, ctx4010, ctx5010 } from './fixtures/profile.js';
import type { SetProblem } from './segments.js';

const po = fixture('850-acme.x12');

function mapped(segments = po, ctx = ctx4010) {
  const result = x12PurchaseOrderToOrder(segments, ctx);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  expect(submissionProblems(result.document)).toEqual([]);
  return result;
}

function problems(segments: ReturnType<typeof fixture>): SetProblem[] {
  const result = x12PurchaseOrderToOrder(segments, ctx4010);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('850 purchase order → OrderSubmission', () => {
  it('maps the header: partner as channel, PO number as order id, date, currency and account', () => {
    const { document: order } = mapped();
    expect(order).toMatchObject({
      channel: 'acme-retail', channelOrderId: '4500012345', poNumber: '4500012345', orderedAt: '2024-03-15T00:00:00Z',
      currency: 'USD', customer: { accountId: 'C-1001-42', name: 'Acme Retail Buying', business: true }, payment: { status: 'on_account' },
    });
    expect(order.attributes).toMatchObject({
      'x12.poDate': '20240315', 'x12.poType': 'SA', 'x12.requestedShipDate': '2024-03-20', 'x12.requestedDeliveryDate': '2024-03-25',
      'x12.carrier': 'UPSN', 'x12.transportMethod': 'U', 'x12.routing': 'UPS Ground', 'x12.ref.DP': '042', 'x12.ref.IA': 'V-7781',
      'x12.n103.ST': '92', 'x12.n104.BY': 'BY9',
    });
  });

  it('reads several N1 loops into ship-to and bill-to, keeping N104 location codes to echo', () => {
    const { document: order } = mapped();
    expect(order.shipTo).toEqual({
      name: 'Acme Store 42', company: 'Receiving Dock B', line1: '4200 Commerce Blvd', line2: 'Suite 5', city: 'Columbus', region: 'OH',
      postalCode: '43215', country: 'US', locationCode: '0042',
    });
    expect(order.billTo).toMatchObject({ name: 'Acme Retail Accounts Payable', line1: '100 Main Street', locationCode: 'AP01' });
  });

  it('converts a case to eaches through the profile: quantity × 12, price ÷ 12', () => {
    const line = mapped().document.lines[0]!;
    expect(line).toMatchObject({ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA', unitPrice: '2.00', channelSku: 'UP:012345678905', description: 'Widget, blue, case of 12' });
    expect(line.attributes).toEqual({ 'x12.id.UP': '012345678905', 'x12.id.VN': 'ABC-1', 'x12.unit': 'CA', 'x12.factor': '12', 'x12.price': '24.00', 'x12.priceBasis': 'PE' });
  });

  it('prefers a conversion for the SKU over the global one', () => {
    const profile = { ...acmeProfile, items: { ...acmeProfile.items, 'UP:012345678905': 'SKU-24' } };
    const line = mapped(po, { ...ctx4010, partner: profile }).document.lines[0]!;
    expect(line).toMatchObject({ sku: 'SKU-24', quantity: 48, unitPrice: '1.00' });
  });

  it("uses the cross-reference's own pack factor, and none when the partner orders in the cross-reference's unit", () => {
    const segments = edit(edit(po, 'PO1', 'PO1*1*2*PK*12.00**VN*PACK6'), 'CTT', 'CTT*3*8');
    expect(mapped(segments).document.lines[0]).toMatchObject({ sku: 'SKU-6', quantity: 12, uom: 'EA', unitPrice: '2.00' });
    const inEaches = edit(edit(po, 'PO1', 'PO1*1*2*EA*12.00**VN*PACK6'), 'CTT', 'CTT*3*8');
    expect(mapped(inEaches).document.lines[0]).toMatchObject({ sku: 'SKU-6', quantity: 2, uom: 'EA', unitPrice: '12.00' });
  });

  it('keeps an unknown item as QUALIFIER:id so the order flow holds it with a readable reason', () => {
    const result = mapped();
    expect(result.document.lines[1]).toMatchObject({ lineId: '2', sku: 'BP:B-77', quantity: 5, uom: 'EA', unitPrice: '3.50', discount: '5.00' });
    expect(result.document.lines[1]!.channelSku).toBeUndefined();
    expect(result.warnings.join('\n')).toContain('no cross-reference for BP:B-77, VP:XYZ-9');
  });

  it('maps a header SAC charge to shipping and a line SAC allowance to the line discount', () => {
    expect(mapped().document.charges).toEqual([{ type: 'shipping', amount: '12.50', description: 'Freight' }]);
  });

  it('takes the ship-to address from the profile when the 850 sends only a location code', () => {
    let segments = edit(po, 'N1', 'N1*BT*Acme AP*92*AP01');
    const i = segments.findIndex((s) => s.tag === 'N1' && s.elements[0] === 'ST');
    segments = [...segments.slice(0, i), { tag: 'N1', elements: ['ST', 'Store 77', '92', '0077'] }, ...segments.slice(i + 4)];
    const order = mapped(segments).document;
    expect(order.shipTo).toMatchObject({ name: 'Acme Store 77', line1: '77 Harbor Road', city: 'Portland', locationCode: '0077' });
    expect(order.customer.accountId).toBe('C-1001');
  });

  it('uses the profile currency when there is no CUR and reads 005010 the same way', () => {
    expect(mapped(edit(po, 'CUR'), { ...ctx5010, partner: { ...acmeProfile, defaults: { currency: 'CAD' } } }).document.currency).toBe('CAD');
  });

  it('turns BEG01 = 01 into a cancellation and a release number into its own order id', () => {
    const order = mapped(edit(po, 'BEG', 'BEG*01*BK*4500012345*R7*20240315')).document;
    expect(order.channelOrderId).toBe('4500012345/R7');
    expect(order.cancellation?.reason).toContain('BEG01');
  });

  it('names a missing BEG as a missing mandatory segment', () => {
    expect(problems(edit(po, 'BEG'))).toContainEqual(expect.objectContaining({ segmentTag: 'BEG', segmentPosition: 2, segmentCode: '3' }));
  });

  it('names a bad BEG01 purpose code with AK403 7', () => {
    expect(problems(edit(po, 'BEG', 'BEG*ZZ*SA*4500012345**20240315'))).toEqual([
      expect.objectContaining({ segmentTag: 'BEG', segmentPosition: 2, segmentCode: '8', elementPosition: 1, elementCode: '7', value: 'ZZ', elementReference: '353' }),
    ]);
  });

  it('names a bad date with AK403 8 and an unknown currency with AK403 7', () => {
    expect(problems(edit(po, 'BEG', 'BEG*00*SA*4500012345**20240231'))).toContainEqual(expect.objectContaining({ segmentTag: 'BEG', elementPosition: 5, elementCode: '8' }));
    expect(problems(edit(po, 'CUR', 'CUR*BY*XXX'))).toContainEqual(expect.objectContaining({ segmentTag: 'CUR', segmentPosition: 3, elementPosition: 2, elementCode: '7' }));
  });

  it('rejects a CTT whose hash total does not match the PO102 quantities, naming CTT02', () => {
    const found = problems(edit(po, 'CTT', 'CTT*3*9'));
    expect(found).toEqual([expect.objectContaining({ segmentTag: 'CTT', segmentPosition: 24, segmentCode: '8', elementPosition: 2, value: '9' })]);
    expect(found[0]!.message).toContain('hash total 9');
  });

  it('rejects a CTT whose line count does not match the PO1 segments, naming CTT01', () => {
    expect(problems(edit(po, 'CTT', 'CTT*2*8'))).toEqual([expect.objectContaining({ segmentTag: 'CTT', elementPosition: 1, value: '2' })]);
  });

  it('names PO1 problems inside the PO1 loop: missing quantity, product id without qualifier', () => {
    const found = problems(edit(po, 'PO1', 'PO1*1**CA*24.00***012345678905'));
    expect(found).toContainEqual(expect.objectContaining({ segmentTag: 'PO1', segmentPosition: 18, loopId: 'PO1', elementPosition: 2, elementCode: '1' }));
    expect(found).toContainEqual(expect.objectContaining({ segmentTag: 'PO1', elementPosition: 6, elementCode: '2' }));
  });

  it('rejects a ship-to with no address whose location the profile does not know', () => {
    const i = po.findIndex((s) => s.tag === 'N1' && s.elements[0] === 'ST');
    const segments = [...po.slice(0, i), { tag: 'N1', elements: ['ST', 'Store 99', '92', '0099'] }, ...po.slice(i + 4)];
    expect(problems(segments)).toEqual([expect.objectContaining({ segmentTag: 'N3', segmentCode: '3' })]);
  });

  it('rejects a set that is not an 850', () => {
    expect(problems(edit(po, 'ST', 'ST*855*0001'))).toContainEqual(expect.objectContaining({ segmentTag: 'ST', elementPosition: 1, elementCode: '7' }));
  });
});
