/**
 * 945 Warehouse Shipping Advice (in) from a 3PL → ShipmentSubmission.
 *
 * 004010 layout as in the 3PL Central 945 guide (https://www.stedi.com/app/guides/view/3-pl-central/945/01H5N3BP552JGKCF59S5H8FRNB)
 * and the 004010UCS guide at https://docplayer.net/amp/22519751-945-warehouse-shipping-advice.html:
 * W06 (W0601 reporting code, W0602 depositor order number = the crossdock order id sent in the
 * 940's W0502, W0603 ship date, W0604 shipment id, W0606 PO number); N1 loops; N9 (BM bill of
 * lading, CN carrier reference); G62*11 shipped date and time; W27 (W2701 transport method,
 * W2702 SCAC, W2703 routing); LX loops with MAN (GM SSCC, CP carrier package id = tracking),
 * W12 (W1201 status, W1202 ordered, W1203 shipped, W1204 difference, W1205 unit, W1207/08
 * item id) and N9*LI line id; W03 (W0301 total units shipped, W0302 weight, W0303 unit) —
 * checked against the W12s. Same in 005010.
 */
import type { ShipmentLine, ShipmentPackage, ShipmentSubmission } from '../../canonical/shipment.js';
import { carrierNameOf } from './carriers.js';
import { resolveItem } from './cross-reference.js';
import { elementProblem, newProblems, optional, required, segmentProblem } from './elements.js';
import { expectedAt, ignoredWarning, setBody } from './envelope.js';
import { readItemIds } from './items.js';
import { skuQualifierOf } from './partner-profile.js';
import { isValidSscc } from './sscc.js';
import type { InSegment, SetContext, SetResult } from './segments.js';
import { hashTotal, x12DateToIso } from './values.js';

interface Carton { sscc?: string; tracking?: string; lines: ShipmentLine[] }

/** Reads one 945 (ST … SE). Never throws for bad data. */
export function x12WarehouseShippingAdviceToShipment(segments: readonly InSegment[], ctx: SetContext): SetResult<ShipmentSubmission> {
  const p = newProblems();
  const body = setBody(p, segments, '945');
  const warnings: string[] = [];
  const ignored = new Set<string>();
  const w06At = body.find((at) => at.seg.tag === 'W06');
  if (!w06At) segmentProblem(p, 'W06', expectedAt(body, () => true), '3', 'W06 (warehouse shipment identification) is missing');
  const orderId = w06At ? required(p, w06At, 2, { type: 'AN', min: 1, max: 30, ref: '285' }) : undefined;
  const shipDate = w06At ? required(p, w06At, 3, { type: 'DT', min: 8, max: 8, ref: '373' }) : undefined;
  const shipmentId = w06At ? required(p, w06At, 4, { type: 'AN', min: 1, max: 30, ref: '145' }) : undefined;
  let shipTime: string | undefined;
  let scac: string | undefined, routing: string | undefined, billOfLading: string | undefined, warehouse: string | undefined;
  const tracking: string[] = [];
  const cartons: Carton[] = [];
  const shipped: string[] = [];
  let current: ShipmentLine | undefined;
  let w03: (typeof body)[number] | undefined;
  for (const at of body) {
    const { tag } = at.seg;
    if (tag === 'LX') { p.loop = 'LX'; cartons.push({ lines: [] }); current = undefined; continue; }
    const carton = cartons[cartons.length - 1];
    switch (tag) {
      case 'W06': break;
      case 'N1': { const q = optional(p, at, 1, { type: 'ID', min: 2, max: 3 }); const id = optional(p, at, 4, { type: 'AN', min: 2, max: 80 }); if (id && (q === 'SF' || q === 'WH')) warehouse = id; break; }
      case 'N2': case 'N3': case 'N4': break;
      case 'N9': {
        const q = required(p, at, 1, { type: 'ID', min: 2, max: 3, ref: '128' });
        const v = optional(p, at, 2, { type: 'AN', min: 1, max: 50, ref: '127' });
        if (!v) break;
        if (q === 'LI' && current) current.lineId = v.slice(0, 64);
        else if (q === 'BM') billOfLading = v;
        else if (q === 'CN') tracking.push(v);
        break;
      }
      case 'G62': {
        const q = required(p, at, 1, { type: 'ID', min: 2, max: 2 });
        optional(p, at, 2, { type: 'DT', min: 8, max: 8 });
        const time = optional(p, at, 4, { type: 'TM', min: 4, max: 8 });
        if (q === '11' && time) shipTime = time;
        break;
      }
      case 'W27': {
        required(p, at, 1, { type: 'ID', min: 1, max: 2, ref: '91' });
        scac = optional(p, at, 2, { type: 'ID', min: 2, max: 4, ref: '140' });
        routing = optional(p, at, 3, { type: 'AN', min: 1, max: 35, ref: '387' });
        break;
      }
      case 'MAN': {
        const q = required(p, at, 1, { type: 'ID', min: 1, max: 2, ref: '88' });
        const mark = required(p, at, 2, { type: 'AN', min: 1, max: 48, ref: '87' });
        if (!mark) break;
        if (q === 'GM' && carton) {
          if (isValidSscc(mark)) carton.sscc = mark;
          else warnings.push(`MAN*GM at segment ${at.position}: "${mark}" is not an SSCC-18 with a valid check digit; not recorded`);
        }
        else if (q === 'CP') { if (carton) carton.tracking = mark; if (!tracking.includes(mark)) tracking.push(mark); }
        break;
      }
      case 'W12': {
        current = undefined;
        const ordered = optional(p, at, 2, { type: 'R', min: 1, max: 15, ref: '330' });
        const qty = required(p, at, 3, { type: 'R', min: 1, max: 10, ref: '382' });
        const difference = optional(p, at, 4, { type: 'R', min: 1, max: 10, ref: '1018' });
        const unit = optional(p, at, 5, { type: 'ID', min: 2, max: 2, ref: '355' });
        const upc = optional(p, at, 6, { type: 'AN', min: 12, max: 12, ref: '438' });
        const ids = [...readItemIds(p, at, 7, 1), ...(upc ? [{ qualifier: 'UP', id: upc }] : [])];
        if (ids.length === 0) { elementProblem(p, at, 7, '1', 'W12 carries no item id (W1207/W1208)', undefined, '235'); break; }
        if (qty === undefined) break;
        if (ordered !== undefined && difference !== undefined && Number(ordered) - Number(qty) !== Number(difference)) warnings.push(`W12 at segment ${at.position}: ordered ${ordered} - shipped ${qty} is not the difference ${difference}`);
        shipped.push(qty);
        // The 940 sent crossdock SKUs under the profile's qualifier: those come back as they are.
        const own = ids.find((i) => i.qualifier === skuQualifierOf(ctx.partner));
        const item = resolveItem(ctx.partner, ids);
        const sku = item?.mapped ? item.sku : (own?.id ?? item?.sku ?? '');
        if (!item?.mapped && !own) warnings.push(`W12 at segment ${at.position}: no cross-reference for ${item?.key ?? ''}`);
        if (Number(qty) <= 0) { warnings.push(`W12 at segment ${at.position}: ${sku} not shipped${difference ? ` (short ${difference})` : ''}`); break; }
        current = { sku: sku.slice(0, 100), quantity: Number(qty) * (item?.mapped ? (item.factor ?? 1) : 1), ...(unit ? { uom: unit } : {}) };
        if (carton) carton.lines.push(current); else { cartons.push({ lines: [current] }); }
        break;
      }
      case 'W03': p.loop = undefined; w03 = at; break;
      default: ignored.add(tag);
    }
  }
  if (!w03) segmentProblem(p, 'W03', body.length + 2, '3', 'W03 (total shipment information) is missing');
  else {
    const total = required(p, w03, 1, { type: 'R', min: 1, max: 10, ref: '382' });
    if (total !== undefined && shipped.length > 0 && hashTotal(shipped) !== hashTotal([total])) {
      elementProblem(p, w03, 1, undefined, `W0301 total ${total} does not match the W12 shipped quantities (${hashTotal(shipped)})`, total, '382');
    }
  }
  const lines = cartons.flatMap((c) => c.lines);
  if (lines.length === 0 && w06At) segmentProblem(p, 'W12', expectedAt(body, (t) => t === 'W03'), '3', 'the advice ships nothing (no W12 with a shipped quantity)');
  if (p.list.length > 0 || !orderId || !shipDate || !shipmentId) return { ok: false, problems: p.list };
  if (!scac && !routing) warnings.push('no W27 carrier: carrier recorded as "unknown"');
  const packages: ShipmentPackage[] = cartons
    .filter((c) => c.lines.length > 0 && (c.sscc !== undefined || c.tracking !== undefined))
    .map((c) => ({ ...(c.sscc ? { sscc: c.sscc } : {}), ...(c.tracking ? { trackingNumber: c.tracking } : {}), lines: c.lines }));
  const shipment: ShipmentSubmission = {
    orderId, shipmentId, shippedAt: x12DateToIso(shipDate, shipTime),
    carrier: scac ? carrierNameOf(scac) : (routing ?? 'unknown'),
    ...(routing ? { service: routing } : {}),
    tracking: tracking.map((number) => ({ number: number.slice(0, 100) })),
    lines: mergeLines(lines),
    ...(warehouse ? { warehouse: warehouse.slice(0, 64) } : {}),
    ...(packages.length > 0 ? { packages } : {}),
    ...(billOfLading ? { billOfLading: billOfLading.slice(0, 64) } : {}),
  };
  return { ok: true, document: shipment, warnings: [...warnings, ...ignoredWarning(ignored)] };
}

/** One shipment line per order line: a line split over several cartons adds up. */
function mergeLines(lines: readonly ShipmentLine[]): ShipmentLine[] {
  const merged = new Map<string, ShipmentLine>();
  for (const l of lines) {
    const key = `${l.lineId ?? ''}|${l.sku}|${l.uom ?? ''}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, quantity: seen.quantity + l.quantity } : { ...l });
  }
  return [...merged.values()];
}
