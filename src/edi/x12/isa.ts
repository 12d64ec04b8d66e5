import { X12WriteError } from './errors.js';
import type { Delimiters, IsaHeader } from './types.js';

/**
 * The ISA is fixed-width: 16 fields of set widths, so with its 16 element separators, the tag
 * and the terminator it is always 106 characters, and a reader can find the separators at
 * fixed places. `ta1` is the TA105 note code a bad value in that field is reported with.
 */
const FIELDS = [
  { key: 'authInfoQualifier', width: 2, ta1: '010', pad: 'none' },
  { key: 'authInfo', width: 10, ta1: '011', pad: 'space' },
  { key: 'securityInfoQualifier', width: 2, ta1: '012', pad: 'none' },
  { key: 'securityInfo', width: 10, ta1: '013', pad: 'space' },
  { key: 'senderQualifier', width: 2, ta1: '005', pad: 'none' },
  { key: 'senderId', width: 15, ta1: '006', pad: 'space' },
  { key: 'receiverQualifier', width: 2, ta1: '007', pad: 'none' },
  { key: 'receiverId', width: 15, ta1: '008', pad: 'space' },
  { key: 'date', width: 6, ta1: '014', pad: 'none' },
  { key: 'time', width: 4, ta1: '015', pad: 'none' },
  { key: 'isa11', width: 1, ta1: '016', pad: 'none' },
  { key: 'version', width: 5, ta1: '017', pad: 'none' },
  { key: 'controlNumber', width: 9, ta1: '018', pad: 'zero' },
  { key: 'ackRequested', width: 1, ta1: '019', pad: 'none' },
  { key: 'usage', width: 1, ta1: '020', pad: 'none' },
  { key: 'componentSeparator', width: 1, ta1: '027', pad: 'none' },
] as const;

/** Characters in an ISA including its terminator. */
export const ISA_LENGTH = 106;

/** One problem with an ISA field. */
export interface IsaProblem {
  readonly code: 'isa.field-width' | 'isa.invalid-value';
  /** 1-based ISA element number. */
  readonly element: number;
  readonly ta1: string;
  readonly detail: string;
  readonly value: string;
}

const VALUE_RULES: Partial<Record<(typeof FIELDS)[number]['key'], { test: (v: string) => boolean; expected: string }>> = {
  date: { test: (v) => /^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(v), expected: 'a date YYMMDD' },
  time: { test: (v) => /^([01]\d|2[0-3])[0-5]\d$/.test(v), expected: 'a time HHMM' },
  version: { test: (v) => /^\d{5}$/.test(v), expected: 'five digits' },
  controlNumber: { test: (v) => /^\d{9}$/.test(v), expected: 'nine digits' },
  ackRequested: { test: (v) => v === '0' || v === '1', expected: '0 or 1' },
  usage: { test: (v) => v === 'T' || v === 'P', expected: 'T or P' },
};

/**
 * Reads the 16 ISA element values into a header and lists every field that is not its fixed
 * width or holds an impossible value. ISA11 is the repetition separator when it is not a letter
 * or digit (00402 and later), otherwise the standards identifier (`U`).
 */
export function readIsa(values: readonly string[]): { header: IsaHeader; problems: IsaProblem[] } {
  const problems: IsaProblem[] = [];
  const raw: Record<string, string> = {};
  FIELDS.forEach((field, i) => {
    const value = values[i] ?? '';
    raw[field.key] = value;
    if (value.length !== field.width) {
      problems.push({ code: 'isa.field-width', element: i + 1, ta1: field.ta1, value,
        detail: `ISA${pad2(i + 1)} is ${value.length} characters, must be ${field.width}` });
      return;
    }
    const rule = VALUE_RULES[field.key];
    if (rule !== undefined && !rule.test(value)) {
      problems.push({ code: 'isa.invalid-value', element: i + 1, ta1: field.ta1, value,
        detail: `ISA${pad2(i + 1)} is ${JSON.stringify(value)}, must be ${rule.expected}` });
    }
  });
  const isa11 = raw['isa11'] ?? '';
  const isStandardsId = /^[A-Za-z0-9]$/.test(isa11);
  if (isStandardsId && isa11 !== 'U') {
    problems.push({ code: 'isa.invalid-value', element: 11, ta1: '016', value: isa11,
      detail: `ISA11 is ${JSON.stringify(isa11)}: neither the standards identifier U nor a repetition separator` });
  }
  const text = (key: string): string => raw[key] ?? '';
  const header: IsaHeader = {
    authInfoQualifier: text('authInfoQualifier'),
    authInfo: text('authInfo').trimEnd(),
    securityInfoQualifier: text('securityInfoQualifier'),
    securityInfo: text('securityInfo').trimEnd(),
    senderQualifier: text('senderQualifier'),
    senderId: text('senderId').trimEnd(),
    receiverQualifier: text('receiverQualifier'),
    receiverId: text('receiverId').trimEnd(),
    date: text('date'),
    time: text('time'),
    ...(isStandardsId ? { standardsId: isa11 } : { repetitionSeparator: isa11 }),
    version: text('version'),
    controlNumber: text('controlNumber'),
    ackRequested: text('ackRequested'),
    // Documented on IsaHeader.usage: a bad value is reported and kept as received.
    usage: text('usage') as IsaHeader['usage'],
    componentSeparator: text('componentSeparator'),
  };
  return { header, problems };
}

/**
 * Writes the ISA (with its terminator, without line ending): pads ISA02/04/06/08 with spaces and
 * ISA13 with zeros, takes ISA11 and ISA16 from `delimiters`, and refuses a field that is too
 * long or holds a separator.
 */
export function formatIsa(isa: IsaHeader, delimiters: Delimiters): string {
  const isa11 = delimiters.repetition ?? isa.standardsId ?? 'U';
  const values: Record<(typeof FIELDS)[number]['key'], string> = {
    ...isa,
    isa11,
    componentSeparator: delimiters.component,
  };
  const out = FIELDS.map((field, i) => {
    let value = values[field.key];
    if (field.pad === 'space') value = value.padEnd(field.width, ' ');
    if (field.pad === 'zero' && /^\d+$/.test(value)) value = value.padStart(field.width, '0');
    if (value.length !== field.width) {
      throw new X12WriteError('write.isa-field', `ISA${pad2(i + 1)} (${field.key}) ${JSON.stringify(value)} must be ${field.width} characters`);
    }
    if (field.key !== 'isa11' && field.key !== 'componentSeparator'
      && [delimiters.element, delimiters.segment, delimiters.component, delimiters.repetition].some((d) => d !== undefined && value.includes(d))) {
      throw new X12WriteError('write.delimiter-in-value', `ISA${pad2(i + 1)} (${field.key}) ${JSON.stringify(value)} holds a separator`);
    }
    return value;
  });
  return `ISA${delimiters.element}${out.join(delimiters.element)}${delimiters.segment}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
