import { describe, expect, it } from 'vitest';
import { diffDocuments, flatten, parseRaw, valueKey } from '../../console/lib/diff.js';

// The console's raw-versus-canonical diff, as the browser runs it (plain JS, no DOM).

describe('flatten', () => {
  it('lists every leaf with its JSON Pointer, escaping ~ and /', () => {
    expect(flatten({ a: { 'b/c': 1, 'd~e': [true, null] }, f: [], g: {} })).toEqual([
      { path: '/a/b~1c', value: 1 },
      { path: '/a/d~0e/0', value: true },
      { path: '/a/d~0e/1', value: null },
      { path: '/f', value: [] },
      { path: '/g', value: {} },
    ]);
  });

  it('treats a bare scalar as one leaf at the root', () => {
    expect(flatten('x')).toEqual([{ path: '', value: 'x' }]);
  });
});

describe('valueKey', () => {
  it('makes money sent as a string or a number the same value', () => {
    expect(valueKey('10.00')).toBe(valueKey(10));
    expect(valueKey(' 7.5 ')).toBe(valueKey(7.5));
    expect(valueKey('SKU-1')).not.toBe(valueKey('SKU-2'));
  });

  it('does not link values too common to mean anything', () => {
    expect(valueKey(null)).toBeUndefined();
    expect(valueKey(true)).toBeUndefined();
    expect(valueKey('  ')).toBeUndefined();
    expect(valueKey(Number.NaN)).toBeUndefined();
  });
});

describe('diffDocuments', () => {
  const raw = {
    id: 'PO-9', customer: { number: 'C-100', vip: true },
    line_items: [{ sku: 'ABC', qty: 2, price: '10.00' }], note: 'leave at dock',
  };
  const canonical = {
    channelOrderId: 'PO-9', customer: { accountId: 'C-100', vip: false },
    lines: [{ sku: 'ERP-ABC', quantity: 2, unitPrice: 10 }], currency: 'USD',
  };
  const diff = diffDocuments(raw, canonical);
  const left = (path: string) => diff.left.find((r) => r.path === path);
  const right = (path: string) => diff.right.find((r) => r.path === path);

  it('links a value carried over to another path, on both sides', () => {
    expect(left('/id')).toMatchObject({ status: 'moved', links: ['/channelOrderId'] });
    expect(right('/channelOrderId')).toMatchObject({ status: 'moved', links: ['/id'] });
    expect(right('/lines/0/unitPrice')).toMatchObject({ status: 'moved', links: ['/line_items/0/price'] });
  });

  it('marks the same value at the same path as same', () => {
    const same = diffDocuments({ a: { b: 'x' } }, { a: { b: 'x' }, c: 'x' });
    expect(same.left[0]).toMatchObject({ path: '/a/b', status: 'same', links: ['/a/b', '/c'] });
    expect(same.right.find((r) => r.path === '/c')).toMatchObject({ status: 'moved', links: ['/a/b'] });
  });

  it('marks a path whose value changed, and does not link booleans by value', () => {
    expect(left('/customer/vip')).toMatchObject({ status: 'changed', links: [] });
    expect(right('/customer/vip')).toMatchObject({ status: 'changed', links: [] });
  });

  it('marks what crossdock added and what it did not carry over', () => {
    expect(right('/currency')?.status).toBe('added');
    expect(right('/lines/0/sku')?.status).toBe('added');
    expect(left('/note')?.status).toBe('dropped');
    expect(left('/line_items/0/sku')?.status).toBe('dropped');
  });

  it('counts each kind of difference', () => {
    expect(diff.summary).toEqual({ linked: 4, changed: 1, added: 2, dropped: 2 });
  });

  it('links quantities by value, wherever they are', () => {
    expect(left('/line_items/0/qty')?.links).toEqual(['/lines/0/quantity']);
  });
});

describe('parseRaw', () => {
  it('parses JSON bodies and leaves other formats alone', () => {
    expect(parseRaw('{"a":1}')).toEqual({ a: 1 });
    expect(parseRaw('ISA*00*~')).toBeUndefined();
    expect(parseRaw({ already: 'parsed' })).toEqual({ already: 'parsed' });
  });
});
