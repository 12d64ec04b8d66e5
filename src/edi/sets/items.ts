/**
 * Product id qualifier/id pairs: PO106/07 … PO124/25 in the 850, LIN02/03 … in the 856 and
 * 846, IT106/07 … in the 810, W0104/05 … in the 940. Common qualifiers: UP UPC, EN EAN, UK
 * GTIN-14, VN/VP vendor part, BP buyer part, IN buyer item, SK SKU, CB buyer catalog.
 */
import type { ItemId } from './cross-reference.js';
import { optional, type Problems } from './elements.js';
import type { Located } from './segments.js';

/** Reads `pairs` qualifier/id pairs starting at element `first` (1-based). A lone qualifier or id is a problem. */
export function readItemIds(p: Problems, at: Located, first: number, pairs: number): ItemId[] {
  const ids: ItemId[] = [];
  for (let i = 0; i < pairs; i++) {
    const qn = first + i * 2;
    const qualifier = optional(p, at, qn, { type: 'ID', min: 2, max: 2, ref: '235' });
    const id = optional(p, at, qn + 1, { type: 'AN', min: 1, max: 48, ref: '234' });
    if (qualifier && id) ids.push({ qualifier, id });
    else if (qualifier && !id) p.list.push({ segmentTag: at.seg.tag, segmentPosition: at.position, segmentCode: '8', elementPosition: qn + 1, elementCode: '2', elementReference: '234', message: `${at.seg.tag}${String(qn + 1).padStart(2, '0')} is required when its qualifier ${qualifier} is sent`, ...(p.loop ? { loopId: p.loop } : {}) });
    else if (id && !qualifier) p.list.push({ segmentTag: at.seg.tag, segmentPosition: at.position, segmentCode: '8', elementPosition: qn, elementCode: '2', elementReference: '235', message: `${at.seg.tag}${String(qn).padStart(2, '0')} qualifier is required for product id ${id}`, ...(p.loop ? { loopId: p.loop } : {}) });
  }
  return ids;
}

/** Flattens ids into qualifier/id elements, at most `pairs` of them. */
export function itemIdElements(ids: readonly ItemId[], pairs: number): string[] {
  return ids.slice(0, pairs).flatMap((i) => [i.qualifier, i.id]);
}
