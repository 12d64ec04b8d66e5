import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors/catalogue.js';
import { classOf, codesOfClass, groupByClass, CLASS_DEFINITIONS, DEAD_LETTER_CLASSES } from './dead-letter-classes.js';

describe('dead-letter classes', () => {
  it('names the class a person acts on for each error code', () => {
    expect(classOf('sku.unknown')).toBe('unknown-sku');
    expect(classOf('customer.credit-hold')).toBe('credit-hold');
    expect(classOf('target.circuit-open')).toBe('erp-unavailable');
    expect(classOf('target.timeout')).toBe('timeout');
    expect(classOf('channel.unmappable')).toBe('invalid-document');
    expect(classOf('internal.defect')).toBe('other');
    expect(classOf('no.such-code')).toBe('other');
  });

  it('puts every code in at most one class, and only codes from the catalogue', () => {
    const all = DEAD_LETTER_CLASSES.flatMap((c) => CLASS_DEFINITIONS[c].codes);
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(Object.hasOwn(ERRORS, code)).toBe(true);
  });

  it('groups per-code counts into classes, largest first, with the span of their ages', () => {
    const groups = groupByClass([
      { code: 'customer.credit-hold', count: 1, oldestAt: 50, newestAt: 50 },
      { code: 'target.unavailable', count: 2, oldestAt: 30, newestAt: 40 },
      { code: 'target.unreachable', count: 3, oldestAt: 10, newestAt: 90 },
      { code: 'sku.unknown', count: 4, oldestAt: 20, newestAt: 60 },
      { code: 'internal.defect', count: 1, oldestAt: 5, newestAt: 5 },
    ]);
    expect(groups.map((g) => [g.class, g.count])).toEqual([['erp-unavailable', 5], ['unknown-sku', 4], ['credit-hold', 1], ['other', 1]]);
    expect(groups[0]).toMatchObject({ codes: ['target.unavailable', 'target.unreachable'], oldestAt: 10, newestAt: 90 });
    expect(groups[1]).toMatchObject({ title: 'Unknown SKU', action: ERRORS['sku.unknown'].action });
  });

  it('selects a class by its codes, and `other` by the present codes no class names', () => {
    expect(codesOfClass('unknown-sku', [])).toEqual(['sku.unknown']);
    expect(codesOfClass('other', ['sku.unknown', 'internal.defect', 'x.y'])).toEqual(['internal.defect', 'x.y']);
  });
});
