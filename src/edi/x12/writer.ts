import { delimiterProblems } from './delimiters.js';
import { X12WriteError } from './errors.js';
import { formatIsa } from './isa.js';
import type { Delimiters, GroupHeader, IsaHeader, SegmentData, TransactionSet } from './types.js';

/** A functional group to write; GE is computed. A parsed `FunctionalGroup` fits. */
export interface GroupInput extends GroupHeader {
  readonly sets: readonly TransactionSet<SegmentData>[];
}

/** An interchange to write; IEA is computed. A parsed `Interchange` fits. */
export interface InterchangeInput {
  readonly isa: IsaHeader;
  readonly groups: readonly GroupInput[];
  /** TA1 segments written right after the ISA. */
  readonly ta1?: readonly SegmentData[];
  /** Used when `writeX12` is given no delimiters (a parsed interchange has its own). */
  readonly delimiters?: Delimiters;
}

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Writes one or more interchanges. Control numbers are taken as given (ISA13, GS06, ST02);
 * counts are computed: SE01 (segments ST..SE), SE02 = ST02, GE01, GE02 = GS06, IEA01,
 * IEA02 = ISA13. The ISA is padded to its fixed widths, ISA11 and ISA16 come from the
 * delimiters. A set's `segments` may include its ST and SE or not: they are rewritten.
 *
 * @param delimiters separators for every interchange; when omitted each interchange's own.
 * @throws X12WriteError when a value holds a separator or a control character (X12 has no
 *   escape), a tag or an ISA field is invalid, or the separators clash.
 */
export function writeX12(input: InterchangeInput | readonly InterchangeInput[], delimiters?: Delimiters): string {
  const interchanges: readonly InterchangeInput[] = isList(input) ? input : [input];
  const out: string[] = [];
  for (const interchange of interchanges) {
    const d = delimiters ?? interchange.delimiters;
    if (d === undefined) throw new X12WriteError('write.no-delimiters', `interchange ${interchange.isa.controlNumber}: no delimiters given`);
    const problems = delimiterProblems(d);
    if (problems.length > 0) {
      throw new X12WriteError('write.delimiters', problems.map((p) => `the ${p.which} separator ${p.reason}`).join('; '));
    }
    const end = d.segment + d.lineEnding;
    const write = (segment: SegmentData): void => {
      out.push(formatSegment(segment, d), end);
    };
    out.push(formatIsa(interchange.isa, d), d.lineEnding);
    for (const ta1 of interchange.ta1 ?? []) write(ta1);
    for (const group of interchange.groups) {
      const { sets, ...gs } = group;
      write({ tag: 'GS', elements: [gs.functionalId, gs.appSender, gs.appReceiver, gs.date, gs.time, gs.controlNumber, gs.agency, gs.version] });
      for (const set of sets) {
        const body = bodyOf(set);
        write({ tag: 'ST', elements: set.implementationRef === undefined ? [set.id, set.controlNumber] : [set.id, set.controlNumber, set.implementationRef] });
        for (const segment of body) write(segment);
        write({ tag: 'SE', elements: [String(body.length + 2), set.controlNumber] });
      }
      write({ tag: 'GE', elements: [String(sets.length), gs.controlNumber] });
    }
    write({ tag: 'IEA', elements: [String(interchange.groups.length), interchange.isa.controlNumber.padStart(9, '0')] });
  }
  return out.join('');
}

/** An element as a mapping gives it: a value, its components, or nothing. */
export type ElementInput = string | readonly (string | undefined)[] | undefined;

/** A segment as a mapping gives it. */
export interface SegmentInput {
  readonly tag: string;
  readonly elements: readonly ElementInput[];
}

export interface BuildOptions {
  /** ST03, implementation convention reference (005010). */
  readonly implementationRef?: string;
  /** Needed as soon as one element is given as components. */
  readonly delimiters?: Pick<Delimiters, 'component'>;
}

/**
 * Builds a transaction set from a mapping's segments: wraps them in ST/SE (SE01 computed),
 * joins components with the component separator, writes a missing element in the middle as
 * empty and drops trailing empty elements and components (X12 omits them).
 *
 * @throws X12WriteError for an invalid tag, a component holding the component separator, or
 *   components without `options.delimiters`.
 */
export function buildTransactionSet(
  id: string,
  controlNumber: string,
  segments: readonly SegmentInput[],
  options: BuildOptions = {},
): TransactionSet<SegmentData> {
  const body = segments.map((segment) => {
    if (!TAG.test(segment.tag)) throw new X12WriteError('write.invalid-tag', `${JSON.stringify(segment.tag)} is not a segment identifier`);
    const elements = segment.elements.map((element, i) => joinElement(element, segment.tag, i + 1, options));
    return { tag: segment.tag, elements: dropTrailingEmpty(elements) };
  });
  const st: SegmentData = { tag: 'ST', elements: options.implementationRef === undefined ? [id, controlNumber] : [id, controlNumber, options.implementationRef] };
  const se: SegmentData = { tag: 'SE', elements: [String(body.length + 2), controlNumber] };
  return {
    id, controlNumber,
    ...(options.implementationRef === undefined ? {} : { implementationRef: options.implementationRef }),
    segments: [st, ...body, se],
  };
}

function joinElement(element: ElementInput, tag: string, position: number, options: BuildOptions): string {
  if (element === undefined) return '';
  if (typeof element === 'string') return element;
  const separator = options.delimiters?.component;
  if (separator === undefined) {
    throw new X12WriteError('write.no-delimiters', `${tag}${String(position).padStart(2, '0')} has components: pass options.delimiters`);
  }
  const parts = dropTrailingEmpty(element.map((c) => c ?? ''));
  parts.forEach((c, i) => {
    if (c.includes(separator)) {
      throw new X12WriteError('write.delimiter-in-value',
        `${tag}${String(position).padStart(2, '0')}-${i + 1} ${JSON.stringify(c)} holds the component separator ${JSON.stringify(separator)}`);
    }
  });
  return parts.join(separator);
}

function dropTrailingEmpty(values: string[]): string[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === '') n--;
  return values.slice(0, n);
}

function bodyOf(set: TransactionSet<SegmentData>): readonly SegmentData[] {
  let from = 0;
  let to = set.segments.length;
  if (set.segments[0]?.tag === 'ST') from = 1;
  if (to > from && set.segments[to - 1]?.tag === 'SE') to--;
  return set.segments.slice(from, to);
}

function formatSegment(segment: SegmentData, d: Delimiters): string {
  if (!TAG.test(segment.tag)) throw new X12WriteError('write.invalid-tag', `${JSON.stringify(segment.tag)} is not a segment identifier`);
  segment.elements.forEach((value, i) => {
    const bad = value.includes(d.element) ? d.element : value.includes(d.segment) ? d.segment
      : CONTROL.test(value) ? [...value].find((c) => CONTROL.test(c) && c !== d.component && c !== d.repetition) : undefined;
    if (bad !== undefined) {
      throw new X12WriteError('write.delimiter-in-value',
        `${segment.tag}${String(i + 1).padStart(2, '0')} ${JSON.stringify(value)} holds ${JSON.stringify(bad)}, which X12 cannot carry in a value here`);
    }
  });
  return segment.elements.length === 0 ? segment.tag : segment.tag + d.element + segment.elements.join(d.element);
}

function isList(input: InterchangeInput | readonly InterchangeInput[]): input is readonly InterchangeInput[] {
  return Array.isArray(input);
}
