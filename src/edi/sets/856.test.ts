// Expected HL structure after the 004010 856 (http://www.miscouncil.org/committees/standards/4010_856.html);
// CTT01 = number of HL segments per Belk's 004010 856 guide, note 3/010.
import { describe, expect, it } from 'vitest';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { shipmentToX12ShipNotice } from './856.js';
import { acceptedAcmeOrder, render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';
import { buildSscc, isValidSscc } from './sscc.js';

const order = acceptedAcmeOrder();
const sscc1 = buildSscc({ extension: 0, companyPrefix: '0614141', serial: 1 });
const sscc2 = buildSscc({ extension: 0, companyPrefix: '0614141', serial: 2 });
const shipment: ShipmentSubmission = {
  orderId: order.id, shipmentId: 'SHP-778', shippedAt: '2024-03-19T15:42:00Z', carrier: 'UPS', service: 'Ground',
  tracking: [{ number: '1Z999AA10123456784' }], billOfLading: 'BOL-5521',
  lines: [{ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA' }, { lineId: '2', sku: 'BP:B-77', quantity: 5 }, { lineId: '3', sku: 'SKU-3', quantity: 1 }],
  packages: [
    { sscc: sscc1, weight: { value: 12.5, unit: 'LB' }, lines: [{ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA' }] },
    { sscc: sscc2, trackingNumber: '1Z999AA10123456791', weight: { value: 4, unit: 'LB' }, lines: [{ lineId: '2', sku: 'BP:B-77', quantity: 5 }, { lineId: '3', sku: 'SKU-3', quantity: 1 }] },
  ],
};

describe('856 ship notice from a shipment and its order', () => {
  it('writes S-O-P-I with parent links, child codes, echoed location code, item qualifiers and line numbers', () => {
    expect(isValidSscc(sscc1)).toBe(true);
    expect(render(shipmentToX12ShipNotice({ shipment, order }, ctx4010)).split('~\n')).toEqual([
      'BSN*00*SHP-778*20240319*1542*0001',
      'HL*1**S*1', 'TD1*CTN25*2****G*16.5*LB', 'TD5*B*2*UPSN**UPS Ground', 'REF*BM*BOL-5521', 'REF*CN*1Z999AA10123456784', 'DTM*011*20240319*1542',
      'N1*ST*Acme Store 42*92*0042', 'N1*SF*Crossdock Distribution*92*DC1', 'N3*1 Dock Way', 'N4*Dayton*OH*45402*US',
      'HL*2*1*O*1', 'PRF*4500012345***20240315',
      'HL*3*2*P*1', 'TD1*CTN25*1****G*12.5*LB', `MAN*GM*${sscc1}`,
      'HL*4*3*I*0', 'LIN*1*UP*012345678905*VN*ABC-1', 'SN1**2*CA',
      'HL*5*2*P*1', 'TD1*CTN25*1****G*4*LB', `MAN*GM*${sscc2}`, 'MAN*CP*1Z999AA10123456791',
      'HL*6*5*I*0', 'LIN*2*BP*B-77*VP*XYZ-9', 'SN1**5*EA',
      'HL*7*5*I*0', 'LIN*3*VN*VN-KNOWN', 'SN1**1*EA',
      'CTT*7*8',
    ]);
  });

  it('reports a broken case in eaches and uses S-O-I (0004) when there are no packages', () => {
    const loose: ShipmentSubmission = { ...shipment, packages: undefined, lines: [{ lineId: '1', sku: 'SKU-1', quantity: 18, uom: 'EA' }] };
    const lines = render(shipmentToX12ShipNotice({ shipment: loose, order }, ctx4010)).split('~\n');
    expect(lines[0]).toBe('BSN*00*SHP-778*20240319*1542*0004');
    expect(lines.filter((l) => /^(HL|LIN|SN1|CTT)/.test(l))).toEqual(['HL*1**S*1', 'HL*2*1*O*1', 'HL*3*2*I*0', 'LIN*1*UP*012345678905*VN*ABC-1', 'SN1**18*EA', 'CTT*3*18']);
  });

  it('sends the SKU under the profile qualifier for a line the 850 did not carry', () => {
    const extra: ShipmentSubmission = { ...shipment, packages: undefined, lines: [{ sku: 'SKU-NEW', quantity: 2 }] };
    expect(render(shipmentToX12ShipNotice({ shipment: extra, order, withCtt: false }, ctx4010))).toContain('LIN**VN*SKU-NEW~\nSN1**2*EA');
  });
});

describe('856 with lines outside every package', () => {
  it('lists them as items under the order, so the notice covers the whole shipment', () => {
    const order = { channel: 'acme-retail', channelOrderId: 'PO-1', poNumber: 'PO-1', orderedAt: '2026-11-20T00:00:00Z', currency: 'USD',
      customer: { accountId: 'C-1' }, shipTo: { name: 'A', line1: '1 St', city: 'X', country: 'US' }, payment: { status: 'on_account' as const },
      lines: [{ lineId: '1', sku: 'SKU-1', quantity: 6, uom: 'EA', unitPrice: '1.00' }, { lineId: '2', sku: 'SKU-2', quantity: 12, uom: 'EA', unitPrice: '1.00' }] };
    const shipment = { orderId: 'o', shipmentId: 'S1', shippedAt: '2026-11-20T10:00:00Z', carrier: 'UPS', tracking: [],
      lines: [{ lineId: '1', sku: 'SKU-1', quantity: 6 }, { lineId: '2', sku: 'SKU-2', quantity: 12 }],
      packages: [{ trackingNumber: '1Z1', lines: [{ lineId: '1', sku: 'SKU-1', quantity: 6 }] }] };
    const segments = shipmentToX12ShipNotice({ shipment, order }, ctx4010);
    const hl = segments.filter((s) => s.tag === 'HL').map((s) => s.elements.slice(0, 3));
    expect(hl).toEqual([['1', undefined, 'S'], ['2', '1', 'O'], ['3', '2', 'P'], ['4', '3', 'I'], ['5', '2', 'I']]);
    expect(segments.filter((s) => s.tag === 'SN1').map((s) => s.elements[1])).toEqual(['6', '12']);
    expect(segments.find((s) => s.tag === 'CTT')?.elements).toEqual(['5', '18']);
  });
});
