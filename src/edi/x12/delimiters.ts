import type { Delimiters, SegmentData } from './types.js';

/** Splits a composite element into its components (`PO107` `UP:012345` → `['UP', '012345']`). */
export function components(value: string, delimiters: Pick<Delimiters, 'component'>): string[] {
  return value.split(delimiters.component);
}

/** Splits a repeating element; without a repetition separator (ISA11 = `U`) it is one value. */
export function repetitions(value: string, delimiters: Pick<Delimiters, 'repetition'>): string[] {
  return delimiters.repetition === undefined ? [value] : value.split(delimiters.repetition);
}

/**
 * Element `position` (1-based, as guides number them: BEG03 → 3) of a segment, or `''` when the
 * segment stops before it (X12 drops trailing empty elements).
 */
export function elementAt(segment: SegmentData, position: number): string {
  return segment.elements[position - 1] ?? '';
}

/** One problem with a set of separators. */
export interface DelimiterProblem {
  readonly which: 'element' | 'component' | 'repetition' | 'segment';
  readonly reason: string;
}

const LINE_BREAK = /[\r\n]/;
const ALPHANUMERIC_OR_SPACE = /[A-Za-z0-9 ]/;

/**
 * Checks that separators can be told apart from data and from each other: one character each,
 * not a letter, digit or space, all distinct; only the segment terminator may be CR or LF, and
 * then no extra line ending may follow it.
 */
export function delimiterProblems(d: Delimiters): DelimiterProblem[] {
  const problems: DelimiterProblem[] = [];
  const named: [DelimiterProblem['which'], string | undefined][] = [
    ['element', d.element],
    ['segment', d.segment],
    ['component', d.component],
    ['repetition', d.repetition],
  ];
  const seen = new Map<string, DelimiterProblem['which']>();
  for (const [which, value] of named) {
    if (value === undefined) continue;
    if (value.length !== 1) problems.push({ which, reason: `must be one character, got ${JSON.stringify(value)}` });
    else if (ALPHANUMERIC_OR_SPACE.test(value)) problems.push({ which, reason: `${JSON.stringify(value)} is a letter, digit or space` });
    else if (which !== 'segment' && LINE_BREAK.test(value)) problems.push({ which, reason: 'CR and LF can only be the segment terminator' });
    else {
      const other = seen.get(value);
      if (other !== undefined) problems.push({ which, reason: `${JSON.stringify(value)} is also the ${other} separator` });
      seen.set(value, which);
    }
  }
  if (LINE_BREAK.test(d.segment) && d.lineEnding !== '' && !(d.segment === '\r' && d.lineEnding === '\n')) {
    problems.push({ which: 'segment', reason: 'a CR or LF terminator takes no extra line ending (use CR with lineEnding LF for CRLF)' });
  }
  return problems;
}

/** `'*'`, `'\n'`, `'\x1d'`: a separator as a person reads it in a message. */
export function showChar(value: string): string {
  return JSON.stringify(value);
}
