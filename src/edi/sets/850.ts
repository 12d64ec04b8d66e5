/**
 * 850 Purchase Order (in) → OrderSubmission.
 *
 * Layout from the X12 004010 850 as IBM's Business Transaction Intelligence reference describes
 * it (https://www.ibm.com/docs/en/SSRJDU/business_transaction_intelligence/reference/bti_EDI_850_Purchase_order.html):
 * heading BEG, CUR, REF, PER, DTM, TD5, N9/MSG, N1 loop (N1, N2, N3, N4); detail PO1 loop
 * (PO1, PID, SAC, DTM); summary CTT (CTT01 number of PO1 segments, CTT02 hash total of PO102).
 * 005010 differs for this mapping only in longer element maxima (N102 stays 60; PID05 80),
 * which the checks here accept for both.
 */
import type { OrderLine, OrderSubmission } from '../../canonical/order.js';
import { CURRENCY_CODES } from '../../canonical/common.js';
import { sumDecimals, compareDecimals } from '../../lib/money.js';
import { readSac, type Charge } from './charges.js';
import { ATTR } from './echo.js';
import { elementProblem, newProblems, optional, required, segmentProblem, type Problems } from './elements.js';
import { expectedAt, ignoredWarning, setBody } from './envelope.js';
import { readItemIds } from './items.js';
import { currencyOf, type PartnerMappingProfile } from './partner-profile.js';
import { extendParty, partyAddress, readN1, type Party } from './parties.js';
import { toOrderLine, type LineInput } from './po1.js';
import type { InSegment, Located, SetContext, SetResult } from './segments.js';
import { x12DateToIso } from './values.js';

/** DTM01 qualifiers kept as named order attributes; others go under `x12.dtm.<qualifier>`. */
const DATE_ATTRIBUTES: Readonly<Record<string, string>> = {
  '002': 'x12.requestedDeliveryDate', '010': 'x12.requestedShipDate', '001': 'x12.cancelAfter',
  '037': 'x12.shipNotBefore', '038': 'x12.shipNoLater', '063': 'x12.deliverNoLater', '064': 'x12.deliverNotBefore',
};

/** BEG01 purposes crossdock accepts: 00 original, 01 cancellation, 05 replace, 06 confirmation, 07 duplicate. */
const PURPOSES = ['00', '01', '05', '06', '07'] as const;

type DraftLine = LineInput & { at: Located; sacs: Located[]; dates?: Record<string, string> };

interface Draft {
  beg?: Located;
  attributes: Record<string, string>;
  currency?: string;
  parties: Party[];
  lines: DraftLine[];
  headerSacs: Located[];
  ctt?: Located;
  notes: string[];
  ignored: Set<string>;
}

/** Reads one 850 (ST … SE) into an order submission for the partner of `ctx`. Never throws for bad data. */
export function x12PurchaseOrderToOrder(segments: readonly InSegment[], ctx: SetContext): SetResult<OrderSubmission> {
  const p = newProblems();
  const body = setBody(p, segments, '850');
  const draft = walk(p, body);
  if (!draft.beg) segmentProblem(p, 'BEG', expectedAt(body, () => true), '3', 'BEG (beginning segment) is missing');
  if (draft.lines.length === 0) segmentProblem(p, 'PO1', expectedAt(body, (t) => t === 'CTT'), '3', 'the order has no PO1 lines');
  const warnings: string[] = [...ignoredWarning(draft.ignored)];
  const beg = draft.beg ? readBeg(p, draft.beg) : undefined;
  checkCtt(p, draft);
  const { lines, lineCharges } = mapLines(p, draft, ctx.partner, warnings);
  const charges = [...draft.headerSacs.map((at) => readSac(p, at, warnings)).filter((c): c is Charge => c !== undefined), ...lineCharges];
  const shipToParty = draft.parties.find((x) => x.code === 'ST');
  const shipTo = shipToParty ? partyAddress(shipToParty, ctx.partner) : undefined;
  if (shipToParty && !shipTo) {
    segmentProblem(p, 'N3', shipToParty.at.position + 1, '3', `ship-to "${shipToParty.name ?? ''}" has no N3/N4 address and location ${shipToParty.id ?? '(no N104)'} is not in the partner profile`);
  } else if (!shipToParty) {
    segmentProblem(p, 'N1', expectedAt(body, (t) => t === 'PO1'), '3', 'no ship-to (N1*ST) party');
  }
  if (p.list.length > 0 || !beg || !shipTo || lines.length === 0) return { ok: false, problems: p.list };

  const billToParty = draft.parties.find((x) => x.code === 'BT');
  const billTo = billToParty ? partyAddress(billToParty, ctx.partner) : undefined;
  for (const party of draft.parties) {
    if (party.idQualifier) draft.attributes[ATTR.n103Prefix + party.code] = party.idQualifier;
    if (party.id && party.code !== 'ST' && party.code !== 'BT') draft.attributes[ATTR.n104Prefix + party.code] = party.id;
  }
  Object.assign(draft.attributes, { [ATTR.poDate]: beg.date, ...(beg.type ? { [ATTR.poType]: beg.type } : {}), ...(beg.release ? { [ATTR.release]: beg.release } : {}) });
  const buyer = draft.parties.find((x) => x.code === 'BY') ?? billToParty;
  const order: OrderSubmission = {
    channel: ctx.partner.partnerId,
    // A blanket PO's releases share BEG03; the release number keeps each release its own order.
    channelOrderId: beg.release ? `${beg.po}/${beg.release}` : beg.po,
    poNumber: beg.po,
    orderedAt: x12DateToIso(beg.date),
    currency: draft.currency ?? currencyOf(ctx.partner),
    customer: { accountId: customerAccount(ctx.partner, shipToParty, buyer, warnings), ...(buyer?.name ? { name: buyer.name, company: buyer.name } : {}), business: true },
    shipTo,
    ...(billTo ? { billTo } : {}),
    lines,
    ...(charges.length > 0 ? { charges } : {}),
    // EDI orders are bought on account; payment is the invoice's business (810 ITD).
    payment: { status: 'on_account' },
    ...(beg.purpose === '01' ? { cancellation: { at: x12DateToIso(beg.date), reason: 'cancelled by the buyer (BEG01 = 01)' } } : {}),
    ...(draft.notes.length > 0 ? { notes: draft.notes.join('\n').slice(0, 4000) } : {}),
    attributes: draft.attributes,
  };
  return { ok: true, document: order, warnings };
}

function walk(p: Problems, body: readonly Located[]): Draft {
  const d: Draft = { attributes: {}, parties: [], lines: [], headerSacs: [], notes: [], ignored: new Set() };
  let party: Party | undefined;
  for (const at of body) {
    const { tag } = at.seg;
    const line = d.lines[d.lines.length - 1];
    p.loop = line ? 'PO1' : party ? 'N1' : undefined;
    if (party && extendParty(p, party, at)) continue;
    party = undefined;
    switch (tag) {
      case 'BEG': d.beg = at; break;
      case 'CUR': readCur(p, at, d); break;
      case 'REF': {
        const q = required(p, at, 1, { type: 'ID', min: 2, max: 3, ref: '128' });
        const v = optional(p, at, 2, { type: 'AN', min: 1, max: 30, ref: '127' }) ?? optional(p, at, 3, { type: 'AN', min: 1, max: 80 });
        if (q && v && !line) d.attributes[`x12.ref.${q}`] = v;
        break;
      }
      case 'DTM': {
        const q = required(p, at, 1, { type: 'ID', min: 3, max: 3, ref: '374' });
        const date = required(p, at, 2, { type: 'DT', min: 8, max: 8, ref: '373' });
        if (q && date) {
          const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
          if (line) line.dates = { ...line.dates, [q]: iso };
          else d.attributes[DATE_ATTRIBUTES[q] ?? `x12.dtm.${q}`] = iso;
        }
        break;
      }
      case 'TD5': readTd5(p, at, d); break;
      case 'N1': {
        p.loop = 'N1';
        party = line ? undefined : readN1(p, at);
        if (party) d.parties.push(party);
        else if (line) d.ignored.add('N1 (line level)');
        break;
      }
      case 'PO1': p.loop = 'PO1'; d.lines.push(readPo1(p, at)); break;
      case 'PID': {
        const text = optional(p, at, 5, { type: 'AN', min: 1, max: 80, ref: '352' });
        if (line && text) line.description = line.description ? `${line.description} ${text}` : text;
        break;
      }
      case 'SAC': (line ? line.sacs : d.headerSacs).push(at); break;
      case 'MSG': case 'NTE': {
        const text = optional(p, at, tag === 'MSG' ? 1 : 2, { type: 'AN', min: 1, max: 264 });
        if (text) d.notes.push(text);
        break;
      }
      case 'CTT': p.loop = undefined; d.ctt = at; break;
      default: d.ignored.add(tag);
    }
  }
  p.loop = undefined;
  return d;
}

function readBeg(p: Problems, at: Located) {
  const purpose = required(p, at, 1, { type: 'ID', min: 2, max: 2, codes: PURPOSES, ref: '353' });
  const type = required(p, at, 2, { type: 'ID', min: 2, max: 2, ref: '92' });
  const po = required(p, at, 3, { type: 'AN', min: 1, max: 22, ref: '324' });
  const release = optional(p, at, 4, { type: 'AN', min: 1, max: 30, ref: '328' });
  const date = required(p, at, 5, { type: 'DT', min: 8, max: 8, ref: '373' });
  return purpose && po && date ? { purpose, type, po, release, date } : undefined;
}

function readCur(p: Problems, at: Located, d: Draft): void {
  required(p, at, 1, { type: 'ID', min: 2, max: 3, ref: '98' });
  const code = required(p, at, 2, { type: 'ID', min: 3, max: 3, ref: '100' });
  if (code === undefined) return;
  if (!CURRENCY_CODES.includes(code)) elementProblem(p, at, 2, '7', `CUR02 "${code}" is not an ISO 4217 currency code`, code, '100');
  else d.currency = code;
}

function readTd5(p: Problems, at: Located, d: Draft): void {
  const values: [number, string][] = [[3, 'x12.carrier'], [4, 'x12.transportMethod'], [5, 'x12.routing'], [12, 'x12.serviceLevel']];
  for (const [n, key] of values) {
    const v = optional(p, at, n, { type: 'AN', min: 1, max: 80 });
    if (v && !(key in d.attributes)) d.attributes[key] = v;
  }
}

function readPo1(p: Problems, at: Located): DraftLine {
  const lineNumber = optional(p, at, 1, { type: 'AN', min: 1, max: 20, ref: '350' });
  const quantity = required(p, at, 2, { type: 'R', min: 1, max: 15, ref: '330' });
  if (quantity !== undefined && !(Number(quantity) > 0)) elementProblem(p, at, 2, undefined, `PO102 "${quantity}" must be a positive quantity`, quantity, '330');
  const unit = required(p, at, 3, { type: 'ID', min: 2, max: 2, ref: '355' });
  const price = optional(p, at, 4, { type: 'R', min: 1, max: 17, ref: '212' });
  const priceBasis = optional(p, at, 5, { type: 'ID', min: 2, max: 2, ref: '639' });
  const ids = readItemIds(p, at, 6, 10);
  if (ids.length === 0) elementProblem(p, at, 6, '1', 'PO1 carries no product id (PO106/PO107)', undefined, '235');
  return {
    at, sacs: [], where: `PO1 line ${lineNumber ?? at.position}`, quantity: quantity ?? '0', ids,
    ...(lineNumber ? { lineNumber } : {}), ...(unit ? { unit } : {}), ...(price ? { price } : {}), ...(priceBasis ? { priceBasis } : {}),
  };
}

/** CTT01 must equal the number of PO1 segments and CTT02 (when sent) the sum of PO102. */
function checkCtt(p: Problems, d: Draft): void {
  if (!d.ctt) return;
  const count = required(p, d.ctt, 1, { type: 'N0', min: 1, max: 6, ref: '354' });
  const hash = optional(p, d.ctt, 2, { type: 'R', min: 1, max: 10, ref: '347' });
  if (count !== undefined && Number(count) !== d.lines.length) {
    elementProblem(p, d.ctt, 1, undefined, `CTT01 says ${count} line items but the order has ${d.lines.length} PO1 segments`, count, '354');
  }
  const quantities = d.lines.map((l) => l.quantity).filter((q) => /^-?\d*\.?\d+$|^-?\d+\.$/.test(q)).map((q) => (q.startsWith('.') ? `0${q}` : q.replace(/\.$/, '')));
  if (hash !== undefined && quantities.length === d.lines.length) {
    const total = sumDecimals(quantities, 6);
    const sent = hash.startsWith('.') ? `0${hash}` : hash.replace(/\.$/, '');
    if (compareDecimals(total, sent) !== 0) {
      elementProblem(p, d.ctt, 2, undefined, `CTT02 hash total ${hash} does not match the sum of PO102 quantities (${total.replace(/\.?0+$/, '')})`, hash, '347');
    }
  }
}

/** Lines with their line-level SACs: an allowance becomes the line's discount, a charge an order charge naming the line. */
function mapLines(p: Problems, d: Draft, profile: PartnerMappingProfile, warnings: string[]): { lines: OrderLine[]; lineCharges: Charge[] } {
  const lines: OrderLine[] = [];
  const lineCharges: Charge[] = [];
  for (const input of d.lines) {
    const line = toOrderLine(input, profile, warnings);
    if (!line) continue;
    for (const at of input.sacs) {
      const charge = readSac(p, at, warnings);
      if (charge?.type === 'discount') line.discount = charge.amount.replace(/^-/, '');
      else if (charge) lineCharges.push({ ...charge, description: `line ${input.lineNumber ?? ''}: ${charge.description ?? charge.type}`.slice(0, 200) });
    }
    for (const [q, date] of Object.entries(input.dates ?? {})) line.attributes![`x12.dtm.${q}`] = date;
    lines.push(line);
  }
  return { lines, lineCharges };
}

/** Account: the ship-to location's own account, else the partner's, else the buyer's code for the order flow to hold. */
function customerAccount(profile: PartnerMappingProfile, shipTo: Party | undefined, buyer: Party | undefined, warnings: string[]): string {
  const located = shipTo?.id !== undefined ? profile.locations?.[shipTo.id]?.account : undefined;
  if (located) return located;
  if (profile.customerAccount) return profile.customerAccount;
  const fallback = buyer?.id ? `${buyer.code}:${buyer.id}` : profile.partnerId;
  warnings.push(`the partner profile names no customer account; "${fallback}" recorded for the order flow to resolve`);
  return fallback;
}
