import { describe, expect, it } from 'vitest';
import { assertPlainFileName, collisionFreeNames, isListableName, oldestFirst, tempNameFor } from './naming.js';

const temp = { prefix: '', suffix: '.part' };

describe('EDI file naming', () => {
  it('recognises temp names by prefix or suffix, and hidden names', () => {
    expect(tempNameFor('po.x12', temp)).toBe('po.x12.part');
    expect(isListableName('po.x12', temp)).toBe(true);
    expect(isListableName('po.x12.part', temp)).toBe(false);
    expect(isListableName('.po.x12', temp)).toBe(false);
    expect(isListableName('tmp_po.x12', { prefix: 'tmp_', suffix: '' })).toBe(false);
  });

  it('adds a timestamp before the extension, then a sequence, on a collision', () => {
    const names = collisionFreeNames('PO_1.x12', new Date('2024-05-01T10:15:00.123Z'));
    expect([names.next().value, names.next().value, names.next().value, names.next().value])
      .toEqual(['PO_1.x12', 'PO_1.20240501T101500123Z.x12', 'PO_1.20240501T101500123Z-2.x12', 'PO_1.20240501T101500123Z-3.x12']);
    expect([...take(collisionFreeNames('README', new Date(0)), 2)]).toEqual(['README', 'README.19700101T000000000Z']);
  });

  it('orders oldest first, then by name', () => {
    const at = (name: string, ms: number) => ({ name, size: 0, modifiedAt: new Date(ms), path: name });
    expect([at('b', 1), at('c', 0), at('a', 1)].sort(oldestFirst).map((f) => f.name)).toEqual(['c', 'a', 'b']);
  });

  it('accepts plain names only for the outbound folder', () => {
    expect(() => assertPlainFileName('810_42.x12', temp)).not.toThrow();
    for (const bad of ['', 'a/b', 'a\\b', '..', 'x.part', '.x']) expect(() => assertPlainFileName(bad, temp)).toThrow(/plain file name/);
  });
});

function* take<T>(items: Iterator<T>, count: number): Generator<T> {
  for (let i = 0; i < count; i++) {
    const next = items.next();
    if (next.done) return;
    yield next.value;
  }
}
