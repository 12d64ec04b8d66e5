/**
 * Resolving the partner's item ids and units through the profile. Unknown items are not
 * mapping errors: the order keeps the partner's reference (`VP:ABC`) as its SKU and the order
 * flow holds it with a readable reason, so nothing is dropped (DESIGN: "park it, don't lose it").
 */
import type { PartnerMappingProfile } from './partner-profile.js';
import { defaultUomOf } from './partner-profile.js';

/** A product id with its qualifier, as PO106/PO107, LIN02/LIN03, W0104/W0105 … carry them. */
export interface ItemId {
  qualifier: string;
  id: string;
}

export interface ResolvedItem {
  sku: string;
  /** The "QUAL:id" key that matched, or the first one when none did. */
  key: string;
  mapped: boolean;
  /** The cross-reference's own unit and factor, when it names them. */
  uom?: string;
  factor?: number;
}

export const itemKey = (i: ItemId): string => `${i.qualifier}:${i.id}`;

/** The first id, in the order the partner sent them, that the profile cross-references. */
export function resolveItem(profile: PartnerMappingProfile, ids: readonly ItemId[]): ResolvedItem | undefined {
  const items = profile.items ?? {};
  for (const id of ids) {
    const key = itemKey(id);
    const ref = Object.hasOwn(items, key) ? items[key] : undefined;
    if (ref === undefined) continue;
    if (typeof ref === 'string') return { sku: ref, key, mapped: true };
    return { sku: ref.sku, key, mapped: true, ...(ref.uom ? { uom: ref.uom } : {}), ...(ref.factor ? { factor: ref.factor } : {}) };
  }
  const first = ids[0];
  return first ? { sku: itemKey(first).slice(0, 100), key: itemKey(first), mapped: false } : undefined;
}

export interface ResolvedUnit {
  uom: string;
  /** crossdock units in one partner unit: quantity × factor, unit price ÷ factor. */
  factor: number;
}

/**
 * The crossdock unit for `partnerUnit` of `sku`. Precedence, most specific first: the unit the
 * cross-reference names (no conversion), a conversion for this SKU, the cross-reference's own
 * factor, a global conversion, else the partner's unit unchanged.
 */
export function resolveUnit(profile: PartnerMappingProfile, sku: string, partnerUnit: string | undefined, item?: ResolvedItem): ResolvedUnit {
  const unit = partnerUnit ?? item?.uom ?? defaultUomOf(profile);
  if (item?.uom !== undefined && unit === item.uom) return { uom: unit, factor: 1 };
  const units = profile.units ?? [];
  const forSku = units.find((u) => u.sku === sku && u.from === unit);
  if (forSku) return { uom: forSku.to, factor: forSku.factor };
  if (item?.factor !== undefined) return { uom: item.uom ?? defaultUomOf(profile), factor: item.factor };
  const global = units.find((u) => u.sku === undefined && u.from === unit);
  if (global) return { uom: global.to, factor: global.factor };
  return { uom: unit, factor: 1 };
}
