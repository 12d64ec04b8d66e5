/**
 * N1 loops (N1 name + N2 additional name + N3 street + N4 city/state/postal/country) in both
 * directions. The partner's location code (N103 qualifier + N104 id) rides on the canonical
 * address as `locationCode`, because retailers match their ASNs and invoices on it, not on
 * the street address (IBM 850 reference: N104 "must be echoed").
 */
import type { Static } from 'typebox';
import type { Address } from '../../canonical/common.js';
import { optional, required, type Problems } from './elements.js';
import type { PartnerMappingProfile, PartnerParty } from './partner-profile.js';
import { seg, type Located, type OutSegment } from './segments.js';

export type CanonicalAddress = Static<typeof Address>;

/** One N1 loop as received. */
export interface Party {
  at: Located;
  /** N101 entity identifier: ST ship-to, BT bill-to, BY buying party, SF ship-from, SE seller, WH warehouse … */
  code: string;
  name?: string;
  idQualifier?: string;
  id?: string;
  name2?: string;
  lines: string[];
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  hasN3: boolean;
  hasN4: boolean;
}

/** Reads an N1 segment; the caller appends N2/N3/N4 with `extendParty`. */
export function readN1(p: Problems, at: Located): Party | undefined {
  const code = required(p, at, 1, { type: 'ID', min: 2, max: 3, ref: '98' });
  const name = optional(p, at, 2, { type: 'AN', min: 1, max: 60, ref: '93' });
  const idQualifier = optional(p, at, 3, { type: 'ID', min: 1, max: 2, ref: '66' });
  const id = optional(p, at, 4, { type: 'AN', min: 2, max: 80, ref: '67' });
  if (code === undefined) return undefined;
  return { at, code, lines: [], hasN3: false, hasN4: false, ...(name ? { name } : {}), ...(idQualifier ? { idQualifier } : {}), ...(id ? { id } : {}) };
}

/** Adds an N2, N3 or N4 to the party of the current N1 loop. Returns false for other tags. */
export function extendParty(p: Problems, party: Party, at: Located): boolean {
  const s = at.seg;
  if (s.tag === 'N2') {
    const n = optional(p, at, 1, { type: 'AN', min: 1, max: 60 });
    if (n) party.name2 = n;
  } else if (s.tag === 'N3') {
    party.hasN3 = true;
    for (const n of [1, 2]) {
      const line = optional(p, at, n, { type: 'AN', min: 1, max: 55 });
      if (line) party.lines.push(line);
    }
  } else if (s.tag === 'N4') {
    party.hasN4 = true;
    const city = optional(p, at, 1, { type: 'AN', min: 2, max: 30 });
    const region = optional(p, at, 2, { type: 'ID', min: 2, max: 2 });
    const postalCode = optional(p, at, 3, { type: 'ID', min: 3, max: 15 });
    const country = optional(p, at, 4, { type: 'ID', min: 2, max: 3 });
    Object.assign(party, city ? { city } : {}, region ? { region } : {}, postalCode ? { postalCode } : {}, country ? { country } : {});
  } else {
    return false;
  }
  return true;
}

/**
 * The canonical address of a party: from its N2/N3/N4 when sent, else from the profile's
 * address for its location code (retailers often send only `N1*ST*Store 42*92*0042`).
 */
export function partyAddress(party: Party, profile: PartnerMappingProfile): CanonicalAddress | undefined {
  const known = party.id !== undefined ? profile.locations?.[party.id]?.address : undefined;
  const locationCode = party.id ? { locationCode: party.id } : {};
  if (!party.hasN3 || !party.hasN4 || party.lines.length === 0 || party.city === undefined) {
    return known ? { ...known, ...locationCode } : undefined;
  }
  const name = party.name ?? party.name2 ?? known?.name;
  // X12 N404 is optional and US partners leave it out; a 3-letter code is kept only when it is ISO alpha-2 after all.
  const country = party.country && /^[A-Z]{2}$/.test(party.country) ? party.country : (known?.country ?? 'US');
  return {
    name: (name ?? party.lines[0]!).slice(0, 200),
    ...(party.name2 && party.name ? { company: party.name2 } : {}),
    line1: party.lines[0]!,
    ...(party.lines.length > 1 ? { line2: party.lines.slice(1).join(', ') } : {}),
    city: party.city,
    ...(party.region ? { region: party.region } : {}),
    ...(party.postalCode ? { postalCode: party.postalCode } : {}),
    country,
    ...locationCode,
  };
}

/**
 * An N1 loop to write. `idQualifier` defaults to 92 (assigned by buyer) when a location code
 * is present, the usual qualifier for store and DC numbers; `withAddress` adds N3/N4.
 */
export function n1Loop(code: string, address: Partial<CanonicalAddress> & { name?: string }, opts: { idQualifier?: string; withAddress?: boolean } = {}): OutSegment[] {
  const out: OutSegment[] = [];
  const id = address.locationCode;
  out.push(seg('N1', code, clip(address.name ?? address.company ?? code, 60), id ? (opts.idQualifier ?? '92') : undefined, id));
  if (opts.withAddress && address.line1 && address.city) {
    out.push(seg('N3', clip(address.line1, 55), address.line2 ? clip(address.line2, 55) : undefined));
    out.push(seg('N4', clip(address.city, 30), address.region, address.postalCode, address.country));
  }
  return out;
}

/** A profile party (ship-from, seller, depositor) as an N1 loop. */
export function profileParty(code: string, party: PartnerParty): OutSegment[] {
  const out = [seg('N1', code, clip(party.name, 60), party.id ? (party.idQualifier ?? '92') : undefined, party.id)];
  if (party.address) out.push(...n1Loop(code, party.address, { withAddress: true }).slice(1));
  return out;
}

const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, n) : s);
