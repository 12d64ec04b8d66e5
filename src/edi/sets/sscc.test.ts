import { describe, expect, it } from 'vitest';
import { buildSscc, gs1CheckDigit, isValidSscc } from './sscc.js';

// Known values: SSCCs from https://barcoderesource.com/sscc_gtin_mod10.shtml ("(00)123456789012345675",
// "(00)000000000123456784"); UPC-A 036000241457 from the GS1 mod-10 worked example (same algorithm).
describe('SSCC-18 and the GS1 mod-10 check digit', () => {
  it('computes check digits of published examples', () => {
    expect(gs1CheckDigit('12345678901234567')).toBe(5);
    expect(gs1CheckDigit('00000000012345678')).toBe(4);
    expect(gs1CheckDigit('03600024145')).toBe(7);
  });

  it('accepts valid SSCCs and refuses a wrong check digit, wrong length or letters', () => {
    expect(isValidSscc('123456789012345675')).toBe(true);
    expect(isValidSscc('000000000123456784')).toBe(true);
    expect(isValidSscc('123456789012345676')).toBe(false);
    expect(isValidSscc('12345678901234567')).toBe(false);
    expect(isValidSscc('12345678901234567A')).toBe(false);
  });

  it('builds an SSCC from extension digit, company prefix and serial, padding the serial', () => {
    expect(buildSscc({ extension: 1, companyPrefix: '2345678', serial: 901234567 })).toBe('123456789012345675');
    expect(buildSscc({ extension: 0, companyPrefix: '0000000', serial: '12345678' })).toBe('000000000123456784');
    expect(isValidSscc(buildSscc({ extension: 3, companyPrefix: '0614141', serial: 42n }))).toBe(true);
  });

  it('refuses parts that cannot form an SSCC', () => {
    expect(() => buildSscc({ extension: 10, companyPrefix: '0614141', serial: 1 })).toThrow(RangeError);
    expect(() => buildSscc({ extension: 0, companyPrefix: '061414', serial: 1 })).toThrow(RangeError);
    expect(() => buildSscc({ extension: 0, companyPrefix: '0614141', serial: 1234567890 })).toThrow(RangeError);
  });
});
