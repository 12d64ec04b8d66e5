/**
 * 860 Purchase Order Change (in) → the next version of the order, plus what changed.
 *
 * Layout from IBM's 860 reference (https://ibm.com/docs/en/b2bis?topic=standards-860-purchase-order-change):
 * BCH01 purpose (01 cancellation, 04 change, 05 replace), BCH03 PO number, BCH05 change sequence,
 * BCH06 PO date, BCH11 change date; POC per changed line: POC01 line number, POC02 change type
 * (AI add item, DI delete item, QD quantity decrease, QI quantity increase, PC price change, CA
 * changes to line items), POC03 quantity ordered (the revised total, in the partner's unit),
 * POC05 unit, POC06 unit price, POC08/09 … product ids; CTT01 number of POC segments.
 * 005010 is the same here except POC05 is a plain unit code (a composite in 004010, first
 * component used).
 */
import type { OrderLine, OrderSubmission } from '../../canonical/order.js';
import { resolveUnit, resolveItem } from './cross-reference.js';
import { ATTR, lineItemIds } from './echo.js';
import { elementProblem, newProblems, optional, required, segmentProblem, type Problems } from './elements.js';
import { expectedAt, ignoredWarning, setBody } from './envelope.js';
import { readItemIds } from './items.js';
import { extendParty, partyAddress, readN1, type Party } from './parties.js';
import { pricePerUnit, toOrderLine } from './po1.js';
import type { InSegment, Located, SetContext, SetResult } from './segments.js';
import { quantityToR, rToDecimal, tidyMoney, x12DateToIso } from './values.js';

export type OrderChange =
  | { kind: 'cancelled' }
  | { kind: 'added'; lineId?: string; sku: string; quantity: number }
  | { kind: 'deleted'; lineId: string; sku: string }
  | { kind: 'quantity'; lineId: string; sku: string; from: number; to: number }
  | { kind: 'price'; lineId: string; sku: string; from: string; to: string }
  | { kind: 'shipTo'; locationCode?: string }
  | { kind: 'attribute'; key: string; to: string };

export interface OrderRevision {
  /** The full revised order, newer than `original` (`channelUpdatedAt`), for the runtime to accept as a new version. */
  order: OrderSubmission;
  changes: OrderChange[];
  /** One sentence per change, for the console and the order's history. */
  summary: string[];
}

export interface ChangeOptions {
  /** When the partner sent the change (GS04 + GS05 of its group, ISO 8601): orders two 860s sent the same day. */
  changedAt?: string;
}

const CHANGE_CODES = ['AI', 'DI', 'QD', 'QI', 'PC', 'CA'] as const;

/** Applies one 860 (ST … SE) to the order as crossdock last accepted it. Never throws for bad data. */
export function x12ChangeOrderToRevision(
  segments: readonly InSegment[], original: OrderSubmission, ctx: SetContext, options: ChangeOptions = {},
): SetResult<OrderRevision> {
  const p = newProblems();
  const body = setBody(p, segments, '860');
  const bchAt = body.find((at) => at.seg.tag === 'BCH');
  if (!bchAt) segmentProblem(p, 'BCH', expectedAt(body, () => true), '3', 'BCH (beginning segment for purchase order change) is missing');
  const bch = bchAt ? readBch(p, bchAt, original) : undefined;
  const order: OrderSubmission = structuredClone(original);
  const changes: OrderChange[] = [];
  const warnings: string[] = [];
  const ignored = new Set<string>();
  let party: Party | undefined;
  let lastAdded: OrderLine | undefined;
  let pocCount = 0;
  let ctt: Located | undefined;
  for (const at of body) {
    if (party && extendParty(p, party, at)) continue;
    if (party) applyParty(party, order, ctx, changes, warnings);
    party = undefined;
    switch (at.seg.tag) {
      case 'BCH': break;
      case 'N1': p.loop = 'N1'; party = readN1(p, at); break;
      case 'DTM': {
        const q = required(p, at, 1, { type: 'ID', min: 3, max: 3 });
        const date = required(p, at, 2, { type: 'DT', min: 8, max: 8 });
        if (q && date && pocCount === 0) setAttribute(order, `x12.dtm.${q}`, `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`, changes);
        break;
      }
      case 'POC': p.loop = 'POC'; pocCount++; lastAdded = applyPoc(p, at, order, ctx, changes, warnings); break;
      case 'PID': {
        const text = optional(p, at, 5, { type: 'AN', min: 1, max: 80 });
        if (text && lastAdded) lastAdded.description = text;
        break;
      }
      case 'CTT': p.loop = undefined; ctt = at; break;
      default: ignored.add(at.seg.tag);
    }
  }
  if (party) applyParty(party, order, ctx, changes, warnings);
  if (ctt) {
    const count = required(p, ctt, 1, { type: 'N0', min: 1, max: 6, ref: '354' });
    if (count !== undefined && Number(count) !== pocCount) elementProblem(p, ctt, 1, undefined, `CTT01 says ${count} line items but the change has ${pocCount} POC segments`, count, '354');
  }
  if (p.list.length > 0 || !bch) return { ok: false, problems: p.list };

  if (bch.purpose === '01' || order.lines.length === 0) {
    if (order.lines.length === 0) warnings.push('every line was deleted: the order is cancelled and keeps its lines for the record');
    order.lines = order.lines.length === 0 ? original.lines : order.lines;
    order.cancellation = { at: bch.changedAt, reason: 'cancelled by the buyer (860)' };
    changes.push({ kind: 'cancelled' });
  }
  order.channelUpdatedAt = options.changedAt ?? bch.changedAt;
  if (bch.sequence) order.attributes = { ...order.attributes, 'x12.changeSequence': bch.sequence };
  warnings.push(...ignoredWarning(ignored));
  return { ok: true, document: { order, changes, summary: changes.map(describe) }, warnings };
}

function readBch(p: Problems, at: Located, original: OrderSubmission) {
  const purpose = required(p, at, 1, { type: 'ID', min: 2, max: 2, codes: ['01', '04', '05'], ref: '353' });
  required(p, at, 2, { type: 'ID', min: 2, max: 2, ref: '92' });
  const po = required(p, at, 3, { type: 'AN', min: 1, max: 22, ref: '324' });
  const sequence = optional(p, at, 5, { type: 'AN', min: 1, max: 8, ref: '327' });
  const poDate = required(p, at, 6, { type: 'DT', min: 8, max: 8, ref: '373' });
  const changeDate = optional(p, at, 11, { type: 'DT', min: 8, max: 8, ref: '373' });
  if (po && original.poNumber !== undefined && po !== original.poNumber) {
    elementProblem(p, at, 3, undefined, `BCH03 "${po}" does not match the order's PO number ${original.poNumber}`, po, '324');
  }
  const date = changeDate ?? poDate;
  return purpose && po && date ? { purpose, po, sequence, changedAt: x12DateToIso(date) } : undefined;
}

function applyPoc(p: Problems, at: Located, order: OrderSubmission, ctx: SetContext, changes: OrderChange[], warnings: string[]): OrderLine | undefined {
  const lineId = required(p, at, 1, { type: 'AN', min: 1, max: 20, ref: '350' });
  const code = required(p, at, 2, { type: 'ID', min: 2, max: 2, codes: CHANGE_CODES, ref: '670' });
  const quantity = optional(p, at, 3, { type: 'R', min: 1, max: 15, ref: '330' });
  const rawUnit = optional(p, at, 5, { type: 'AN', min: 2, max: 40, ref: 'C001' });
  const unit = rawUnit?.split(ctx.componentSeparator)[0];
  const price = optional(p, at, 6, { type: 'R', min: 1, max: 17, ref: '212' });
  const ids = readItemIds(p, at, 8, 10);
  if (!lineId || !code) return undefined;
  const index = order.lines.findIndex((l) => l.lineId === lineId);
  const line = order.lines[index];
  const needsQty = code === 'AI' || code === 'QD' || code === 'QI';
  if (needsQty && quantity === undefined) elementProblem(p, at, 3, '2', `POC03 quantity is required for change type ${code}`, undefined, '330');
  if ((code === 'PC') && price === undefined) elementProblem(p, at, 6, '2', 'POC06 unit price is required for a price change', undefined, '212');
  if (code === 'AI') {
    if (line) { elementProblem(p, at, 1, undefined, `line ${lineId} already exists on the order; AI adds a new line`, lineId, '350'); return undefined; }
    if (ids.length === 0) { elementProblem(p, at, 8, '1', 'POC08/POC09 product id is required to add a line', undefined, '235'); return undefined; }
    if (quantity === undefined) return undefined;
    const added = toOrderLine({ lineNumber: lineId, quantity, ids, where: `POC line ${lineId}`, ...(unit ? { unit } : {}), ...(price ? { price } : {}) }, ctx.partner, warnings);
    if (added) { order.lines.push(added); changes.push({ kind: 'added', lineId, sku: added.sku, quantity: added.quantity }); }
    return added;
  }
  if (!line) { elementProblem(p, at, 1, undefined, `order ${order.channelOrderId} has no line ${lineId} to change`, lineId, '350'); return undefined; }
  if (code === 'DI') {
    order.lines.splice(index, 1);
    changes.push({ kind: 'deleted', lineId, sku: line.sku });
    return undefined;
  }
  const factor = factorFor(line, unit, ctx);
  if (quantity !== undefined && code !== 'PC') {
    const to = Number(quantityToR(Number(quantity) * factor));
    if ((code === 'QD' && to > line.quantity) || (code === 'QI' && to < line.quantity)) warnings.push(`POC line ${lineId}: ${code} but the quantity goes from ${line.quantity} to ${to}`);
    if (to !== line.quantity) changes.push({ kind: 'quantity', lineId, sku: line.sku, from: line.quantity, to });
    line.quantity = to;
  }
  if (price !== undefined && (code === 'PC' || code === 'CA')) {
    const received = tidyMoney(rToDecimal(price) ?? '0');
    const to = factor === 1 ? received : pricePerUnit(received, factor);
    if (to !== line.unitPrice) changes.push({ kind: 'price', lineId, sku: line.sku, from: line.unitPrice, to });
    line.unitPrice = to;
    line.attributes = { ...line.attributes, [ATTR.price]: price };
  }
  return undefined;
}

/** crossdock units per POC05 unit: the original line's pack factor when the unit is the one it was ordered in. */
function factorFor(line: OrderLine, unit: string | undefined, ctx: SetContext): number {
  const orderedUnit = line.attributes?.[ATTR.unit];
  if (unit === undefined || unit === orderedUnit) return Number(line.attributes?.[ATTR.factor] ?? '1');
  if (unit === line.uom) return 1;
  return resolveUnit(ctx.partner, line.sku, unit, resolveItem(ctx.partner, lineItemIds(line))).factor;
}

function applyParty(party: Party, order: OrderSubmission, ctx: SetContext, changes: OrderChange[], warnings: string[]): void {
  if (party.code !== 'ST') return;
  const address = partyAddress(party, ctx.partner);
  if (!address) { warnings.push(`N1*ST at segment ${party.at.position} has no address and an unknown location: ship-to unchanged`); return; }
  order.shipTo = address;
  changes.push({ kind: 'shipTo', ...(address.locationCode ? { locationCode: address.locationCode } : {}) });
}

function setAttribute(order: OrderSubmission, key: string, value: string, changes: OrderChange[]): void {
  if (order.attributes?.[key] === value) return;
  order.attributes = { ...order.attributes, [key]: value };
  changes.push({ kind: 'attribute', key, to: value });
}

function describe(c: OrderChange): string {
  switch (c.kind) {
    case 'cancelled': return 'the buyer cancelled the order';
    case 'added': return `line ${c.lineId ?? ''} added: ${c.quantity} × ${c.sku}`;
    case 'deleted': return `line ${c.lineId} (${c.sku}) deleted`;
    case 'quantity': return `line ${c.lineId} (${c.sku}) quantity ${c.from} → ${c.to}`;
    case 'price': return `line ${c.lineId} (${c.sku}) unit price ${c.from} → ${c.to}`;
    case 'shipTo': return `ship-to changed${c.locationCode ? ` to location ${c.locationCode}` : ''}`;
    case 'attribute': return `${c.key} set to ${c.to}`;
  }
}
