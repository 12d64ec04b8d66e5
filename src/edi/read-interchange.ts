import type { AvailabilityUpdate } from '../canonical/availability.js';
import type { OrderSubmission } from '../canonical/order.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import {
  x12FunctionalAckToResult, x12InventoryAdviceToAvailability, x12PurchaseOrderToOrder, x12WarehouseShippingAdviceToShipment,
  type FunctionalAck, type PartnerMappingProfile, type ReceivedGroup, type ReceivedSet, type SetContext, type SetProblem, type X12Version,
} from './sets/index.js';
import type { GroupSyntaxCode, SetSyntaxCode } from './sets/997.js';
import type { FunctionalGroup, Interchange, TransactionSet, X12Error } from './x12/index.js';

/** What one transaction set maps to. */
export type SetDocument =
  | { kind: 'order'; order: OrderSubmission }
  | { kind: 'shipment'; shipment: ShipmentSubmission }
  | { kind: 'availability'; updates: AvailabilityUpdate[] }
  | { kind: 'functional-ack'; ack: FunctionalAck }
  /** An 860: applied against the order it changes, which only the runtime can look up. */
  | { kind: 'order-change'; poNumber: string };

export interface SetReading {
  interchangeControlNumber: string;
  groupControlNumber: string;
  functionalId: string;
  setId: string;
  controlNumber: string;
  /** Rejected sets are not applied; their 997 says why. */
  status: 'accepted' | 'rejected';
  document?: SetDocument;
  warnings: string[];
  /** Mapping problems (AK3/AK4) and envelope errors of this set, as messages. */
  problems: SetProblem[];
  envelopeErrors: X12Error[];
}

export interface InterchangeReading {
  interchangeControlNumber: string;
  /** Interchange-level errors: the whole interchange is rejected (TA1), nothing from it is applied. */
  rejected: X12Error[];
  sets: SetReading[];
  /** One per group, for its 997. Empty when the interchange is rejected. */
  groups: ReceivedGroup[];
}

/** Sets whose mapping this module knows; others are rejected with AK5 code 1 (set not supported). */
const SUPPORTED = new Set(['850', '860', '945', '846', '997']);

/**
 * Reads one parsed interchange against a partner's profile: every set mapped by its ST01, every
 * envelope error placed on its set, group or interchange, and each group's 997 content. Pure:
 * the runtime applies what it returns; `crossdock edi map` and `edi ack` print it.
 */
export function readInterchange(interchange: Interchange, errors: readonly X12Error[], profile: PartnerMappingProfile): InterchangeReading {
  const icn = interchange.isa.controlNumber;
  const mine = errors.filter((e) => e.interchangeControlNumber === undefined || e.interchangeControlNumber === icn);
  const rejected = mine.filter((e) => e.level === 'interchange');
  if (rejected.length > 0) return { interchangeControlNumber: icn, rejected, sets: [], groups: [] };

  const sets: SetReading[] = [];
  const groups: ReceivedGroup[] = [];
  for (const group of interchange.groups) {
    const groupErrors = mine.filter((e) => e.level === 'group' && e.groupControlNumber === group.controlNumber);
    const ctx: SetContext = { componentSeparator: interchange.delimiters.component, version: versionOf(group), partner: profile };
    const received: ReceivedSet[] = [];
    for (const set of group.sets) {
      const envelopeErrors = mine.filter((e) => e.level === 'set' && e.groupControlNumber === group.controlNumber && e.setControlNumber === set.controlNumber);
      const reading = readSet(icn, group, set, envelopeErrors, ctx);
      sets.push(reading);
      received.push({
        setId: set.id, controlNumber: set.controlNumber,
        ...(set.implementationRef ? { implementationConvention: set.implementationRef } : {}),
        problems: reading.problems,
        ...(setCodes(reading).length > 0 ? { setErrors: setCodes(reading) } : {}),
      });
    }
    groups.push({
      functionalId: group.functionalId, groupControlNumber: group.controlNumber,
      setsIncluded: group.ge ? Number(group.ge.setCount) : group.sets.length, sets: received,
      ...(groupErrors.length > 0 ? { groupErrors: groupErrors.map((e) => (e.ak9 ?? '5') as GroupSyntaxCode) } : {}),
    });
  }
  return { interchangeControlNumber: icn, rejected: [], sets, groups };
}

function versionOf(group: FunctionalGroup): X12Version {
  return group.version.startsWith('005010') ? '005010' : '004010';
}

function setCodes(reading: SetReading): SetSyntaxCode[] {
  const codes = reading.envelopeErrors.map((e) => e.ak5).filter((c): c is string => c !== undefined) as SetSyntaxCode[];
  if (reading.status === 'rejected' && !SUPPORTED.has(reading.setId)) codes.push('1');
  return codes;
}

function readSet(icn: string, group: FunctionalGroup, set: TransactionSet, envelopeErrors: X12Error[], ctx: SetContext): SetReading {
  const base = {
    interchangeControlNumber: icn, groupControlNumber: group.controlNumber, functionalId: group.functionalId,
    setId: set.id, controlNumber: set.controlNumber, envelopeErrors,
  };
  if (envelopeErrors.length > 0 || !SUPPORTED.has(set.id)) {
    return { ...base, status: 'rejected', warnings: [], problems: envelopeErrors.flatMap(toProblem) };
  }
  const mapped = mapSet(set, ctx);
  if (!mapped.ok) return { ...base, status: 'rejected', warnings: [], problems: mapped.problems };
  return { ...base, status: 'accepted', document: mapped.document, warnings: mapped.warnings, problems: [] };
}

type Mapped = { ok: true; document: SetDocument; warnings: string[] } | { ok: false; problems: SetProblem[] };

function mapSet(set: TransactionSet, ctx: SetContext): Mapped {
  const segments = set.segments;
  switch (set.id) {
    case '850': {
      const r = x12PurchaseOrderToOrder(segments, ctx);
      return r.ok ? { ok: true, document: { kind: 'order', order: r.document }, warnings: r.warnings } : r;
    }
    case '945': {
      const r = x12WarehouseShippingAdviceToShipment(segments, ctx);
      return r.ok ? { ok: true, document: { kind: 'shipment', shipment: r.document }, warnings: r.warnings } : r;
    }
    case '846': {
      const r = x12InventoryAdviceToAvailability(segments, ctx);
      return r.ok ? { ok: true, document: { kind: 'availability', updates: r.document }, warnings: r.warnings } : r;
    }
    case '997': {
      const r = x12FunctionalAckToResult(segments, ctx);
      return r.ok ? { ok: true, document: { kind: 'functional-ack', ack: r.document }, warnings: r.warnings } : r;
    }
    default: {
      // 860: its BCH names the PO it changes; the change is applied by the runtime.
      const bch = segments.find((s) => s.tag === 'BCH');
      return { ok: true, document: { kind: 'order-change', poNumber: bch?.elements[2] ?? '' }, warnings: [] };
    }
  }
}

/** An envelope error as the AK3/AK4 note a 997 carries (when the parser gave one). */
function toProblem(e: X12Error): SetProblem[] {
  if (!e.ak3) return [];
  return [{
    segmentTag: e.ak3.segmentId, segmentPosition: e.ak3.position, segmentCode: e.ak3.code,
    ...(e.ak4 ? { elementPosition: e.ak4.position, elementCode: e.ak4.code, ...(e.ak4.badValue !== undefined ? { value: e.ak4.badValue } : {}) } : {}),
    message: e.message,
  } as SetProblem];
}
