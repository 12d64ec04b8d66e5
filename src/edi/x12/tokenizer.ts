import { StringDecoder } from 'node:string_decoder';
import { delimiterProblems, type DelimiterProblem } from './delimiters.js';
import type { Delimiters } from './types.js';

/** Where a token starts: absolute byte offset and 1-based line. */
export interface RawPosition {
  readonly byteOffset: number;
  readonly line: number;
}

/** What the splitter hands to the envelope reader. */
export type Token =
  | { readonly kind: 'isa'; readonly values: string[]; readonly delimiters: Delimiters; readonly length: number;
      readonly delimiterProblems: DelimiterProblem[]; readonly fatal: boolean; readonly position: RawPosition }
  | { readonly kind: 'segment'; readonly tag: string; readonly elements: string[]; readonly raw: string;
      readonly unterminated: boolean; readonly position: RawPosition }
  | { readonly kind: 'problem'; readonly code: 'envelope.unexpected-data' | 'isa.malformed' | 'isa.truncated' | 'segment.too-long' | 'input.empty';
      readonly detail: string; readonly position: RawPosition };

export interface SplitterOptions {
  /** Longest segment accepted before the rest is skipped as garbage. @default 1_000_000 */
  readonly maxSegmentLength?: number;
  /** How bytes become characters. @default 'utf8' */
  readonly encoding?: 'utf8' | 'latin1';
}

/** How far to look for the 16th ISA element separator (a valid ISA has it at 103). */
const ISA_SCAN = 512;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/**
 * Cuts a stream of text into segments without holding more than the unread tail. At every
 * segment start it checks for `ISA` + a non-alphanumeric character and reads the separators
 * from that ISA (a file may hold several interchanges with different separators). Between
 * segments it skips CR/LF, so files with or without line breaks read the same. Before any
 * readable ISA it skips to the next `ISA`, reporting the skipped run once.
 */
export class SegmentSplitter {
  private buf = '';
  private pos = 0;
  private scanFrom = 0;
  private bytes = 0;
  private line = 1;
  private nextNewline = -2;
  private ascii = true;
  private atStart = true;
  private sawData = false;
  private delimiters: Delimiters | undefined;
  private garbageReported = false;
  private skippingOverlong = false;
  private readonly decoder: StringDecoder;
  private readonly oneBytePerChar: boolean;
  private readonly maxSegmentLength: number;

  constructor(options: SplitterOptions = {}) {
    this.decoder = new StringDecoder(options.encoding ?? 'utf8');
    this.oneBytePerChar = options.encoding === 'latin1';
    this.maxSegmentLength = options.maxSegmentLength ?? 1_000_000;
  }

  push(chunk: string | Uint8Array, out: Token[]): void {
    let text: string;
    let extraBytes: number;
    if (typeof chunk === 'string') {
      text = chunk;
      extraBytes = -1;
    } else {
      text = this.decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      extraBytes = chunk.byteLength - text.length;
    }
    if (this.atStart && this.bytes === 0 && this.buf.length === 0 && text.charCodeAt(0) === BOM) {
      // A UTF-8 byte order mark: skip it here so the rest of an ASCII file keeps the fast path.
      text = text.slice(1);
      this.bytes = 3;
      extraBytes -= 2;
    }
    if (this.ascii && !this.oneBytePerChar) {
      this.ascii = extraBytes < 0 ? !/[^\x00-\x7f]/.test(text) : extraBytes === 0;
    }
    if (text.length === 0) return;
    this.buf = this.pos === 0 ? this.buf + text : this.buf.slice(this.pos) + text;
    this.scanFrom = Math.max(0, this.scanFrom - this.pos);
    this.pos = 0;
    this.nextNewline = -2;
    this.drain(false, out);
  }

  end(out: Token[]): void {
    const tail = this.decoder.end();
    if (tail.length > 0) {
      this.ascii = this.ascii && this.oneBytePerChar;
      this.buf = this.buf.slice(this.pos) + tail;
      this.scanFrom = Math.max(0, this.scanFrom - this.pos);
      this.pos = 0;
      this.nextNewline = -2;
    }
    this.drain(true, out);
    if (!this.sawData) out.push({ kind: 'problem', code: 'input.empty', detail: 'the input holds no interchange', position: this.here() });
  }

  /** Where the next unread character is. */
  here(): RawPosition {
    return { byteOffset: this.bytes, line: this.line };
  }

  private drain(final: boolean, out: Token[]): void {
    for (;;) {
      const len = this.buf.length;
      if (this.skippingOverlong) {
        const t = this.delimiters === undefined ? -1 : this.buf.indexOf(this.delimiters.segment, this.pos);
        if (t === -1) { this.advance(len - this.pos); return; }
        this.advance(t + 1 - this.pos);
        this.skippingOverlong = false;
      }
      let p = this.pos;
      while (p < len) {
        const c = this.buf.charCodeAt(p);
        if (c === CR || c === LF) p++;
        else break;
      }
      this.advance(p - this.pos);
      if (this.pos >= len) return;
      this.atStart = false;
      this.sawData = true;
      const remaining = len - this.pos;
      if (remaining < 4 && !final) return;
      if (this.buf.startsWith('ISA', this.pos) && remaining >= 4 && !isAlphanumeric(this.buf.charCodeAt(this.pos + 3))) {
        if (!this.readIsa(final, out)) return;
        continue;
      }
      if (this.delimiters !== undefined) {
        if (!this.readSegment(this.delimiters, final, out)) return;
        continue;
      }
      if (!this.skipGarbage(final, out)) return;
    }
  }

  /** Reads one segment; false when more input is needed. */
  private readSegment(d: Delimiters, final: boolean, out: Token[]): boolean {
    const len = this.buf.length;
    const t = this.buf.indexOf(d.segment, Math.max(this.scanFrom, this.pos));
    if (t === -1 || t - this.pos > this.maxSegmentLength) {
      if (t !== -1 || len - this.pos > this.maxSegmentLength) {
        out.push({ kind: 'problem', code: 'segment.too-long', position: this.here(),
          detail: `no segment terminator ${JSON.stringify(d.segment)} within ${this.maxSegmentLength} characters` });
        this.skippingOverlong = true;
        return true;
      }
      if (!final) { this.scanFrom = len; return false; }
      this.emitSegment(this.buf.slice(this.pos, len), d, true, out);
      this.advance(len - this.pos);
      return false;
    }
    this.emitSegment(this.buf.slice(this.pos, t), d, false, out);
    this.advance(t + 1 - this.pos);
    this.scanFrom = this.pos;
    return true;
  }

  private emitSegment(text: string, d: Delimiters, unterminated: boolean, out: Token[]): void {
    // A LF-terminated file written on Windows leaves a CR at the end of every segment.
    const raw = d.segment === '\n' && text.endsWith('\r') ? text.slice(0, -1) : text;
    const elements = raw.split(d.element);
    const tag = elements.shift() ?? '';
    out.push({ kind: 'segment', tag, elements, raw, unterminated, position: this.here() });
  }

  /** Reads an ISA at `pos`; false when more input is needed. */
  private readIsa(final: boolean, out: Token[]): boolean {
    const start = this.pos;
    const len = this.buf.length;
    const sep = this.buf[start + 3]!;
    const limit = Math.min(len, start + ISA_SCAN);
    let p = start + 3;
    let count = 1;
    while (count < 16) {
      const next = this.buf.indexOf(sep, p + 1);
      if (next === -1 || next >= limit) break;
      p = next;
      count++;
    }
    const terminatorAt = p + 2;
    if (count < 16 || terminatorAt >= len) {
      const couldGrow = len < start + ISA_SCAN || terminatorAt >= len;
      if (!final && couldGrow) return false;
      out.push({ kind: 'problem', code: final && couldGrow ? 'isa.truncated' : 'isa.malformed', position: this.here(),
        detail: count < 16 ? `the ISA has ${count - 1} elements before ${final && couldGrow ? 'the input ends' : 'the scan limit'}, needs 16`
          : 'the input ends before the ISA segment terminator' });
      this.delimiters = undefined;
      this.garbageReported = true;
      this.advance(3);
      return true;
    }
    // Peek at what follows the terminator to learn the line ending; wait for it unless at the end.
    if (!final && terminatorAt + 2 >= len) return false;
    const values = this.buf.slice(start + 4, p).split(sep);
    const component = this.buf[p + 1]!;
    values.push(component);
    const segment = this.buf[terminatorAt]!;
    const after1 = this.buf[terminatorAt + 1];
    const after2 = this.buf[terminatorAt + 2];
    let lineEnding: Delimiters['lineEnding'] = '';
    if (segment === '\r') lineEnding = after1 === '\n' ? '\n' : '';
    else if (segment !== '\n') lineEnding = after1 === '\r' && after2 === '\n' ? '\r\n' : after1 === '\n' ? '\n' : '';
    const isa11 = values[10] ?? '';
    const repetition = isa11.length === 1 && !isAlphanumeric(isa11.charCodeAt(0)) ? isa11 : undefined;
    const delimiters: Delimiters = { element: sep, component, segment, lineEnding, ...(repetition === undefined ? {} : { repetition }) };
    const problems = delimiterProblems(delimiters);
    const fatal = problems.some((x) => x.which === 'element' || x.which === 'segment');
    const length = terminatorAt - start + 1;
    out.push({ kind: 'isa', values, delimiters, length, delimiterProblems: problems, fatal, position: this.here() });
    this.delimiters = fatal ? undefined : delimiters;
    this.garbageReported = fatal;
    this.advance(length);
    this.scanFrom = this.pos;
    return true;
  }

  /** Skips to the next `ISA` when no separators are known; false when more input is needed. */
  private skipGarbage(final: boolean, out: Token[]): boolean {
    if (!this.garbageReported) {
      // Wait for a full excerpt so the message does not depend on how the input was chunked.
      if (!final && this.buf.length - this.pos < 20) return false;
      out.push({ kind: 'problem', code: 'envelope.unexpected-data', position: this.here(),
        detail: `expected an ISA, found ${JSON.stringify(this.buf.slice(this.pos, this.pos + 20))}` });
      this.garbageReported = true;
    }
    const len = this.buf.length;
    let from = this.pos + 1;
    for (;;) {
      const at = this.buf.indexOf('ISA', from);
      if (at === -1) break;
      if (at + 3 >= len) {
        if (final) break;
        this.advance(at - this.pos);
        return false;
      }
      if (!isAlphanumeric(this.buf.charCodeAt(at + 3))) {
        this.advance(at - this.pos);
        return true;
      }
      from = at + 1;
    }
    // Keep a possible "IS" at the end: it may be the start of the next ISA.
    const keep = final ? 0 : Math.min(2, len - this.pos);
    this.advance(len - this.pos - keep);
    return false;
  }

  private advance(n: number): void {
    if (n <= 0) return;
    const from = this.pos;
    const to = from + n;
    this.bytes += this.ascii || this.oneBytePerChar ? n : Buffer.byteLength(this.buf.slice(from, to), 'utf8');
    if (this.nextNewline !== -1 && this.nextNewline < from) {
      this.nextNewline = this.buf.indexOf('\n', from);
    }
    while (this.nextNewline !== -1 && this.nextNewline < to) {
      this.line++;
      this.nextNewline = this.buf.indexOf('\n', this.nextNewline + 1);
    }
    this.pos = to;
  }
}

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
