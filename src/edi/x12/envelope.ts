import { showChar } from './delimiters.js';
import { X12_ERRORS, type Ak3Note, type Ak4Note, type X12Error, type X12ErrorCode, type X12ErrorLevel } from './errors.js';
import type { X12Event } from './events.js';
import { ISA_LENGTH, readIsa } from './isa.js';
import type { RawPosition, Token } from './tokenizer.js';
import type { Delimiters, GroupHeader, IsaHeader, Segment, SegmentPosition } from './types.js';

interface OpenInterchange {
  readonly isa: IsaHeader;
  readonly delimiters: Delimiters;
  readonly errors: X12Error[];
  readonly groupControlNumbers: Set<string>;
  groupCount: number;
}

interface OpenGroup {
  readonly header: GroupHeader;
  readonly errors: X12Error[];
  readonly setControlNumbers: Set<string>;
  setCount: number;
}

interface OpenSet {
  readonly id: string;
  readonly controlNumber: string;
  readonly implementationRef: string | undefined;
  readonly segments: Segment[];
  readonly errors: X12Error[];
}

interface Problem {
  readonly level?: X12ErrorLevel;
  /** Element named in the message, e.g. `SE01`. */
  readonly element?: string;
  readonly ta1?: string;
  readonly ak3?: Ak3Note;
  readonly ak4?: Ak4Note;
}

const ENVELOPE_TAGS = new Set(['GS', 'GE', 'ST', 'IEA']);
const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The envelope state machine: takes segments in order, checks ISA/IEA, GS/GE and ST/SE against
 * each other and yields events. It holds one open transaction set at a time, never a group or an
 * interchange. A problem in one set closes only that set; the next ST starts clean.
 */
export class EnvelopeReader {
  private ic: OpenInterchange | undefined;
  private group: OpenGroup | undefined;
  private set: OpenSet | undefined;
  private lastControlNumber: string | undefined;
  private index = 0;
  /** After one unexpected segment, the rest of the run is not reported again. */
  private orphan = false;

  constructor(private readonly emit: (event: X12Event) => void) {}

  token(token: Token): void {
    if (token.kind === 'problem') {
      this.problemToken(token.code, token.detail, token.position);
      return;
    }
    this.index = token.kind === 'isa' ? 1 : this.index + 1;
    if (token.kind === 'isa') {
      this.isa(token);
      return;
    }
    const inSet = this.set !== undefined && !ENVELOPE_TAGS.has(token.tag);
    const position = this.positionOf(token.position, inSet ? this.set!.segments.length + 1 : 0);
    const segment: Segment = { tag: token.tag, elements: token.elements, position };
    if (token.unterminated) {
      this.fail('segment.unterminated', `the input ends inside ${token.tag || 'a segment'}, without its terminator`, position, {});
    }
    switch (token.tag) {
      case 'IEA': return this.iea(segment);
      case 'GS': return this.gs(segment);
      case 'GE': return this.ge(segment);
      case 'ST': return this.st(segment);
      case 'SE': return this.se(segment, token.raw);
      case 'TA1':
        if (this.ic !== undefined && this.group === undefined) {
          this.orphan = false;
          this.emit({ type: 'ta1', segment, interchangeControlNumber: this.ic.isa.controlNumber });
          return;
        }
        break;
    }
    if (this.set !== undefined) this.inSet(segment, token.raw);
    else this.unexpected(segment);
  }

  /** Closes whatever is open at the end of the input. */
  end(at: RawPosition): void {
    const position = this.positionOf(at, this.set === undefined ? 0 : this.set.segments.length + 1, this.index + 1);
    this.closeAll(position, 'the input ends');
  }

  private isa(token: Extract<Token, { kind: 'isa' }>): void {
    const position = this.positionOf(token.position, 0);
    this.closeAll(position, 'a new ISA starts');
    const { header, problems } = readIsa(token.values);
    this.ic = { isa: header, delimiters: token.delimiters, errors: [], groupControlNumbers: new Set(), groupCount: 0 };
    this.orphan = false;
    this.emit({ type: 'interchangeStart', isa: header, delimiters: token.delimiters, position });
    if (token.length !== ISA_LENGTH) {
      this.fail('isa.length', `the ISA is ${token.length} characters including its terminator, must be ${ISA_LENGTH}`, position, {});
    }
    for (const p of problems) this.fail(p.code, p.detail, position, { element: `ISA${String(p.element).padStart(2, '0')}`, ta1: p.ta1 });
    for (const p of token.delimiterProblems) {
      const ta1 = { element: '026', component: '027', segment: '004', repetition: '022' }[p.which];
      this.fail('isa.delimiters', `the ${p.which} separator ${p.reason}`, position, { ta1 });
    }
    if (token.fatal) this.closeInterchange(undefined);
  }

  private iea(segment: Segment): void {
    const ic = this.ic;
    if (ic === undefined) return this.unexpected(segment);
    this.closeGroup(segment.position, 'the IEA comes');
    const [count = '', control = ''] = segment.elements;
    if (!sameNumber(count, ic.groupCount)) {
      this.fail('iea.count-mismatch', `IEA01 says ${show(count)} groups, the interchange has ${ic.groupCount}`, segment.position, { element: 'IEA01' });
    }
    if (!sameNumber(control, ic.isa.controlNumber)) {
      this.fail('iea.control-number-mismatch', `IEA02 is ${show(control)}, ISA13 is ${ic.isa.controlNumber}`, segment.position, { element: 'IEA02' });
    }
    this.closeInterchange({ groupCount: count, controlNumber: control });
  }

  private gs(segment: Segment): void {
    const ic = this.ic;
    if (ic === undefined) return this.unexpected(segment);
    this.closeGroup(segment.position, 'a new GS starts');
    const e = segment.elements;
    const header: GroupHeader = {
      functionalId: e[0] ?? '', appSender: e[1] ?? '', appReceiver: e[2] ?? '', date: e[3] ?? '',
      time: e[4] ?? '', controlNumber: e[5] ?? '', agency: e[6] ?? '', version: e[7] ?? '',
    };
    this.group = { header, errors: [], setControlNumbers: new Set(), setCount: 0 };
    ic.groupCount++;
    this.orphan = false;
    this.emit({ type: 'groupStart', group: header, position: segment.position, interchangeControlNumber: ic.isa.controlNumber });
    if (e.length < 8) this.fail('gs.malformed', `the GS has ${e.length} elements, needs 8 (GS01..GS08)`, segment.position, {});
    if (!/^\d{1,9}$/.test(header.controlNumber)) {
      this.fail('gs.control-number-invalid', `GS06 is ${show(header.controlNumber)}, must be 1 to 9 digits`, segment.position, { element: 'GS06' });
    } else if (ic.groupControlNumbers.has(String(Number(header.controlNumber)))) {
      this.fail('gs.duplicate-control-number', `GS06 ${header.controlNumber} is used by an earlier group of this interchange`, segment.position, { element: 'GS06' });
    }
    ic.groupControlNumbers.add(String(Number(header.controlNumber)));
  }

  private ge(segment: Segment): void {
    const group = this.group;
    if (group === undefined) return this.unexpected(segment);
    this.closeSet(segment.position, 'the GE comes');
    const [count = '', control = ''] = segment.elements;
    if (!sameNumber(count, group.setCount)) {
      this.fail('ge.count-mismatch', `GE01 says ${show(count)} sets, the group has ${group.setCount}`, segment.position, { element: 'GE01' });
    }
    if (!sameNumber(control, group.header.controlNumber)) {
      this.fail('ge.control-number-mismatch', `GE02 is ${show(control)}, GS06 is ${show(group.header.controlNumber)}`, segment.position, { element: 'GE02' });
    }
    this.closeGroup(segment.position, '', { setCount: count, controlNumber: control });
  }

  private st(segment: Segment): void {
    const group = this.group;
    if (group === undefined) return this.unexpected(segment);
    this.closeSet(segment.position, 'a new ST starts');
    const [id = '', control = '', implementationRef] = segment.elements;
    const position: SegmentPosition = { ...segment.position, setIndex: 1 };
    const st: Segment = { ...segment, position };
    this.set = { id, controlNumber: control, implementationRef, segments: [st], errors: [] };
    group.setCount++;
    this.orphan = false;
    if (!/^[A-Z0-9]{3}$/.test(id)) {
      this.fail('st.malformed', `ST01 is ${show(id)}, must be a 3-character transaction set identifier`, position,
        { element: 'ST01', ak3: ak3(st, '8'), ak4: { position: 1, dataElementRef: '143', code: id === '' ? '1' : '7', badValue: id } });
    }
    if (control.length < 4 || control.length > 9) {
      this.fail('st.control-number-invalid', `ST02 is ${show(control)}, must be 4 to 9 characters`, position,
        { element: 'ST02', ak3: ak3(st, '8'), ak4: { position: 2, dataElementRef: '329', code: control === '' ? '1' : control.length < 4 ? '4' : '5', badValue: control } });
    } else if (group.setControlNumbers.has(control)) {
      this.fail('st.duplicate-control-number', `ST02 ${control} is used by an earlier set of this group`, position, { element: 'ST02' });
    }
    group.setControlNumbers.add(control);
  }

  private se(segment: Segment, raw: string): void {
    const set = this.set;
    if (set === undefined) return this.unexpected(segment);
    this.inSet(segment, raw);
    const [count = '', control = ''] = segment.elements;
    const actual = set.segments.length;
    if (!sameNumber(count, actual)) {
      this.fail('se.count-mismatch', `SE01 says ${show(count)} segments, the set has ${actual}`, segment.position,
        { element: 'SE01', ak3: ak3(segment, '8'), ak4: { position: 1, dataElementRef: '96', code: '7', badValue: count } });
    }
    if (control !== set.controlNumber) {
      this.fail('se.control-number-mismatch', `SE02 is ${show(control)}, ST02 is ${show(set.controlNumber)}`, segment.position,
        { element: 'SE02', ak3: ak3(segment, '8'), ak4: { position: 2, dataElementRef: '329', code: '7', badValue: control } });
    }
    this.closeSet(segment.position, '');
  }

  private inSet(segment: Segment, raw: string): void {
    const set = this.set!;
    set.segments.push(segment);
    if (!TAG.test(segment.tag)) {
      this.fail('segment.invalid-tag', `${show(segment.tag)} is not a segment identifier`, segment.position, { ak3: ak3(segment, '1') });
    } else if (CONTROL.test(raw)) {
      const d = this.ic!.delimiters;
      segment.elements.forEach((value, i) => {
        const bad = [...value].find((c) => CONTROL.test(c) && c !== d.component && c !== d.repetition);
        if (bad === undefined) return;
        const element = `${segment.tag}${String(i + 1).padStart(2, '0')}`;
        this.fail('element.invalid-character', `${element} holds the control character ${showChar(bad)} (a line break inside a segment?)`,
          segment.position, { element, ak3: ak3(segment, '8'), ak4: { position: i + 1, code: '6', badValue: value } });
      });
    }
  }

  private unexpected(segment: Segment): void {
    if (this.orphan) return;
    this.orphan = true;
    const where = this.ic === undefined ? 'outside any interchange'
      : this.group === undefined ? 'in the interchange, outside any group' : 'in the group, outside any transaction set';
    const level: X12ErrorLevel = this.ic === undefined || this.group === undefined ? 'interchange' : 'group';
    this.fail('envelope.unexpected-segment', `unexpected ${show(segment.tag)} segment ${where}`, segment.position,
      { level, ...(this.ic === undefined ? { ta1: '' } : {}) });
  }

  private problemToken(code: Extract<Token, { kind: 'problem' }>['code'], detail: string, at: RawPosition): void {
    const position = this.positionOf(at, this.set === undefined ? 0 : this.set.segments.length + 1, this.index + 1);
    if (code === 'isa.malformed' || code === 'isa.truncated') {
      // The ISA could not be read: close what was open, then report it on its own.
      this.closeAll(position, 'a new ISA starts');
      this.index = 1;
    }
    this.fail(code, detail, { ...position, index: code.startsWith('isa.') ? 1 : position.index }, {});
  }

  private closeAll(position: SegmentPosition, why: string): void {
    if (this.ic !== undefined) {
      this.closeGroup(position, why);
      this.fail('iea.missing', `the interchange has no IEA: ${why}`, position, {});
      this.closeInterchange(undefined);
    }
  }

  private closeInterchange(iea: { groupCount: string; controlNumber: string } | undefined): void {
    const ic = this.ic!;
    this.emit({ type: 'interchangeEnd', isa: ic.isa, ...(iea === undefined ? {} : { iea }), groupCount: ic.groupCount, errors: ic.errors });
    this.lastControlNumber = ic.isa.controlNumber;
    this.ic = undefined;
    this.orphan = false;
  }

  /** Closes the open group; `why` non-empty means its GE is missing. */
  private closeGroup(position: SegmentPosition, why: string, ge?: { setCount: string; controlNumber: string }): void {
    const group = this.group;
    if (group === undefined) return;
    this.closeSet(position, why);
    if (ge === undefined) this.fail('ge.missing', `the group has no GE: ${why}`, position, {});
    this.emit({ type: 'groupEnd', group: group.header, ...(ge === undefined ? {} : { ge }), setCount: group.setCount,
      interchangeControlNumber: this.ic!.isa.controlNumber, errors: group.errors });
    this.group = undefined;
  }

  /** Closes the open set; `why` non-empty means its SE is missing. */
  private closeSet(position: SegmentPosition, why: string): void {
    const set = this.set;
    if (set === undefined) return;
    if (why !== '') this.fail('se.missing', `the set has no SE: ${why}`, position, {});
    this.emit({
      type: 'transactionSet',
      set: { id: set.id, controlNumber: set.controlNumber, ...(set.implementationRef === undefined ? {} : { implementationRef: set.implementationRef }), segments: set.segments },
      group: this.group!.header, interchangeControlNumber: this.ic!.isa.controlNumber, errors: set.errors,
    });
    this.set = undefined;
  }

  private fail(code: X12ErrorCode, detail: string, position: SegmentPosition, problem: Problem): void {
    const entry: { level: X12ErrorLevel; ta1?: string; ak9?: string; ak5?: string } = X12_ERRORS[code];
    const level = problem.level ?? entry.level;
    const ic = this.ic;
    const group = level === 'interchange' ? undefined : this.group;
    const set = level === 'set' ? this.set : undefined;
    const ta1 = level === 'interchange' ? (problem.ta1 ?? entry.ta1) : undefined;
    const names = [
      ic !== undefined ? `interchange ${ic.isa.controlNumber}` : this.lastControlNumber !== undefined ? `after interchange ${this.lastControlNumber}` : 'input',
      ...(group !== undefined ? [`group ${group.header.controlNumber}`] : []),
      ...(set !== undefined ? [`set ${set.controlNumber} (${set.id})`] : []),
    ];
    const where = [`segment ${position.index}`, ...(problem.element !== undefined ? [problem.element] : [])].join(', ');
    const error: X12Error = {
      code, level, position,
      message: `${names.join(', ')}: ${detail} (${where})`,
      ...(ic !== undefined ? { interchangeControlNumber: ic.isa.controlNumber } : {}),
      ...(group !== undefined ? { groupControlNumber: group.header.controlNumber, functionalId: group.header.functionalId } : {}),
      ...(set !== undefined ? { setControlNumber: set.controlNumber, setId: set.id } : {}),
      ...(ta1 !== undefined && ta1 !== '' ? { ta1 } : {}),
      ...(level === 'group' && entry.ak9 !== undefined ? { ak9: entry.ak9 } : {}),
      ...(level === 'set' && entry.ak5 !== undefined ? { ak5: entry.ak5 } : {}),
      ...(level === 'set' && problem.ak3 !== undefined ? { ak3: problem.ak3 } : {}),
      ...(level === 'set' && problem.ak4 !== undefined ? { ak4: problem.ak4 } : {}),
    };
    const holder = level === 'set' ? set : level === 'group' ? group : ic;
    holder?.errors.push(error);
    this.emit({ type: 'error', error });
  }

  private positionOf(at: RawPosition, setIndex: number, index = this.index): SegmentPosition {
    return { index, byteOffset: at.byteOffset, line: at.line, setIndex };
  }
}

function ak3(segment: Segment, code: string): Ak3Note {
  return { segmentId: segment.tag, position: segment.position.setIndex, code };
}

/** Counts and numeric control numbers compare as numbers (`1` = `0001`); anything else as text. */
function sameNumber(value: string, expected: number | string): boolean {
  if (value === String(expected)) return true;
  return /^\d{1,15}$/.test(value) && /^\d{1,15}$/.test(String(expected)) && Number(value) === Number(expected);
}

function show(value: string): string {
  return value === '' ? 'empty' : /^[\x20-\x7e]*$/.test(value) ? value : JSON.stringify(value);
}
