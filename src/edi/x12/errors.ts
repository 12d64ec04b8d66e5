import type { SegmentPosition } from './types.js';

/**
 * Which envelope an error condemns: `interchange` rejects the whole interchange (TA1),
 * `group` rejects its functional group (AK9 `R`), `set` rejects only that transaction set
 * (AK5 `R`) while the other sets of the group stay readable and acceptable.
 */
export type X12ErrorLevel = 'interchange' | 'group' | 'set';

/**
 * The error catalogue: one line per code, with the X12 note codes a TA1 or 997 reports for it.
 * `ta1` is TA105 (I18), `ak9` AK905 (716), `ak5` AK502 (718), `ak304` AK304 (720),
 * `ak403` AK403 (723). Codes are stable; messages may improve.
 */
export const X12_ERRORS = {
  'input.empty': { level: 'interchange', title: 'The input holds no interchange' },
  'envelope.unexpected-data': { level: 'interchange', title: 'Data where an ISA must start' },
  'envelope.unexpected-segment': { level: 'interchange', ta1: '024', title: 'A segment outside the envelope it needs (level is where it was found)' },
  'isa.malformed': { level: 'interchange', ta1: '022', title: 'The ISA does not have 16 elements' },
  'isa.truncated': { level: 'interchange', ta1: '023', title: 'The input ends inside the ISA' },
  'isa.length': { level: 'interchange', ta1: '022', title: 'The ISA is not 106 characters including its terminator' },
  'isa.field-width': { level: 'interchange', title: 'An ISA field is not its fixed width (TA1 code depends on the field)' },
  'isa.invalid-value': { level: 'interchange', title: 'An ISA field holds a value it cannot hold (TA1 code depends on the field)' },
  'isa.delimiters': { level: 'interchange', title: 'The separators declared by the ISA cannot be told apart' },
  'iea.count-mismatch': { level: 'interchange', ta1: '021', title: 'IEA01 differs from the number of groups' },
  'iea.control-number-mismatch': { level: 'interchange', ta1: '001', title: 'IEA02 differs from ISA13' },
  'iea.missing': { level: 'interchange', ta1: '023', title: 'The interchange has no IEA' },
  'segment.unterminated': { level: 'interchange', ta1: '023', title: 'The input ends inside a segment' },
  'segment.too-long': { level: 'interchange', ta1: '024', title: 'A segment runs past the length limit (no terminator found)' },
  'gs.malformed': { level: 'group', title: 'The GS has fewer than 8 elements' },
  'gs.control-number-invalid': { level: 'group', ak9: '6', title: 'GS06 is not 1 to 9 digits' },
  'gs.duplicate-control-number': { level: 'group', ak9: '19', title: 'GS06 repeats another group of the interchange' },
  'ge.count-mismatch': { level: 'group', ak9: '5', title: 'GE01 differs from the number of sets' },
  'ge.control-number-mismatch': { level: 'group', ak9: '4', title: 'GE02 differs from GS06' },
  'ge.missing': { level: 'group', ak9: '3', title: 'The group has no GE' },
  'st.malformed': { level: 'set', ak5: '6', title: 'ST01 is missing or not a 3-character set identifier' },
  'st.control-number-invalid': { level: 'set', ak5: '7', title: 'ST02 is missing or not 4 to 9 characters' },
  'st.duplicate-control-number': { level: 'set', ak5: '23', title: 'ST02 repeats another set of the group' },
  'se.count-mismatch': { level: 'set', ak5: '4', title: 'SE01 differs from the number of segments ST..SE' },
  'se.control-number-mismatch': { level: 'set', ak5: '3', title: 'SE02 differs from ST02' },
  'se.missing': { level: 'set', ak5: '2', title: 'The set has no SE' },
  'segment.invalid-tag': { level: 'set', ak5: '5', ak304: '1', title: 'A segment identifier is not 2-3 capital letters and digits' },
  'element.invalid-character': { level: 'set', ak5: '5', ak304: '8', ak403: '6', title: 'An element holds a control character (often a wrapped line)' },
} as const satisfies Record<string, { level: X12ErrorLevel; title: string; ta1?: string; ak9?: string; ak5?: string; ak304?: string; ak403?: string }>;

export type X12ErrorCode = keyof typeof X12_ERRORS;

/** AK3 data segment note, for segment-level problems inside a set. */
export interface Ak3Note {
  /** AK301 */ readonly segmentId: string;
  /** AK302, position in the set (ST = 1) */ readonly position: number;
  /** AK303, when a loop is known (this module does not know loops; mappings may add it) */ readonly loopId?: string;
  /** AK304 */ readonly code: string;
}

/** AK4 data element note. */
export interface Ak4Note {
  /** AK401, element position in the segment (1-based) */ readonly position: number;
  /** AK401-2, component position, when the problem is in one component */ readonly componentPosition?: number;
  /** AK402, data element reference number, when known */ readonly dataElementRef?: string;
  /** AK403 */ readonly code: string;
  /** AK404, a copy of the bad value */ readonly badValue?: string;
}

/**
 * A problem found while reading X12: data, never thrown by the parser. Carries what a person
 * needs to find it (message, position, control numbers) and what a TA1 or 997 needs to report it.
 */
export interface X12Error {
  readonly code: X12ErrorCode;
  /** E.g. "interchange 000000905, group 1, set 0001 (850): SE01 says 12 segments, the set has 11 (segment 14, SE01)". */
  readonly message: string;
  readonly level: X12ErrorLevel;
  /** The segment concerned; at end of input, where the input ended. */
  readonly position: SegmentPosition;
  /** ISA13 of the interchange concerned, when one was read. */
  readonly interchangeControlNumber?: string;
  /** GS06 of the group concerned. */
  readonly groupControlNumber?: string;
  /** GS01 of the group concerned (AK101). */
  readonly functionalId?: string;
  /** ST02 of the set concerned (AK202). */
  readonly setControlNumber?: string;
  /** ST01 of the set concerned (AK201). */
  readonly setId?: string;
  /** TA105 interchange note code, for interchange-level errors, e.g. `001`. */
  readonly ta1?: string;
  /** AK905 functional group syntax error code, for group-level errors, e.g. `5`. */
  readonly ak9?: string;
  /** AK502 transaction set syntax error code, for set-level errors, e.g. `4`. */
  readonly ak5?: string;
  readonly ak3?: Ak3Note;
  readonly ak4?: Ak4Note;
}

/** Thrown by `parseX12` when the input has problems; `errors` lists them all in input order. */
export class X12ParseError extends Error {
  readonly errors: readonly X12Error[];
  constructor(errors: readonly X12Error[]) {
    const first = errors[0]?.message ?? 'unknown problem';
    super(errors.length === 1 ? first : `${first} (and ${errors.length - 1} more)`);
    this.name = 'X12ParseError';
    this.errors = errors;
  }
}

export type X12WriteErrorCode =
  | 'write.delimiters'
  | 'write.delimiter-in-value'
  | 'write.isa-field'
  | 'write.invalid-tag'
  | 'write.no-delimiters';

/**
 * Thrown by the writer and the builder when a value cannot be written faithfully: X12 has no
 * escape character, so a value holding a separator is refused rather than silently corrupted.
 */
export class X12WriteError extends Error {
  readonly code: X12WriteErrorCode;
  constructor(code: X12WriteErrorCode, message: string) {
    super(message);
    this.name = 'X12WriteError';
    this.code = code;
  }
}
