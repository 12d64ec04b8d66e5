/**
 * Element checks for inbound sets. Each check names the segment, the element and the AK403
 * code, so a bad value becomes a precise 997 instead of a vague rejection. Data types follow
 * the X12 dictionary: AN string, ID code, Nn implied-decimal integer, R decimal, DT CCYYMMDD,
 * TM HHMM[SS[d..d]].
 */
import type { ElementSyntaxCode, Located, SegmentSyntaxCode, SetProblem } from './segments.js';
import { el } from './segments.js';

export interface ElementSpec {
  type: 'AN' | 'ID' | 'N0' | 'N2' | 'R' | 'DT' | 'TM';
  min?: number;
  max?: number;
  /** Allowed codes for an ID element; others are AK403 7. */
  codes?: readonly string[];
  /** X12 data element reference number, for AK402. */
  ref?: string;
}

export interface Problems {
  readonly list: SetProblem[];
  /** The loop the walker is in, copied into each problem's AK303. */
  loop?: string;
}

export function newProblems(): Problems {
  return { list: [] };
}

export function elementProblem(
  p: Problems, at: Located, element: number, code: ElementSyntaxCode | undefined, message: string, value?: string, ref?: string,
): void {
  p.list.push({
    segmentTag: at.seg.tag, segmentPosition: at.position, segmentCode: '8', elementPosition: element,
    ...(code ? { elementCode: code } : {}), ...(ref ? { elementReference: ref } : {}),
    ...(value !== undefined ? { value } : {}), ...(p.loop ? { loopId: p.loop } : {}), message,
  });
}

export function segmentProblem(p: Problems, tag: string, position: number, code: SegmentSyntaxCode, message: string): void {
  p.list.push({ segmentTag: tag, segmentPosition: position, segmentCode: code, ...(p.loop ? { loopId: p.loop } : {}), message });
}

const DECIMAL_R = /^-?(\d+(\.\d*)?|\.\d+)$/;
const INTEGER_N = /^-?\d+$/;

/** Why `value` is not a valid element of `spec`, or undefined when it is. */
function invalid(value: string, spec: ElementSpec): { code: ElementSyntaxCode; why: string } | undefined {
  // Lengths of numeric types count digits only (X12 excludes sign and decimal point).
  const length = spec.type === 'R' || spec.type.startsWith('N') ? value.replace(/[-.]/g, '').length : value.length;
  if (spec.type === 'R' && !DECIMAL_R.test(value)) return { code: '6', why: 'is not a decimal number' };
  if (spec.type.startsWith('N') && !INTEGER_N.test(value)) return { code: '6', why: 'is not a whole number' };
  if (spec.type === 'DT' && !isDate(value)) return { code: '8', why: 'is not a date (CCYYMMDD)' };
  if (spec.type === 'TM' && !isTime(value)) return { code: '9', why: 'is not a time (HHMM)' };
  if ((spec.type === 'AN' || spec.type === 'ID') && /[\u0000-\u001f]/.test(value)) return { code: '6', why: 'contains control characters' };
  if (spec.min !== undefined && length < spec.min) return { code: '4', why: `is shorter than ${spec.min}` };
  if (spec.max !== undefined && length > spec.max) return { code: '5', why: `is longer than ${spec.max}` };
  if (spec.codes && !spec.codes.includes(value)) return { code: '7', why: `is not one of ${spec.codes.join(', ')}` };
  return undefined;
}

function check(p: Problems, at: Located, n: number, spec: ElementSpec, mandatory: boolean): string | undefined {
  const value = el(at.seg, n);
  const name = `${at.seg.tag}${String(n).padStart(2, '0')}`;
  if (value === undefined) {
    if (mandatory) elementProblem(p, at, n, '1', `${name} is required`, undefined, spec.ref);
    return undefined;
  }
  const bad = invalid(value, spec);
  if (bad) {
    elementProblem(p, at, n, bad.code, `${name} "${value}" ${bad.why}`, value, spec.ref);
    return undefined;
  }
  return value;
}

/** A mandatory element: its value, or undefined after recording the problem. */
export function required(p: Problems, at: Located, n: number, spec: ElementSpec): string | undefined {
  return check(p, at, n, spec, true);
}

/** An optional element: its value when present and valid; a bad value is still a problem. */
export function optional(p: Problems, at: Located, n: number, spec: ElementSpec): string | undefined {
  return check(p, at, n, spec, false);
}

export function isDate(v: string): boolean {
  if (!/^\d{8}$/.test(v)) return false;
  const y = Number(v.slice(0, 4)), m = Number(v.slice(4, 6)), d = Number(v.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isTime(v: string): boolean {
  if (!/^\d{4}(\d{2}(\d{1,2})?)?$/.test(v)) return false;
  return Number(v.slice(0, 2)) < 24 && Number(v.slice(2, 4)) < 60 && (v.length < 6 || Number(v.slice(4, 6)) < 60);
}
