import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { X12_ERRORS } from './errors.js';
import type { X12Event } from './events.js';
import { parseX12Stream, parseX12WithErrors } from './parser.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');
const good = fixture('850-star-colon-tilde.edi');
const codes = (text: string): string[] => parseX12WithErrors(text).errors.map((e) => e.code);

async function events(text: string): Promise<X12Event[]> {
  const out: X12Event[] = [];
  async function* one(): AsyncGenerator<string> { yield text; }
  for await (const event of parseX12Stream(one())) out.push(event);
  return out;
}

describe('envelope validation', () => {
  it('rejects only the set whose SE01 is wrong and keeps the other set of the group acceptable', async () => {
    const all = await events(fixture('bad-se-count.edi'));
    const sets = all.flatMap((e) => (e.type === 'transactionSet' ? [e] : []));
    expect(sets.map((s) => [s.set.controlNumber, s.errors.map((e) => e.code)])).toEqual([['0001', ['se.count-mismatch']], ['0002', []]]);
    const error = sets[0]!.errors[0]!;
    expect(error).toMatchObject({
      level: 'set', ak5: '4', interchangeControlNumber: '000000909', groupControlNumber: '1', functionalId: 'PO',
      setControlNumber: '0001', setId: '850', ak3: { segmentId: 'SE', position: 14, code: '8' }, ak4: { position: 1, code: '7', badValue: '12' },
      position: { index: 16, setIndex: 14, line: 16 },
    });
    expect(error.message).toBe('interchange 000000909, group 1, set 0001 (850): SE01 says 12 segments, the set has 14 (segment 16, SE01)');
    const groupEnd = all.find((e) => e.type === 'groupEnd');
    expect(groupEnd?.type === 'groupEnd' && groupEnd.errors).toEqual([]);
  });

  it('rejects the interchange when IEA02 and IEA01 disagree with the ISA and the groups, with TA1 codes', () => {
    const { errors } = parseX12WithErrors(fixture('bad-iea.edi'));
    expect(errors.map((e) => [e.code, e.level, e.ta1])).toEqual([
      ['iea.count-mismatch', 'interchange', '021'],
      ['iea.control-number-mismatch', 'interchange', '001'],
    ]);
    expect(errors[1]!.message).toBe('interchange 000000910: IEA02 is 000000911, ISA13 is 000000910 (segment 18, IEA02)');
  });

  it('reports GE count and control number mismatches as group errors with AK9 codes', () => {
    const text = good.replace('GE*1*1~', 'GE*2*3~');
    expect(parseX12WithErrors(text).errors.map((e) => [e.code, e.level, e.ak9])).toEqual([
      ['ge.count-mismatch', 'group', '5'], ['ge.control-number-mismatch', 'group', '4'],
    ]);
  });

  it('reports an SE02 that differs from ST02 (AK5 3)', () => {
    const errors = parseX12WithErrors(good.replace('SE*14*0001~', 'SE*14*0002~')).errors;
    expect(errors.map((e) => [e.code, e.ak5, e.ak4?.badValue])).toEqual([['se.control-number-mismatch', '3', '0002']]);
  });

  it('checks the ISA fixed widths and names the field', () => {
    const text = good.replace('BUYERCO        ', 'BUYERCO       ');
    const errors = parseX12WithErrors(text).errors;
    expect(errors.map((e) => [e.code, e.ta1])).toEqual([['isa.length', '022'], ['isa.field-width', '006']]);
    expect(errors[1]!.message).toBe('interchange 000000905: ISA06 is 14 characters, must be 15 (segment 1, ISA06)');
  });

  it('checks ISA values: date, usage indicator, acknowledgment flag', () => {
    const text = good.replace('*240115*', '*241315*').replace('*0*P*:~', '*2*X*:~');
    expect(parseX12WithErrors(text).errors.map((e) => [e.code, e.ta1])).toEqual([
      ['isa.invalid-value', '014'], ['isa.invalid-value', '019'], ['isa.invalid-value', '020'],
    ]);
  });

  it('refuses an ISA whose component separator is also its element separator', () => {
    const text = good.replace('*P*:~', '*P**~');
    expect(parseX12WithErrors(text).errors.map((e) => [e.code, e.ta1])).toContainEqual(['isa.delimiters', '027']);
  });

  it('closes every open envelope when the input ends early, and says which trailer is missing', async () => {
    const cut = good.slice(0, good.indexOf('PID*F'));
    const all = await events(cut);
    expect(all.map((e) => (e.type === 'error' ? e.error.code : e.type))).toEqual([
      'interchangeStart', 'groupStart', 'se.missing', 'transactionSet', 'ge.missing', 'groupEnd', 'iea.missing', 'interchangeEnd',
    ]);
    const se = all.find((e) => e.type === 'error' && e.error.code === 'se.missing');
    expect(se?.type === 'error' && [se.error.ak5, se.error.level]).toEqual(['2', 'set']);
  });

  it('reports a segment cut off by the end of the input', () => {
    expect(codes(good.slice(0, -1))).toEqual(['segment.unterminated']);
  });

  it('reports segments outside any envelope once per run, at the level that contains them', () => {
    const after = parseX12WithErrors(`${good}ZZZ*1~YYY*2~`).errors;
    expect(after.map((e) => [e.code, e.level])).toEqual([['envelope.unexpected-segment', 'interchange']]);
    expect(after[0]!.message).toBe('after interchange 000000905: unexpected ZZZ segment outside any interchange (segment 19)');
    const inGroup = parseX12WithErrors(good.replace('GE*1*1~', 'REF*XX*1~GE*1*1~')).errors;
    expect(inGroup.map((e) => [e.code, e.level, e.groupControlNumber])).toEqual([['envelope.unexpected-segment', 'group', '1']]);
    const inInterchange = parseX12WithErrors(good.replace('GS*PO', 'REF*XX*1~GS*PO')).errors;
    expect(inInterchange.map((e) => [e.code, e.level, e.ta1])).toEqual([['envelope.unexpected-segment', 'interchange', '024']]);
  });

  it('reads a TA1 that sits in the interchange outside any group (node-x12#46)', () => {
    const text = good.replace('GS*PO', 'TA1*000000123*240114*0900*A*000~GS*PO');
    const { interchanges, errors } = parseX12WithErrors(text);
    expect(errors).toEqual([]);
    expect(interchanges[0]!.ta1.map((s) => s.elements)).toEqual([['000000123', '240114', '0900', 'A', '000']]);
  });

  it('reports a line break inside a segment with AK3/AK4 notes', () => {
    const errors = parseX12WithErrors(good.replace('N3*100 MAIN ST~', 'N3*100 MAIN\nST~')).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'element.invalid-character', ak5: '5',
      ak3: { segmentId: 'N3', position: 7, code: '8' }, ak4: { position: 1, code: '6', badValue: '100 MAIN\nST' } });
  });

  it('reports an invalid segment identifier (AK304 1)', () => {
    const errors = parseX12WithErrors(good.replace('CUR*BY', 'cur*BY')).errors;
    expect(errors.map((e) => [e.code, e.ak3])).toEqual([['segment.invalid-tag', { segmentId: 'cur', position: 3, code: '1' }]]);
  });

  it('reports duplicate set and group control numbers', () => {
    const set = good.slice(good.indexOf('ST*850'), good.indexOf('GE*'));
    expect(codes(good.replace('GE*1*1~', `${set}GE*2*1~`))).toEqual(['st.duplicate-control-number']);
    const group = good.slice(good.indexOf('GS*'), good.indexOf('IEA'));
    expect(codes(good.replace('IEA*1*', `${group}IEA*2*`))).toEqual(['gs.duplicate-control-number']);
  });

  it('skips data before the first ISA, reports it once, then reads the interchange', () => {
    const { interchanges, errors } = parseX12WithErrors(`hello world, not EDI\n${good}`);
    expect(errors.map((e) => e.code)).toEqual(['envelope.unexpected-data']);
    expect(interchanges).toHaveLength(1);
  });

  it('reports empty input', () => {
    expect(codes('')).toEqual(['input.empty']);
    expect(codes('\r\n')).toEqual(['input.empty']);
  });

  it('reports an ISA that never reaches 16 elements', () => {
    expect(codes('ISA*00*short~GS*PO~')).toEqual(['isa.truncated']);
    expect(codes(`ISA*00${' '.repeat(600)}~`)).toEqual(['isa.malformed']);
  });

  it('documents every error code in README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(X12_ERRORS)) expect(readme).toContain(`| \`${code}\` |`);
  });

  it('keeps the error catalogue well-formed: dotted codes, one level and a title each', () => {
    for (const [code, entry] of Object.entries(X12_ERRORS)) {
      expect(code).toMatch(/^[a-z0-9]+\.[a-z0-9-]+$/);
      expect(['interchange', 'group', 'set']).toContain(entry.level);
      expect(entry.title.length).toBeGreaterThan(10);
    }
  });
});
