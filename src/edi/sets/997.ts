/**
 * 997 Functional Acknowledgment, both ways: one per functional group received.
 *
 * AK1 (AK101 GS01 functional id, AK102 GS06 group control number); per set AK2 (AK201 ST01,
 * AK202 ST02; 005010 adds AK203 = ST03 implementation convention reference), AK3 per segment
 * in error (AK301 id, AK302 position in the set with ST = 1, AK303 loop id, AK304 syntax code),
 * AK4 per element in error (AK401 position, as element:component in a composite; AK402 element
 * reference; AK403 code; AK404 copy of the bad data), AK5 (AK501 A accepted, E accepted with
 * errors, R rejected; AK502–506 set syntax codes); AK9 (A/E/P/R; AK902 sets included per GE01,
 * AK903 received, AK904 accepted; AK905–909 group codes). IBM's reference
 * (https://www.ibm.com/docs/en/b2bis?topic=standards-997-functional-acknowledgment) and Stedi's
 * AK9 (https://stedi.com/edi/x12-004010/segment/AK9). 005010 997s keep AK3/AK4/AK5 (the IK3/IK4/IK5
 * segments belong to the 999).
 *
 * Reading is strict on purpose: a 997 without AK9, or a set without AK5, is not read as
 * accepted (crbnos/carbon#1333 read missing fields as acceptance).
 */
import { newProblems, optional, required, segmentProblem } from './elements.js';
import { setBody } from './envelope.js';
import { seg, type InSegment, type Located, type OutSegment, type SetContext, type SetProblem, type SetResult } from './segments.js';

/** AK502–AK506 codes (element 718): 1 set not supported, 2 trailer missing, 3 control numbers differ, 4 segment count wrong, 5 segments in error, 6 missing or invalid set id, 7 missing or invalid control number, 23 duplicate control number. */
export type SetSyntaxCode = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13' | '15' | '16' | '17' | '19' | '23' | '24' | '25' | '26' | '27';
/** AK905–AK909 codes (element 716): 1 group not supported, 2 version not supported, 3 trailer missing, 4 control numbers differ, 5 set count wrong, 6 control number invalid, 19 duplicate group. */
export type GroupSyntaxCode = '1' | '2' | '3' | '4' | '5' | '6' | '10' | '11' | '12' | '13' | '14' | '15' | '16' | '17' | '18' | '19' | '23' | '24' | '25' | '26';

export interface ReceivedSet {
  /** ST01. */
  setId: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 (005010), echoed in AK203. */
  implementationConvention?: string;
  /** What the mapping or the parser found wrong (AK3/AK4). */
  problems: readonly SetProblem[];
  /** Set-level syntax errors (AK502…); with problems and none given, 5 "one or more segments in error". */
  setErrors?: readonly SetSyntaxCode[];
  /** The set was taken despite its problems (AK501 E); otherwise problems reject it (R). */
  acceptedWithErrors?: boolean;
}

export interface ReceivedGroup {
  /** GS01 (PO, IN, SH …). */
  functionalId: string;
  /** GS06. */
  groupControlNumber: string;
  /** GE01: how many sets the group says it holds. */
  setsIncluded: number;
  sets: readonly ReceivedSet[];
  groupErrors?: readonly GroupSyntaxCode[];
}

export type AckStatus = 'A' | 'E' | 'R';

function setStatus(s: ReceivedSet): AckStatus {
  if (s.problems.length === 0 && (s.setErrors ?? []).length === 0) return 'A';
  return s.acceptedWithErrors ? 'E' : 'R';
}

/** The segments between ST and SE of a 997 acknowledging `group`. */
export function groupToX12FunctionalAck(group: ReceivedGroup, ctx: Pick<SetContext, 'version'>): OutSegment[] {
  const out: OutSegment[] = [seg('AK1', group.functionalId, group.groupControlNumber)];
  let accepted = 0, withErrors = 0;
  for (const s of group.sets) {
    const status = setStatus(s);
    if (status !== 'R') accepted++;
    if (status === 'E') withErrors++;
    out.push(seg('AK2', s.setId, s.controlNumber, ctx.version === '005010' ? s.implementationConvention : undefined));
    out.push(...detail(s.problems));
    const codes = s.setErrors && s.setErrors.length > 0 ? s.setErrors : status === 'A' ? [] : ['5'];
    out.push(seg('AK5', status, ...codes.slice(0, 5)));
  }
  const groupErrors = [...(group.groupErrors ?? [])];
  if (group.setsIncluded !== group.sets.length && !groupErrors.includes('5')) groupErrors.push('5');
  const received = group.sets.length;
  const status = groupErrors.length > 0 && accepted === 0 ? 'R'
    : accepted === received && accepted > 0 ? (withErrors > 0 || groupErrors.length > 0 ? 'E' : 'A')
    : accepted === 0 ? 'R' : 'P';
  out.push(seg('AK9', status, String(group.setsIncluded), String(received), String(accepted), ...groupErrors.slice(0, 5)));
  return out;
}

/** AK3 per segment in error, AK4 per element with a syntax code (business mismatches such as a CTT hash carry no AK403 and stay at AK3). */
function detail(problems: readonly SetProblem[]): OutSegment[] {
  const out: OutSegment[] = [];
  const bySegment = new Map<string, SetProblem[]>();
  for (const p of problems) {
    const key = `${p.segmentPosition}|${p.segmentTag}`;
    bySegment.set(key, [...(bySegment.get(key) ?? []), p]);
  }
  for (const list of [...bySegment.values()].slice(0, 999)) {
    const first = list[0]!;
    const code = list.some((p) => p.segmentCode !== '8') ? list.find((p) => p.segmentCode !== '8')!.segmentCode : '8';
    out.push(seg('AK3', first.segmentTag, String(first.segmentPosition), first.loopId, code));
    for (const p of list.filter((x) => x.elementPosition !== undefined && x.elementCode !== undefined).slice(0, 99)) {
      const position = p.componentPosition !== undefined ? [String(p.elementPosition), String(p.componentPosition)] : String(p.elementPosition);
      // AK404 is AN 1/99 and must not carry delimiters: the writer escapes nothing, so keep only printable text.
      const bad = p.value?.replace(/[^\x20-\x7e]/g, '').slice(0, 99);
      out.push(seg('AK4', position, p.elementReference, p.elementCode, bad));
    }
  }
  return out;
}

export interface AckedSet {
  setId: string;
  controlNumber: string;
  status: string;
  setErrors: string[];
  errors: { segmentTag: string; segmentPosition: number; loopId?: string; segmentCode: string; elements: { position: string; reference?: string; code: string; value?: string }[] }[];
}

export interface FunctionalAck {
  functionalId: string;
  groupControlNumber: string;
  /** AK901: A accepted, E accepted with errors, P partially accepted, R rejected (M/W/X in 005010 for failed message authentication/ decryption). */
  status: string;
  included: number;
  received: number;
  accepted: number;
  groupErrors: string[];
  sets: AckedSet[];
}

/** Reads a received 997 (ST … SE). Missing AK1, AK9 or an AK5 is a problem, never an acceptance. */
export function x12FunctionalAckToResult(segments: readonly InSegment[], ctx: Pick<SetContext, 'componentSeparator'>): SetResult<FunctionalAck> {
  const p = newProblems();
  const body = setBody(p, segments, '997');
  let ak1: Located | undefined, ak9: Located | undefined;
  const sets: (AckedSet & { at: Located; hasAk5: boolean })[] = [];
  for (const at of body) {
    const current = sets[sets.length - 1];
    switch (at.seg.tag) {
      case 'AK1': ak1 = at; break;
      case 'AK2': p.loop = 'AK2'; sets.push({ at, hasAk5: false, setId: required(p, at, 1, { type: 'ID', min: 3, max: 3 }) ?? '', controlNumber: required(p, at, 2, { type: 'AN', min: 4, max: 9 }) ?? '', status: '', setErrors: [], errors: [] }); break;
      case 'AK3': {
        if (!current) break;
        current.errors.push({
          segmentTag: required(p, at, 1, { type: 'ID', min: 2, max: 3 }) ?? '', segmentPosition: Number(required(p, at, 2, { type: 'N0', min: 1, max: 6 }) ?? 0),
          ...((v) => (v ? { loopId: v } : {}))(optional(p, at, 3, { type: 'AN', min: 1, max: 6 })), segmentCode: optional(p, at, 4, { type: 'ID', min: 1, max: 3 }) ?? '',
          elements: [],
        });
        break;
      }
      case 'AK4': {
        const error = current?.errors[current.errors.length - 1];
        const position = required(p, at, 1, { type: 'AN', min: 1, max: 20 });
        const code = required(p, at, 3, { type: 'ID', min: 1, max: 3 });
        const reference = optional(p, at, 2, { type: 'N0', min: 1, max: 4 });
        const value = optional(p, at, 4, { type: 'AN', min: 1, max: 99 });
        if (error && position && code) error.elements.push({ position: position.split(ctx.componentSeparator).join('.'), code, ...(reference ? { reference } : {}), ...(value ? { value } : {}) });
        break;
      }
      case 'AK5': {
        if (!current) break;
        current.hasAk5 = true;
        current.status = required(p, at, 1, { type: 'ID', min: 1, max: 1, codes: ['A', 'E', 'M', 'R', 'W', 'X'] }) ?? '';
        for (let n = 2; n <= 6; n++) { const c = optional(p, at, n, { type: 'ID', min: 1, max: 3 }); if (c) current.setErrors.push(c); }
        break;
      }
      case 'AK9': p.loop = undefined; ak9 = at; break;
      default: segmentProblem(p, at.seg.tag, at.position, '2', `${at.seg.tag} does not belong in a 997`);
    }
  }
  if (!ak1) segmentProblem(p, 'AK1', 2, '3', 'AK1 is missing: the acknowledgment names no group');
  if (!ak9) segmentProblem(p, 'AK9', body.length + 2, '3', 'AK9 is missing: the group status is unknown, not accepted');
  for (const s of sets) if (!s.hasAk5) segmentProblem(p, 'AK5', s.at.position + 1 + s.errors.length, '3', `AK2 for set ${s.controlNumber} has no AK5: its status is unknown, not accepted`);
  const functionalId = ak1 ? required(p, ak1, 1, { type: 'ID', min: 2, max: 2 }) : undefined;
  const groupControlNumber = ak1 ? required(p, ak1, 2, { type: 'N0', min: 1, max: 9 }) : undefined;
  const status = ak9 ? required(p, ak9, 1, { type: 'ID', min: 1, max: 1, codes: ['A', 'E', 'M', 'P', 'R', 'W', 'X'] }) : undefined;
  const counts = ak9 ? [2, 3, 4].map((n) => required(p, ak9!, n, { type: 'N0', min: 1, max: 6 })) : [];
  const groupErrors = ak9 ? [5, 6, 7, 8, 9].map((n) => optional(p, ak9!, n, { type: 'ID', min: 1, max: 3 })).filter((c): c is string => c !== undefined) : [];
  if (p.list.length > 0 || !functionalId || !groupControlNumber || !status) return { ok: false, problems: p.list };
  return {
    ok: true,
    document: {
      functionalId, groupControlNumber, status, included: Number(counts[0]), received: Number(counts[1]), accepted: Number(counts[2]), groupErrors,
      sets: sets.map(({ at: _at, hasAk5: _h, ...s }) => s),
    },
    warnings: [],
  };
}
