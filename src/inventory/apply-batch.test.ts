import { describe, expect, it } from 'vitest';
import { applyBatch } from './apply-batch.js';
import { LevelTable } from './level-table.js';
import type { InventoryBatch, LevelChange } from './model.js';
import { stockUnits } from './units.js';

const units = { units: { 'SKU-5': { CA: 12 } } };
const convert = (sku: string, uom: string | undefined, q: number) => stockUnits(units, sku, uom, q);

function batch(mode: InventoryBatch['mode'], at: string, changes: LevelChange[], locations?: string[]): InventoryBatch {
  return { source: 'wms', sourceTimestamp: at, mode, changes, ...(locations ? { locations } : {}) };
}

function level(table: LevelTable, sku: string, location: string) {
  const i = table.find(sku, location);
  return i === undefined ? undefined : table.figures(i);
}

describe('applying a stock batch', () => {
  it('adds deltas to the figures and sets the figures a set names, leaving the others', () => {
    const table = new LevelTable(2);
    applyBatch(table, batch('set', '2026-11-26T10:00:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 10, allocated: 2 }]), convert);
    const delta = applyBatch(table, batch('delta', '2026-11-26T10:01:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: -3 }, { sku: 'SKU-2', location: 'WH1', onHand: 4 }]), convert);
    expect(level(table, 'SKU-1', 'WH1')).toMatchObject({ onHand: 7, allocated: 2 });
    expect(level(table, 'SKU-2', 'WH1')).toMatchObject({ onHand: 4, allocated: 0 });
    expect(delta.changed.map((c) => [c.sku, c.before.onHand, c.after.onHand])).toEqual([['SKU-1', 10, 7], ['SKU-2', 0, 4]]);
    applyBatch(table, batch('set', '2026-11-26T10:02:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 20 }]), convert);
    expect(level(table, 'SKU-1', 'WH1')).toMatchObject({ onHand: 20, allocated: 2 });
  });

  it('ignores a figure older than the one it has, and a delta from before the last count', () => {
    const table = new LevelTable();
    applyBatch(table, batch('set', '2026-11-26T10:05:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 50 }]), convert);
    const late = applyBatch(table, batch('set', '2026-11-26T10:00:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 8 }]), convert);
    const oldDelta = applyBatch(table, batch('delta', '2026-11-26T10:04:59Z', [{ sku: 'SKU-1', location: 'WH1', onHand: -5 }]), convert);
    expect(late.stale).toEqual([{ sku: 'SKU-1', location: 'WH1' }]);
    expect(oldDelta.stale).toHaveLength(1);
    expect(late.changed).toEqual([]);
    expect(level(table, 'SKU-1', 'WH1')!.onHand).toBe(50);
    // A delta after the count applies.
    applyBatch(table, batch('delta', '2026-11-26T10:06:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: -5 }]), convert);
    expect(level(table, 'SKU-1', 'WH1')!.onHand).toBe(45);
  });

  it('zeroes what a snapshot does not list in its locations only, and only the figures it reports', () => {
    const table = new LevelTable();
    applyBatch(table, batch('set', '2026-11-26T09:00:00Z', [
      { sku: 'SKU-1', location: 'WH1', onHand: 5, allocated: 1 },
      { sku: 'SKU-2', location: 'WH1', onHand: 7, allocated: 2 },
      { sku: 'SKU-2', location: 'WH2', onHand: 9 },
    ]), convert);
    const snap = applyBatch(table, batch('snapshot', '2026-11-26T10:00:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 6 }], ['WH1']), convert);
    expect(level(table, 'SKU-1', 'WH1')).toMatchObject({ onHand: 6, allocated: 1 });
    expect(level(table, 'SKU-2', 'WH1')).toMatchObject({ onHand: 0, allocated: 2 });
    expect(level(table, 'SKU-2', 'WH2')!.onHand).toBe(9);
    expect(snap.changed.map((c) => `${c.sku}@${c.location}`).sort()).toEqual(['SKU-1@WH1', 'SKU-2@WH1']);
    // The same snapshot again changes nothing.
    expect(applyBatch(table, batch('snapshot', '2026-11-26T10:00:00Z', [{ sku: 'SKU-1', location: 'WH1', onHand: 6 }], ['WH1']), convert).changed).toEqual([]);
  });

  it('counts figures given in another unit in stock units, and keeps the expected date of stock in transit', () => {
    const table = new LevelTable();
    const r = applyBatch(table, batch('set', '2026-11-26T10:00:00Z', [{ sku: 'SKU-5', location: 'WH1', onHand: 3, inTransit: 2, uom: 'CA', expectedAt: '2026-12-01' }]), convert);
    expect(level(table, 'SKU-5', 'WH1')).toMatchObject({ onHand: 36, inTransit: 24, expectedAt: Date.parse('2026-12-01') });
    expect(r.changed[0]!.after.expectedAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('grows past its initial capacity without losing a figure', () => {
    const table = new LevelTable(4);
    const changes = Array.from({ length: 100 }, (_, n) => ({ sku: `SKU-${n}`, location: n % 2 ? 'WH1' : 'WH2', onHand: n }));
    applyBatch(table, batch('set', '2026-11-26T10:00:00Z', changes), convert);
    expect(table.size).toBe(100);
    for (let n = 0; n < 100; n += 1) expect(level(table, `SKU-${n}`, n % 2 ? 'WH1' : 'WH2')!.onHand).toBe(n);
    expect(table.asOf[99]).toBe(Date.parse('2026-11-26T10:00:00Z'));
  });
});
