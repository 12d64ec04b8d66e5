/**
 * 856 Ship Notice/Manifest (out) from a ShipmentSubmission and the order it ships.
 *
 * Pick-and-pack layout S-O-P-I (BSN05 0001) when the shipment lists packages, S-O-I (0004) when
 * it does not. HL01 counts up from 1, HL02 names the parent, HL03 the level (S, O, P, I), HL04 is
 * 1 when children follow, 0 for a leaf. Segments per level, after the 004010 856 as published by
 * MIS Council (http://www.miscouncil.org/committees/standards/4010_856.html) and retailer guides:
 * shipment TD1 (cartons, weight), TD5 (SCAC), REF BM bill of lading / CN tracking, DTM 011 shipped,
 * N1 ST (the 850's location code echoed) and SF; order PRF (PO number, PO date); pack MAN GM
 * (SSCC-18) or MAN CP (carrier package id); item LIN (PO1 line number + the 850's item
 * qualifiers) and SN1 (quantity, unit).
 * CTT01 in the 856 counts HL segments, not items, and CTT02 is the sum of SN102: Belk's 004010
 * guide, note 3/010 ("Number of line items (CTT01) is the accumulation of the number of HL
 * segments. If used, hash total (CTT02) is the sum of the value of units shipped (SN102)"),
 * https://businessdocbox.com/amp/100392934-Logistics/Belk-stores-856-ship-notice-manifest.html.
 * 005010 keeps the same layout; some 5010 guides drop CTT (it is optional): `withCtt: false`.
 */
import type { ShipmentLine, ShipmentPackage, ShipmentSubmission } from '../../canonical/shipment.js';
import { scacOf } from './carriers.js';
import { ATTR, findOrderLine, outboundItemIds, poDateOf, toPartnerQuantity, type AnyOrder } from './echo.js';
import { itemIdElements } from './items.js';
import { skuQualifierOf } from './partner-profile.js';
import { n1Loop, profileParty } from './parties.js';
import { seg, type OutSegment, type SetContext } from './segments.js';
import { hashTotal, isoToX12Date, isoToX12Time, quantityToR } from './values.js';

export interface ShipNoticeInput {
  shipment: ShipmentSubmission;
  order: AnyOrder;
  /** @default true */
  withCtt?: boolean;
}

/** The segments between ST and SE of an 856. */
export function shipmentToX12ShipNotice(input: ShipNoticeInput, ctx: SetContext): OutSegment[] {
  const { shipment, order } = input;
  const packs = shipment.packages ?? [];
  const out: OutSegment[] = [seg('BSN', '00', shipment.shipmentId.slice(0, 30), isoToX12Date(shipment.shippedAt), isoToX12Time(shipment.shippedAt), packs.length > 0 ? '0001' : '0004')];
  let hl = 0;
  const quantities: string[] = [];
  const open = (parent: number | undefined, level: string, hasChildren: boolean): number => {
    hl += 1;
    out.push(seg('HL', String(hl), parent === undefined ? undefined : String(parent), level, hasChildren ? '1' : '0'));
    return hl;
  };

  const shipmentHl = open(undefined, 'S', true);
  out.push(...shipmentLevel(shipment, packs));
  out.push(...n1Loop('ST', order.shipTo, { idQualifier: order.attributes?.[`${ATTR.n103Prefix}ST`] ?? '92' }));
  const shipFrom = ctx.partner.defaults?.shipFrom;
  if (shipFrom) out.push(...profileParty('SF', shipFrom));

  const orderHl = open(shipmentHl, 'O', true);
  out.push(seg('PRF', (order.poNumber ?? order.channelOrderId).slice(0, 22), undefined, undefined, poDateOf(order)));

  const item = (parent: number, line: ShipmentLine): void => {
    open(parent, 'I', false);
    const orderLine = findOrderLine(order, line);
    const q = toPartnerQuantity(line.quantity, line.uom, orderLine);
    quantities.push(quantityToR(q.quantity));
    out.push(seg('LIN', orderLine?.lineId ?? line.lineId, ...itemIdElements(outboundItemIds(orderLine, line.sku, skuQualifierOf(ctx.partner)), 10)));
    out.push(seg('SN1', undefined, quantityToR(q.quantity), q.uom));
  };

  if (packs.length === 0) {
    for (const line of shipment.lines) item(orderHl, line);
  } else {
    for (const pack of packs) {
      const packHl = open(orderHl, 'P', true);
      out.push(...packLevel(pack));
      for (const line of pack.lines) item(packHl, line);
    }
    // Lines the packages do not cover (a 945 line with no carton, loose freight) still ship:
    // they are items directly under the order, so the 856 accounts for the whole shipment.
    for (const line of unpacked(shipment.lines, packs)) item(orderHl, line);
  }
  if (input.withCtt !== false) out.push(seg('CTT', String(hl), hashTotal(quantities)));
  return out;
}

/** The quantity of each shipment line that no package holds. */
function unpacked(lines: readonly ShipmentLine[], packs: readonly ShipmentPackage[]): ShipmentLine[] {
  const key = (l: ShipmentLine) => l.lineId ?? `sku:${l.sku}`;
  const packed = new Map<string, number>();
  for (const pack of packs) for (const l of pack.lines) packed.set(key(l), (packed.get(key(l)) ?? 0) + l.quantity);
  return lines.flatMap((l) => {
    const rest = l.quantity - (packed.get(key(l)) ?? 0);
    packed.set(key(l), Math.max(0, (packed.get(key(l)) ?? 0) - l.quantity));
    return rest > 0 ? [{ ...l, quantity: rest }] : [];
  });
}

function shipmentLevel(shipment: ShipmentSubmission, packs: readonly ShipmentPackage[]): OutSegment[] {
  const out: OutSegment[] = [];
  const weights = packs.map((p) => p.weight);
  const unit = weights[0]?.unit;
  const total = weights.every((w) => w && w.unit === unit) && unit ? weights.reduce((sum, w) => sum + (w?.value ?? 0), 0) : undefined;
  if (packs.length > 0) out.push(seg('TD1', 'CTN25', String(packs.length), undefined, undefined, undefined, total !== undefined ? 'G' : undefined, total !== undefined ? quantityToR(Number(total.toFixed(2))) : undefined, total !== undefined ? unit : undefined));
  const scac = scacOf(shipment.carrier);
  const routing = [shipment.carrier, shipment.service].filter(Boolean).join(' ').slice(0, 35);
  out.push(seg('TD5', 'B', scac ? '2' : undefined, scac, undefined, routing));
  if (shipment.billOfLading) out.push(seg('REF', 'BM', shipment.billOfLading.slice(0, 30)));
  // Per-package tracking goes on the pack (MAN CP); the shipment level carries the master tracking number.
  const master = shipment.tracking[0]?.number;
  if (master) out.push(seg('REF', 'CN', master.slice(0, 30)));
  out.push(seg('DTM', '011', isoToX12Date(shipment.shippedAt), isoToX12Time(shipment.shippedAt)));
  return out;
}

function packLevel(pack: ShipmentPackage): OutSegment[] {
  const out: OutSegment[] = [];
  if (pack.weight) out.push(seg('TD1', 'CTN25', '1', undefined, undefined, undefined, 'G', quantityToR(pack.weight.value), pack.weight.unit));
  if (pack.sscc) out.push(seg('MAN', 'GM', pack.sscc));
  if (pack.trackingNumber) out.push(seg('MAN', 'CP', pack.trackingNumber.slice(0, 48)));
  return out;
}
