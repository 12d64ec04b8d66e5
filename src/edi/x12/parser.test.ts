import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { components, elementAt, repetitions } from './delimiters.js';
import { X12ParseError } from './errors.js';
import type { X12Event } from './events.js';
import { parseX12, parseX12Stream, parseX12WithErrors } from './parser.js';
import { writeX12 } from './writer.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');

async function collect(source: AsyncIterable<string | Uint8Array>): Promise<X12Event[]> {
  const events: X12Event[] = [];
  for await (const event of parseX12Stream(source)) events.push(event);
  return events;
}

async function* chunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('parseX12', () => {
  it('reads an 850 with * : ~ and no line breaks into the envelope model', () => {
    const [interchange, ...rest] = parseX12(fixture('850-star-colon-tilde.edi'));
    expect(rest).toEqual([]);
    expect(interchange!.delimiters).toEqual({ element: '*', component: ':', segment: '~', lineEnding: '' });
    expect(interchange!.isa).toEqual({
      authInfoQualifier: '00', authInfo: '', securityInfoQualifier: '00', securityInfo: '', senderQualifier: 'ZZ',
      senderId: 'BUYERCO', receiverQualifier: 'ZZ', receiverId: 'CROSSDOCK', date: '240115', time: '1030', standardsId: 'U',
      version: '00401', controlNumber: '000000905', ackRequested: '0', usage: 'P', componentSeparator: ':',
    });
    expect(interchange!.iea).toEqual({ groupCount: '1', controlNumber: '000000905' });
    const group = interchange!.groups[0]!;
    expect(group).toMatchObject({ functionalId: 'PO', appSender: 'BUYERCO', appReceiver: 'CROSSDOCK', date: '20240115', time: '1030',
      controlNumber: '1', agency: 'X', version: '004010', ge: { setCount: '1', controlNumber: '1' } });
    const set = group.sets[0]!;
    expect(set).toMatchObject({ id: '850', controlNumber: '0001' });
    expect(set.segments.map((s) => s.tag)).toEqual(['ST', 'BEG', 'CUR', 'REF', 'DTM', 'N1', 'N3', 'N4', 'PO1', 'PID', 'PO1', 'PID', 'CTT', 'SE']);
    const beg = set.segments[1]!;
    expect(elementAt(beg, 3)).toBe('PO-4521');
    expect(elementAt(beg, 4)).toBe('');
    expect(elementAt(beg, 9)).toBe('');
  });

  it('numbers segments in the interchange and in the set, with byte offsets', () => {
    const text = fixture('850-star-colon-tilde.edi');
    const set = parseX12(text)[0]!.groups[0]!.sets[0]!;
    const st = set.segments[0]!;
    const se = set.segments[13]!;
    expect(st.position).toEqual({ index: 3, setIndex: 1, byteOffset: text.indexOf('ST*850'), line: 1 });
    expect(se.position).toEqual({ index: 16, setIndex: 14, byteOffset: text.indexOf('SE*14'), line: 1 });
  });

  it('reads | > with a newline as segment terminator, counting lines', () => {
    const [interchange] = parseX12(fixture('850-pipe-gt-newline.edi'));
    expect(interchange!.delimiters).toEqual({ element: '|', component: '>', segment: '\n', lineEnding: '' });
    const set = interchange!.groups[0]!.sets[0]!;
    expect(set.controlNumber).toBe('1001');
    expect(set.segments[0]!.position.line).toBe(3);
    expect(set.segments.filter((s) => s.tag === 'PO1')).toHaveLength(3);
  });

  it('reads a 005010 interchange whose ISA11 is the repetition separator, with CRLF line endings', () => {
    const [interchange] = parseX12(fixture('850-5010-repetition-crlf.edi'));
    const d = interchange!.delimiters;
    expect(d).toEqual({ element: '*', component: ':', repetition: '^', segment: '~', lineEnding: '\r\n' });
    expect(interchange!.isa.repetitionSeparator).toBe('^');
    expect(interchange!.isa.standardsId).toBeUndefined();
    const set = interchange!.groups[0]!.sets[0]!;
    expect(set.implementationRef).toBe('005010');
    const ref = set.segments.find((s) => s.tag === 'REF' && s.elements[0] === 'ZZ')!;
    expect(repetitions(elementAt(ref, 4), d).map((r) => components(r, d))).toEqual([['ZZ', 'SPRING'], ['VN', 'WID-100']]);
    expect(repetitions('A^B', { repetition: undefined })).toEqual(['A^B']);
  });

  it('reads several groups and sets', () => {
    const [interchange] = parseX12(fixture('multi-group.edi'));
    expect(interchange!.groups.map((g) => [g.functionalId, g.controlNumber, g.sets.map((s) => `${s.id}/${s.controlNumber}`)])).toEqual([
      ['PO', '100', ['850/0001', '850/0002', '850/0003']],
      ['SH', '101', ['856/0004']],
    ]);
  });

  it('reads several interchanges with different separators from one input', () => {
    const text = fixture('850-star-colon-tilde.edi') + '\n' + fixture('850-pipe-gt-newline.edi');
    const interchanges = parseX12(text);
    expect(interchanges.map((i) => [i.isa.controlNumber, i.delimiters.element, i.delimiters.segment])).toEqual([
      ['000000905', '*', '~'], ['000000906', '|', '\n'],
    ]);
  });

  it('tolerates a byte order mark, blank lines before the ISA and a trailing newline', () => {
    const text = fixture('850-star-colon-tilde.edi');
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\r\n\n${text}\r\n`, 'latin1')]);
    const [interchange] = parseX12(input);
    expect(interchange!.groups[0]!.sets[0]!.segments[0]!.position.byteOffset).toBe(3 + 3 + text.indexOf('ST*850'));
  });

  it('counts byte offsets in UTF-8, not characters', () => {
    const text = fixture('850-star-colon-tilde.edi').replace('N3*100 MAIN ST~', 'N3*100 RUE DE L’ÉGLISE~');
    const set = parseX12(Buffer.from(text, 'utf8'))[0]!.groups[0]!.sets[0]!;
    const n4 = set.segments.find((s) => s.tag === 'N4')!;
    expect(elementAt(set.segments.find((s) => s.tag === 'N3')!, 1)).toBe('100 RUE DE L’ÉGLISE');
    expect(n4.position.byteOffset).toBe(Buffer.from(text, 'utf8').indexOf('N4*'));
  });

  it('throws one X12ParseError listing every problem, and parseX12WithErrors returns them', () => {
    const text = fixture('bad-se-count.edi');
    expect(() => parseX12(text)).toThrow(X12ParseError);
    const { interchanges, errors } = parseX12WithErrors(text);
    expect(interchanges[0]!.groups[0]!.sets).toHaveLength(2);
    expect(errors.map((e) => e.code)).toEqual(['se.count-mismatch']);
  });

  it.each(['850-star-colon-tilde.edi', '850-pipe-gt-newline.edi', '850-5010-repetition-crlf.edi', 'multi-group.edi'])(
    'writes %s back byte for byte', (name) => {
      const text = fixture(name);
      expect(writeX12(parseX12(text))).toBe(text);
    });
});

describe('parseX12Stream', () => {
  it('yields the same events whether the input comes whole or one byte at a time', async () => {
    const text = fixture('multi-group.edi') + fixture('850-pipe-gt-newline.edi');
    const whole = await collect(chunks(text, 1 << 20));
    const bytewise = await collect(chunks(text, 1));
    expect(bytewise).toEqual(whole);
    expect(whole.map((e) => e.type)).toEqual([
      'interchangeStart', 'groupStart', 'transactionSet', 'transactionSet', 'transactionSet', 'groupEnd',
      'groupStart', 'transactionSet', 'groupEnd', 'interchangeEnd',
      'interchangeStart', 'groupStart', 'transactionSet', 'groupEnd', 'interchangeEnd',
    ]);
  });

  it('reads a Node readable stream of strings', async () => {
    const events = await collect(Readable.from([fixture('850-star-colon-tilde.edi')]));
    const set = events.find((e) => e.type === 'transactionSet');
    expect(set?.type === 'transactionSet' && set.set.segments).toHaveLength(14);
  });

  it('yields each set as soon as its SE is read, before the rest of the input arrives', async () => {
    const text = fixture('multi-group.edi');
    const firstSe = text.indexOf('SE*');
    let delivered = 0;
    async function* tracked(): AsyncGenerator<string> {
      for (let i = 0; i < text.length; i += 16) {
        delivered = i + 16;
        yield text.slice(i, i + 16);
      }
    }
    for await (const event of parseX12Stream(tracked())) {
      if (event.type === 'transactionSet') {
        expect(delivered).toBeLessThan(firstSe + 64);
        break;
      }
    }
  });
});
