import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('ids', () => {
  it('are prefixed, 26 base32 digits long and unique', () => {
    const ids = Array.from({ length: 5000 }, () => newId('ord'));
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort in creation order, also within one millisecond and across a clock step back', () => {
    const ids = [newId('x', 1_000), newId('x', 1_000), newId('x', 1_000), newId('x', 999), newId('x', 2_000)];
    expect([...ids].sort()).toEqual(ids);
  });
});
