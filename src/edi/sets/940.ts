/**
 * 940 Warehouse Shipping Order (out) to a 3PL from an accepted order.
 *
 * 004010 layout as Stedi publishes the 940 (https://stedi.com/edi/x12-003020/940) and
 * Microsoft's 4010 940 guide (https://studylib.net/doc/8594376/940): W05 (W0501 N original,
 * W0502 depositor order number = crossdock order id, W0503 PO number); N1 loops ST (full
 * address: the 3PL prints the label from it, and the retailer's N104 rides along) and SF/DE
 * from the profile; N9 references (CO customer order number); G62 dates (10 requested ship, 02
 * deliver by); W66 carrier (https://stedi.com/edi/x12-005010/segment/W66: W6601 payment PP,
 * W6602 transport method, W6605 routing, W6610
 * SCAC); per line LX + W01 (W0101 quantity, W0102 unit, W0104/05 the crossdock SKU under the
 * profile qualifier, W0106/07 UPC when the order carries one) + G69 description + N9*LI line
 * id (echoed back in the 945); W76 total quantity. Quantities are crossdock units: the 3PL
 * stocks what crossdock stocks. 005010 is the same for these segments.
 */
import type { Order } from '../../canonical/order.js';
import { scacOf } from './carriers.js';
import { ATTR, lineItemIds } from './echo.js';
import { skuQualifierOf } from './partner-profile.js';
import { n1Loop, profileParty } from './parties.js';
import { seg, type OutSegment, type SetContext } from './segments.js';
import { quantityToR } from './values.js';

export interface WarehouseOrderInput {
  order: Order;
  /** Carrier chosen by crossdock (name or SCAC); @default the 850's TD5 carrier */
  carrier?: string;
  service?: string;
}

/** The segments between ST and SE of a 940. */
export function orderToX12WarehouseShippingOrder(input: WarehouseOrderInput, ctx: SetContext): OutSegment[] {
  const { order } = input;
  const attrs = order.attributes ?? {};
  const out: OutSegment[] = [seg('W05', order.cancellation ? 'C' : 'N', order.id.slice(0, 22), order.poNumber?.slice(0, 22))];
  out.push(...n1Loop('ST', order.shipTo, { idQualifier: attrs[`${ATTR.n103Prefix}ST`] ?? '92', withAddress: true }));
  const shipFrom = ctx.partner.defaults?.shipFrom;
  if (shipFrom) out.push(...profileParty('SF', shipFrom));
  const depositor = ctx.partner.defaults?.depositor;
  if (depositor) out.push(...profileParty('DE', depositor));
  out.push(seg('N9', 'CO', order.channelOrderId.slice(0, 30)));
  const shipDate = attrs['x12.requestedShipDate'];
  if (shipDate) out.push(seg('G62', '10', shipDate.replace(/-/g, '')));
  const deliverDate = attrs['x12.requestedDeliveryDate'];
  if (deliverDate) out.push(seg('G62', '02', deliverDate.replace(/-/g, '')));
  const carrier = input.carrier ?? attrs['x12.carrier'];
  const routing = [input.carrier, input.service ?? attrs['x12.routing']].filter(Boolean).join(' ').slice(0, 35);
  out.push(seg('W66', 'PP', attrs['x12.transportMethod'] ?? 'M', undefined, undefined, routing || undefined, undefined, undefined, undefined, undefined, carrier ? scacOf(carrier) : undefined));

  let total = 0;
  order.lines.forEach((line, i) => {
    if (line.giftCard) return;
    const upc = lineItemIds(line).find((id) => id.qualifier === 'UP');
    out.push(seg('LX', String(i + 1)));
    out.push(seg('W01', quantityToR(line.quantity), line.uom, undefined, skuQualifierOf(ctx.partner), line.sku, upc ? 'UP' : undefined, upc?.id));
    if (line.description) out.push(seg('G69', line.description.slice(0, 45)));
    if (line.lineId) out.push(seg('N9', 'LI', line.lineId));
    total += line.quantity;
  });
  out.push(seg('W76', quantityToR(total)));
  return out;
}
