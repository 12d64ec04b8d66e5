/**
 * 846 Inventory Inquiry/Advice, both directions.
 *
 * Out (stock feed to a retailer): BIA01 00 original, BIA02 report type (DD distributor
 * inventory report by default), BIA03 report id, BIA04 date, BIA05 time; per SKU a LIN loop
 * with the partner's item ids (reverse cross-reference), QTY*33 (quantity available for sale)
 * and, per location, SDQ destination quantities (SDQ02 92, then location/quantity pairs); CTT01
 * number of LIN loops. After the Logicbroker 846 specification
 * (https://help.logicbroker.com/hc/en-us/article_attachments/208686786/Logicbroker_846_EDI_Specifications.pdf).
 * In (from a 3PL): the same segments read back into availability updates; a header N1 (WH
 * warehouse, SF ship from) names the location of every LIN without SDQ. Same in 005010.
 */
import type { AvailabilityUpdate } from '../../canonical/availability.js';
import { resolveItem, type ItemId } from './cross-reference.js';
import { newProblems, optional, required, segmentProblem, elementProblem } from './elements.js';
import { expectedAt, ignoredWarning, setBody } from './envelope.js';
import { itemIdElements, readItemIds } from './items.js';
import { skuQualifierOf, type PartnerMappingProfile } from './partner-profile.js';
import { readN1 } from './parties.js';
import { seg, type InSegment, type Located, type OutSegment, type SetContext, type SetResult } from './segments.js';
import { isoToX12Date, isoToX12Time } from './values.js';

export interface InventoryAdviceInput {
  updates: readonly AvailabilityUpdate[];
  /** BIA03: this report's id. */
  reportId: string;
  /** ISO 8601: when the quantities were taken. */
  at: string;
  /** @default DD */
  reportType?: string;
}

/** The segments between ST and SE of an outbound 846. Quantities go out in the partner's unit (whole units, rounded down). */
export function availabilityToX12InventoryAdvice(input: InventoryAdviceInput, ctx: SetContext): OutSegment[] {
  const out: OutSegment[] = [seg('BIA', '00', input.reportType ?? 'DD', input.reportId.slice(0, 30), isoToX12Date(input.at), isoToX12Time(input.at))];
  const bySku = new Map<string, AvailabilityUpdate[]>();
  for (const u of input.updates) bySku.set(u.sku, [...(bySku.get(u.sku) ?? []), u]);
  let lin = 0;
  for (const [sku, updates] of bySku) {
    lin += 1;
    const { ids, factor, uom } = partnerItem(ctx.partner, sku);
    // A partner that buys 6-packs can only order whole packs: round down so crossdock never promises a pack it cannot fill.
    const inUnits = (n: number) => Math.floor(n / factor);
    out.push(seg('LIN', String(lin), ...itemIdElements(ids, 10)));
    out.push(seg('QTY', '33', String(inUnits(updates.reduce((s, u) => s + u.available, 0))), uom));
    const located = updates.filter((u) => u.location !== undefined);
    for (let i = 0; i < located.length; i += 10) {
      out.push(seg('SDQ', uom, '92', ...located.slice(i, i + 10).flatMap((u) => [u.location!, String(inUnits(u.available))])));
    }
  }
  out.push(seg('CTT', String(lin)));
  return out;
}

/** The partner's ids for a crossdock SKU: every cross-reference key that points at it, else the SKU under the profile qualifier. */
function partnerItem(profile: PartnerMappingProfile, sku: string): { ids: ItemId[]; factor: number; uom: string } {
  const ids: ItemId[] = [];
  let factor = 1;
  for (const [key, ref] of Object.entries(profile.items ?? {})) {
    const target = typeof ref === 'string' ? ref : ref.sku;
    if (target !== sku) continue;
    const colon = key.indexOf(':');
    ids.push({ qualifier: key.slice(0, colon), id: key.slice(colon + 1) });
    if (typeof ref !== 'string' && ref.factor && factor === 1) factor = ref.factor;
  }
  // The partner's pack unit: the conversion with that factor (CA → 12 EA), else PK (package).
  const pack = (profile.units ?? []).find((u) => (u.sku === undefined || u.sku === sku) && u.factor === factor)?.from ?? 'PK';
  const uom = factor === 1 ? (profile.defaults?.uom ?? 'EA') : pack;
  return { ids: ids.length > 0 ? ids : [{ qualifier: skuQualifierOf(profile), id: sku }], factor, uom };
}

/** Reads a 3PL's 846 (ST … SE) into availability updates. Never throws for bad data. */
export function x12InventoryAdviceToAvailability(segments: readonly InSegment[], ctx: SetContext): SetResult<AvailabilityUpdate[]> {
  const p = newProblems();
  const body = setBody(p, segments, '846');
  const warnings: string[] = [];
  const ignored = new Set<string>();
  if (!body.some((at) => at.seg.tag === 'BIA')) segmentProblem(p, 'BIA', expectedAt(body, () => true), '3', 'BIA (beginning segment for inventory advice) is missing');
  let headerLocation: string | undefined;
  let item: { sku: string; factor: number; at: Located; located: boolean } | undefined;
  const updates: AvailabilityUpdate[] = [];
  for (const at of body) {
    switch (at.seg.tag) {
      case 'BIA': required(p, at, 1, { type: 'ID', min: 2, max: 2 }); break;
      case 'N1': {
        const party = readN1(p, at);
        if (party?.id && !item) headerLocation = party.id;
        break;
      }
      case 'N2': case 'N3': case 'N4': break;
      case 'LIN': {
        p.loop = 'LIN';
        const ids = readItemIds(p, at, 2, 10);
        const resolved = resolveItem(ctx.partner, ids);
        if (!resolved) { elementProblem(p, at, 2, '1', 'LIN carries no product id', undefined, '235'); item = undefined; break; }
        if (!resolved.mapped) warnings.push(`LIN at segment ${at.position}: no cross-reference for ${resolved.key}; kept as SKU "${resolved.sku}"`);
        item = { sku: resolved.sku, factor: resolved.factor ?? 1, at, located: false };
        break;
      }
      case 'QTY': {
        const qualifier = required(p, at, 1, { type: 'ID', min: 2, max: 2, ref: '673' });
        const qty = required(p, at, 2, { type: 'R', min: 1, max: 15, ref: '380' });
        if (!item || qualifier !== '33' || qty === undefined) break;
        updates.push(update(item.sku, Number(qty) * item.factor, headerLocation, warnings));
        break;
      }
      case 'SDQ': {
        if (!item) break;
        // Per-location quantities replace the LIN's total: drop the QTY-based update for this item.
        if (!item.located) { const i = updates.findIndex((u) => u.sku === item!.sku && u.location === headerLocation); if (i >= 0) updates.splice(i, 1); item.located = true; }
        for (let n = 3; n <= 21; n += 2) {
          const location = optional(p, at, n, { type: 'AN', min: 1, max: 80 });
          const qty = optional(p, at, n + 1, { type: 'R', min: 1, max: 15 });
          if (location && qty !== undefined) updates.push(update(item.sku, Number(qty) * item.factor, location, warnings));
        }
        break;
      }
      case 'CTT': {
        p.loop = undefined;
        const count = required(p, at, 1, { type: 'N0', min: 1, max: 6 });
        const lins = body.filter((b) => b.seg.tag === 'LIN').length;
        if (count !== undefined && Number(count) !== lins) elementProblem(p, at, 1, undefined, `CTT01 says ${count} items but the advice has ${lins} LIN segments`, count, '354');
        break;
      }
      default: ignored.add(at.seg.tag);
    }
  }
  if (p.list.length > 0) return { ok: false, problems: p.list };
  return { ok: true, document: updates, warnings: [...warnings, ...ignoredWarning(ignored)] };
}

function update(sku: string, quantity: number, location: string | undefined, warnings: string[]): AvailabilityUpdate {
  if (quantity < 0) warnings.push(`${sku}: negative availability ${quantity} reported as 0`);
  const available = Math.max(0, Math.floor(quantity));
  return { sku, available, ...(location ? { location: location.slice(0, 64) } : {}) };
}
