import { describe, expect, it } from 'vitest';
import { compareDecimals, isDecimal, multiplyDecimal, sumDecimals } from './money.js';

describe('decimal money', () => {
  it('accepts decimal strings and refuses floats written oddly', () => {
    expect(isDecimal('10.00')).toBe(true);
    expect(isDecimal('0.5')).toBe(true);
    expect(isDecimal('-3')).toBe(true);
    expect(isDecimal('1e3')).toBe(false);
    expect(isDecimal('01.00')).toBe(false);
    expect(isDecimal('1.')).toBe(false);
  });

  it('adds without floating-point drift', () => {
    expect(sumDecimals(['0.10', '0.20'])).toBe('0.30');
    expect(sumDecimals(['10.005', '0'], 2)).toBe('10.01');
    expect(sumDecimals(['-1.50', '1.25'])).toBe('-0.25');
  });

  it('multiplies a unit price by a quantity', () => {
    expect(multiplyDecimal('10.00', 2)).toBe('20.00');
    expect(multiplyDecimal('0.333', 3)).toBe('1.00');
    expect(multiplyDecimal('19.99', 1.5)).toBe('29.99');
  });

  it('compares decimals', () => {
    expect(compareDecimals('10.0', '10.00')).toBe(0);
    expect(compareDecimals('9.99', '10')).toBe(-1);
    expect(compareDecimals('100', '99.999')).toBe(1);
  });
});
