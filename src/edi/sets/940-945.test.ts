// 940 after Stedi's 940 (https://stedi.com/edi/x12-003020/940) and Microsoft's 4010 940 guide;
// 945 fixture after the 004010UCS 945 guide (https://docplayer.net/amp/22519751-945-warehouse-shipping-advice.html)
// and 3PL Central's 945 on Stedi.
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { ShipmentSubmission } from '../../canonical/shipment.js';
import { orderToX12WarehouseShippingOrder } from './940.js';
import { x12WarehouseShippingAdviceToShipment } from './945.js';
import { acceptedAcmeOrder, render } from './fixtures/orders.js';
import { ctx4010 } from './fixtures/profile.js';
import { edit, fixture } from './fixtures/split.js';

const order = acceptedAcmeOrder();
const advice = fixture('945-3pl.x12');
const shipmentValidator = Compile(ShipmentSubmission);

describe('940 warehouse shipping order', () => {
  it('sends the order to the 3PL in crossdock units with the depositor order number and line ids', () => {
    expect(render(orderToX12WarehouseShippingOrder({ order }, ctx4010)).split('~\n')).toEqual([
      'W05*N*ord_01HV8*4500012345',
      'N1*ST*Acme Store 42*92*0042', 'N3*4200 Commerce Blvd*Suite 5', 'N4*Columbus*OH*43215*US',
      'N1*SF*Crossdock Distribution*92*DC1', 'N3*1 Dock Way', 'N4*Dayton*OH*45402*US',
      'N9*CO*4500012345',
      'G62*10*20240320', 'G62*02*20240325',
      'W66*PP*U***UPS Ground*****UPSN',
      'LX*1', 'W01*24*EA**VN*SKU-1*UP*012345678905', 'G69*Widget, blue, case of 12', 'N9*LI*1',
      'LX*2', 'W01*5*EA**VN*BP:B-77', 'G69*Gadget', 'N9*LI*2',
      'LX*3', 'W01*1*EA**VN*SKU-3', 'N9*LI*3',
      'W76*30',
    ]);
  });
});

describe('945 warehouse shipping advice → ShipmentSubmission', () => {
  it('maps W06, W27, cartons with SSCC and tracking, W12 lines with their line ids', () => {
    const r = x12WarehouseShippingAdviceToShipment(advice, ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(shipmentValidator.Check(r.document)).toBe(true);
    expect(r.document).toEqual({
      orderId: 'ord_01HV8', shipmentId: 'WH-SHP-1001', shippedAt: '2024-03-19T15:42:00Z', carrier: 'UPS', service: 'UPS Ground',
      tracking: [{ number: '1Z999AA10123456784' }, { number: '1Z999AA10123456791' }],
      lines: [{ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA' }, { lineId: '2', sku: 'BP:B-77', quantity: 3, uom: 'EA' }, { lineId: '3', sku: 'SKU-3', quantity: 1, uom: 'EA' }],
      warehouse: 'DC1', billOfLading: 'BOL-5521',
      packages: [
        { sscc: '006141410000000012', trackingNumber: '1Z999AA10123456784', lines: [{ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA' }] },
        { sscc: '006141410000000029', trackingNumber: '1Z999AA10123456791', lines: [{ lineId: '2', sku: 'BP:B-77', quantity: 3, uom: 'EA' }, { lineId: '3', sku: 'SKU-3', quantity: 1, uom: 'EA' }] },
      ],
    });
  });

  it('drops an SSCC whose check digit is wrong, with a warning', () => {
    const r = x12WarehouseShippingAdviceToShipment(edit(advice, 'MAN', 'MAN*GM*006141410000000013'), ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.document.packages?.[0]).toEqual({ trackingNumber: '1Z999AA10123456784', lines: [{ lineId: '1', sku: 'SKU-1', quantity: 24, uom: 'EA' }] });
    expect(r.warnings.join('\n')).toContain('valid check digit');
  });

  it('names a W03 total that does not match the W12 shipped quantities', () => {
    const r = x12WarehouseShippingAdviceToShipment(edit(advice, 'W03', 'W03*30*16.5*LB'), ctx4010);
    expect(!r.ok && r.problems).toEqual([expect.objectContaining({ segmentTag: 'W03', segmentPosition: 20, elementPosition: 1, value: '30' })]);
  });

  it('names a missing W06 and a bad ship date', () => {
    const missing = x12WarehouseShippingAdviceToShipment(edit(advice, 'W06'), ctx4010);
    expect(!missing.ok && missing.problems).toContainEqual(expect.objectContaining({ segmentTag: 'W06', segmentCode: '3', segmentPosition: 2 }));
    const badDate = x12WarehouseShippingAdviceToShipment(edit(advice, 'W06', 'W06*F*ord_01HV8*20241319*WH-SHP-1001'), ctx4010);
    expect(!badDate.ok && badDate.problems).toEqual([expect.objectContaining({ segmentTag: 'W06', elementPosition: 3, elementCode: '8' })]);
  });

  it('skips a line shipped short to zero with a warning', () => {
    const r = x12WarehouseShippingAdviceToShipment(edit(edit(advice, 'W12', 'W12*CP*24*0*24*EA**VN*SKU-1'), 'W03', 'W03*4'), ctx4010);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.document.lines.map((l) => l.sku)).toEqual(['BP:B-77', 'SKU-3']);
    expect(r.warnings.join('\n')).toContain('SKU-1 not shipped (short 24)');
  });
});
