import { describe, expect, it } from 'vitest';
import { decimalToN2, n2ToDecimal, rToDecimal, tidyMoney } from './values.js';
import { pricePerUnit } from './po1.js';

describe('X12 numeric values', () => {
  it('reads R elements as decimal strings without floats', () => {
    expect(['12.5', '.5', '12.', '-3', '007.100', '0.1234567'].map(rToDecimal)).toEqual(['12.5', '0.5', '12', '-3', '7.1', undefined]);
  });

  it('converts N2 (implied two decimals) both ways', () => {
    expect(['1999', '5', '-500', '0'].map(n2ToDecimal)).toEqual(['19.99', '0.05', '-5.00', '0.00']);
    expect(['19.99', '100', '0.005', '-5'].map(decimalToN2)).toEqual(['1999', '10000', '1', '-500']);
  });

  it('divides a pack price into unit prices exactly, also for fractional factors', () => {
    expect(pricePerUnit('24.00', 12)).toBe('2.00');
    expect(pricePerUnit('10.00', 2.5)).toBe('4.00');
    expect(pricePerUnit('10.00', 3)).toBe('3.333333');
    expect(tidyMoney('2.000000')).toBe('2.00');
  });
});
