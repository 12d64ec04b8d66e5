import { describe, expect, it } from 'vitest';
import { decodeTryton, trytonDate, trytonDatetime, trytonDecimal } from './codec.js';

describe('Tryton codec', () => {
  it('encodes a decimal string as Tryton\'s Decimal, unchanged', () => {
    expect(trytonDecimal('12.50')).toEqual({ __class__: 'Decimal', decimal: '12.50' });
  });

  it('decodes Decimal, date and datetime tags anywhere in an answer', () => {
    const answer = [{
      id: 7,
      total_amount: { __class__: 'Decimal', decimal: '32.50' },
      invoice_date: { __class__: 'date', year: 2026, month: 1, day: 5 },
      write_date: { __class__: 'datetime', year: 2026, month: 11, day: 26, hour: 6, minute: 3, second: 9, microsecond: 42 },
      'taxes.': [{ id: 1, amount: { __class__: 'Decimal', decimal: '2.00' } }],
      create_date: null,
    }];
    expect(decodeTryton(answer)).toEqual([{
      id: 7,
      total_amount: '32.50',
      invoice_date: '2026-01-05',
      write_date: '2026-11-26T06:03:09.000042Z',
      'taxes.': [{ id: 1, amount: '2.00' }],
      create_date: null,
    }]);
  });

  it('leaves tags it does not model (bytes, timedelta) as they are', () => {
    const bytes = { __class__: 'bytes', base64: 'AAE=' };
    expect(decodeTryton(bytes)).toEqual(bytes);
  });

  it('turns an ISO timestamp into a UTC Tryton datetime, keeping microseconds', () => {
    expect(trytonDatetime('2026-11-26T06:43:11.223922Z')).toEqual({
      __class__: 'datetime', year: 2026, month: 11, day: 26, hour: 6, minute: 43, second: 11, microsecond: 223922,
    });
    expect(trytonDatetime('2026-11-26T08:43:11.5+02:00')).toMatchObject({ hour: 6, minute: 43, second: 11, microsecond: 500000 });
  });

  it('shifts a datetime across midnight and month ends for the overlap window', () => {
    expect(trytonDatetime('2026-03-01T00:00:30.000001Z', -60)).toEqual({
      __class__: 'datetime', year: 2026, month: 2, day: 28, hour: 23, minute: 59, second: 30, microsecond: 1,
    });
  });

  it('shifts by fractions of a second, carrying into the seconds', () => {
    expect(trytonDatetime('2026-11-26T06:43:11.999999Z', 0.000001)).toMatchObject({ second: 12, microsecond: 0 });
    expect(trytonDatetime('2026-11-26T06:43:11.000000Z', -0.5)).toMatchObject({ second: 10, microsecond: 500000 });
  });

  it('round-trips a decoded datetime back to the same Tryton datetime', () => {
    const tagged = { __class__: 'datetime', year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999999 };
    expect(trytonDatetime(decodeTryton(tagged) as string)).toEqual(tagged);
  });

  it('takes the date of an ISO timestamp as written', () => {
    expect(trytonDate('2026-11-25T22:00:00Z')).toEqual({ __class__: 'date', year: 2026, month: 11, day: 25 });
    expect(() => trytonDate('25/11/2026')).toThrow(TypeError);
  });

  it('refuses what is not an ISO 8601 timestamp', () => {
    expect(() => trytonDatetime('2026-11-26 06:43:11')).toThrow(TypeError);
  });
});
