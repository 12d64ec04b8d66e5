import { describe, expect, it } from 'vitest';
import { resolveItem, resolveUnit } from './cross-reference.js';
import { acmeProfile } from './fixtures/profile.js';
import { partnerProfileProblems } from './partner-profile.js';

describe('partner mapping profile', () => {
  it('accepts the fixture profile and the documented cross-reference shapes', () => {
    expect(partnerProfileProblems(acmeProfile)).toEqual([]);
    expect(partnerProfileProblems({ partnerId: 'p', items: { 'UP:012345678905': 'SKU-1', 'VN:ABC-1': { sku: 'SKU-2', uom: 'EA', factor: 12 } } })).toEqual([]);
  });

  it('names what is wrong: a key without qualifier, a zero factor, an unknown currency', () => {
    const problems = partnerProfileProblems({ partnerId: 'p', items: { 'ABC-1': 'SKU' }, units: [{ from: 'CA', to: 'EA', factor: 0 }], defaults: { currency: 'XXX' } });
    expect(problems.map((p) => p.pointer)).toEqual(expect.arrayContaining(['/units/0/factor', '/defaults/currency']));
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('resolves the first qualifier that matches, in the order the partner sent them', () => {
    expect(resolveItem(acmeProfile, [{ qualifier: 'BP', id: 'X' }, { qualifier: 'UP', id: '012345678905' }])).toEqual({ sku: 'SKU-1', key: 'UP:012345678905', mapped: true });
    expect(resolveItem(acmeProfile, [{ qualifier: 'VP', id: 'ABC' }])).toEqual({ sku: 'VP:ABC', key: 'VP:ABC', mapped: false });
  });

  it('converts units: SKU conversion, then the cross-reference factor, then global, else unchanged', () => {
    expect(resolveUnit(acmeProfile, 'SKU-24', 'CA')).toEqual({ uom: 'EA', factor: 24 });
    expect(resolveUnit(acmeProfile, 'SKU-1', 'CA')).toEqual({ uom: 'EA', factor: 12 });
    expect(resolveUnit(acmeProfile, 'SKU-6', 'PK', { sku: 'SKU-6', key: 'VN:PACK6', mapped: true, uom: 'EA', factor: 6 })).toEqual({ uom: 'EA', factor: 6 });
    expect(resolveUnit(acmeProfile, 'SKU-1', 'BX')).toEqual({ uom: 'BX', factor: 1 });
  });
});
