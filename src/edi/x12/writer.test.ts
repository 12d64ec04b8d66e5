import { describe, expect, it } from 'vitest';
import { X12WriteError } from './errors.js';
import { parseX12 } from './parser.js';
import type { Delimiters, IsaHeader } from './types.js';
import { buildTransactionSet, writeX12 } from './writer.js';

const isa: IsaHeader = {
  authInfoQualifier: '00', authInfo: '', securityInfoQualifier: '00', securityInfo: '', senderQualifier: 'ZZ', senderId: 'CROSSDOCK',
  receiverQualifier: '12', receiverId: '5551234567', date: '240116', time: '0915', standardsId: 'U', version: '00401',
  controlNumber: '42', ackRequested: '1', usage: 'T', componentSeparator: '>',
};
const star: Delimiters = { element: '*', component: '>', segment: '~', lineEnding: '\n' };
const gs = { functionalId: 'SH', appSender: 'CROSSDOCK', appReceiver: '5551234567', date: '20240116', time: '0915', controlNumber: '7', agency: 'X', version: '004010' };

const asn = buildTransactionSet('856', '0001', [
  { tag: 'BSN', elements: ['00', 'SHIP-1', '20240116', '0915', undefined, undefined] },
  { tag: 'HL', elements: ['1', undefined, 'S'] },
  { tag: 'LIN', elements: [undefined, 'UP', '012345678905'] },
  { tag: 'MEA', elements: ['PD', 'WT', '12.5', ['LB', undefined, undefined]] },
], { delimiters: star });

describe('buildTransactionSet', () => {
  it('wraps segments in ST/SE, counts them, drops trailing empty elements and joins components', () => {
    expect(asn.segments).toEqual([
      { tag: 'ST', elements: ['856', '0001'] },
      { tag: 'BSN', elements: ['00', 'SHIP-1', '20240116', '0915'] },
      { tag: 'HL', elements: ['1', '', 'S'] },
      { tag: 'LIN', elements: ['', 'UP', '012345678905'] },
      { tag: 'MEA', elements: ['PD', 'WT', '12.5', 'LB'] },
      { tag: 'SE', elements: ['6', '0001'] },
    ]);
    const composite = buildTransactionSet('850', '0002', [{ tag: 'REF', elements: ['ZZ', '', '', ['A', 'B']] }], { delimiters: star });
    expect(composite.segments[1]!.elements).toEqual(['ZZ', '', '', 'A>B']);
  });

  it('refuses components without delimiters, a component holding the separator, and a bad tag', () => {
    expect(() => buildTransactionSet('850', '1', [{ tag: 'REF', elements: [['A', 'B']] }])).toThrow(/pass options.delimiters/);
    expect(() => buildTransactionSet('850', '1', [{ tag: 'REF', elements: [['A>', 'B']] }], { delimiters: star })).toThrow(X12WriteError);
    expect(() => buildTransactionSet('850', '1', [{ tag: 'ref', elements: [] }])).toThrow(/not a segment identifier/);
  });
});

describe('writeX12', () => {
  it('writes the fixed-width ISA, computed trailers and a line ending after each segment', () => {
    const text = writeX12({ isa, groups: [{ ...gs, sets: [asn] }] }, star);
    expect(text).toBe([
      'ISA*00*          *00*          *ZZ*CROSSDOCK      *12*5551234567     *240116*0915*U*00401*000000042*1*T*>~',
      'GS*SH*CROSSDOCK*5551234567*20240116*0915*7*X*004010~',
      'ST*856*0001~', 'BSN*00*SHIP-1*20240116*0915~', 'HL*1**S~', 'LIN**UP*012345678905~', 'MEA*PD*WT*12.5*LB~', 'SE*6*0001~',
      'GE*1*7~', 'IEA*1*000000042~', '',
    ].join('\n'));
    expect(text.indexOf('\n')).toBe(106);
    const [back] = parseX12(text);
    expect(back!.groups[0]!.sets[0]!.segments.map((s) => s.elements)).toEqual(asn.segments.map((s) => s.elements));
  });

  it('puts the repetition separator in ISA11 for 00501', () => {
    const text = writeX12({ isa: { ...isa, version: '00501' }, groups: [] }, { ...star, repetition: '^', lineEnding: '' });
    expect(text.slice(0, 106).split('*')[11]).toBe('^');
    expect(parseX12(text)[0]!.isa.repetitionSeparator).toBe('^');
  });

  it('refuses a value holding a separator instead of corrupting the output', () => {
    const bad = buildTransactionSet('850', '0001', [{ tag: 'N1', elements: ['ST', 'SMITH*JONES'] }]);
    expect(() => writeX12({ isa, groups: [{ ...gs, sets: [bad] }] }, star)).toThrow(/N102 "SMITH\*JONES" holds "\*"/);
    const tilde = buildTransactionSet('850', '0001', [{ tag: 'N1', elements: ['ST', 'A~B'] }]);
    expect(() => writeX12({ isa, groups: [{ ...gs, sets: [tilde] }] }, star)).toThrow(X12WriteError);
    const newline = buildTransactionSet('850', '0001', [{ tag: 'N3', elements: ['1 MAIN\nST'] }]);
    expect(() => writeX12({ isa, groups: [{ ...gs, sets: [newline] }] }, star)).toThrow(X12WriteError);
  });

  it('refuses ISA fields that do not fit and separators that clash', () => {
    expect(() => writeX12({ isa: { ...isa, senderId: 'A'.repeat(16) }, groups: [] }, star)).toThrow(/ISA06/);
    expect(() => writeX12({ isa: { ...isa, senderId: 'A*B' }, groups: [] }, star)).toThrow(/ISA06/);
    expect(() => writeX12({ isa, groups: [] }, { ...star, component: '*' })).toThrow(/component separator/);
    expect(() => writeX12({ isa, groups: [] })).toThrow(/no delimiters/);
  });
});
