import { describe, expect, it } from 'vitest';
import { readInstant, readQuantity } from './cells.js';

describe('readQuantity', () => {
  it('reads the quantities exports write and refuses the rest', () => {
    expect(['12', '+48', '-3', '12.5', '1,250', '-0'].map((c) => readQuantity(c, true))).toEqual(
      [12, 48, -3, 12.5, 1250, 0].map((value) => ({ ok: true, value })),
    );
    for (const cell of ['twelve', '1,25', '1.2.3', '1e3', '', '12 EA', '0x10']) expect(readQuantity(cell, true).ok).toBe(false);
    expect(readQuantity('-3', false)).toEqual({ ok: false, why: '-3 is negative; only a delta feed sends negative quantities' });
  });
});

describe('readInstant', () => {
  it('reads dates and timestamps with and without zones, as UTC instants', () => {
    expect(readInstant('2026-11-26')).toEqual({ ok: true, value: { iso: '2026-11-26T00:00:00.000Z', zoned: true, dateOnly: true } });
    expect(readInstant('2026-11-26 06:00')).toEqual({ ok: true, value: { iso: '2026-11-26T06:00:00.000Z', zoned: false, dateOnly: false } });
    expect(readInstant('2026-11-26T06:00:00.25-0500')).toMatchObject({ ok: true, value: { iso: '2026-11-26T11:00:00.250Z', zoned: true } });
    expect(readInstant('2026-11-26T06:00:00+09')).toMatchObject({ ok: true, value: { iso: '2026-11-25T21:00:00.000Z' } });
  });

  it('refuses dates that do not exist and formats that are ambiguous', () => {
    expect(readInstant('2026-02-29')).toEqual({ ok: false, why: '"2026-02-29" is not a real date and time' });
    expect(readInstant('2026-11-26T24:00:00Z').ok).toBe(false);
    expect(readInstant('11/26/2026').ok).toBe(false);
  });
});
