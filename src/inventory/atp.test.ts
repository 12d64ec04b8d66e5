import { describe, expect, it } from 'vitest';
import { AvailabilityRules } from './atp.js';
import { resolveInventory, type InventoryConfigFile } from './config-schema.js';
import { LevelTable } from './level-table.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const DAY = 86_400_000;

function setup(config: InventoryConfigFile, levels: { sku: string; location: string; onHand: number; allocated?: number; reserved?: number; inTransit?: number; expectedAt?: number }[]) {
  const problems: string[] = [];
  const settings = resolveInventory(config, {}, problems);
  expect(problems).toEqual([]);
  const table = new LevelTable();
  for (const l of levels) {
    const i = table.row(l.sku, l.location);
    table.set(i, { onHand: l.onHand, allocated: l.allocated ?? 0, inTransit: l.inTransit ?? 0, expectedAt: l.expectedAt ?? Number.NaN });
    table.reserved[i] = l.reserved ?? 0;
  }
  const rules = new AvailabilityRules(settings);
  return (sku: string, channel: string) => rules.availability(table, sku, channel, NOW);
}

describe('available to promise', () => {
  it('is on hand less allocated, reserved and safety stock, per location, never below zero', () => {
    const atp = setup({ safetyStock: [{ quantity: 2 }] }, [
      { sku: 'SKU-1', location: 'WH1', onHand: 20, allocated: 5, reserved: 3 },
      { sku: 'SKU-1', location: 'WH2', onHand: 1, allocated: 4 },
    ]);
    const a = atp('SKU-1', 'shop');
    expect(a.available).toBe(10);
    expect(a.locations.map((l) => l.free)).toEqual([10, 0]);
    expect(a.tracked).toBe(true);
    expect(atp('SKU-404', 'shop')).toMatchObject({ available: 0, tracked: false });
  });

  it('takes the most specific safety stock: sku, location and channel over fewer', () => {
    const atp = setup({
      safetyStock: [
        { quantity: 1 }, { sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-1', channel: 'amazon', quantity: 5 },
        { sku: 'SKU-1', location: 'WH1', channel: 'amazon', quantity: 8 },
      ],
    }, [{ sku: 'SKU-1', location: 'WH1', onHand: 10 }, { sku: 'SKU-1', location: 'WH2', onHand: 10 }, { sku: 'SKU-2', location: 'WH1', onHand: 10 }]);
    expect(atp('SKU-1', 'shop').locations.map((l) => l.safetyStock)).toEqual([3, 3]);
    expect(atp('SKU-1', 'amazon').locations.map((l) => l.safetyStock)).toEqual([8, 5]);
    expect(atp('SKU-2', 'amazon').available).toBe(9);
  });

  it("gives each channel its share: a percentage, a fixed quantity, or its priority pool's slice", () => {
    const atp = setup({
      pools: [{ name: 'b2b', quantity: 30 }, { name: 'marketplaces', percent: 50 }, { name: 'web' }],
      channels: {
        shopify: { share: { percent: 60 } }, ebay: { share: { quantity: 5 } },
        portal: { share: { pool: 'b2b' } }, amazon: { share: { pool: 'marketplaces' } }, woo: { share: { pool: 'web' } },
      },
    }, [{ sku: 'SKU-1', location: 'WH1', onHand: 100 }]);
    expect(atp('SKU-1', 'shopify').available).toBe(60);
    expect(atp('SKU-1', 'ebay').available).toBe(5);
    expect(atp('SKU-1', 'portal').available).toBe(30);
    expect(atp('SKU-1', 'amazon').available).toBe(50);
    expect(atp('SKU-1', 'woo').available).toBe(20);
    expect(atp('SKU-1', 'other').available).toBe(100);
  });

  it('sells from the channel locations only, and in-transit stock only within its window', () => {
    const atp = setup({ channels: { east: { locations: ['WH1'], inTransitDays: 7 }, west: { locations: ['WH2'] } } }, [
      { sku: 'SKU-1', location: 'WH1', onHand: 4, inTransit: 10, expectedAt: NOW + 3 * DAY },
      { sku: 'SKU-1', location: 'WH2', onHand: 6, inTransit: 10, expectedAt: NOW + 30 * DAY },
      { sku: 'SKU-2', location: 'WH1', onHand: 0, inTransit: 10, expectedAt: NOW + 30 * DAY },
    ]);
    expect(atp('SKU-1', 'east').available).toBe(14);
    expect(atp('SKU-1', 'west').available).toBe(6);
    expect(atp('SKU-2', 'east').available).toBe(0);
  });

  it('shows zero below the low-stock threshold, while orders may still take what is there', () => {
    const atp = setup({ channels: { amazon: { lowStock: 5 } } }, [{ sku: 'SKU-1', location: 'WH1', onHand: 4 }]);
    expect(atp('SKU-1', 'amazon')).toMatchObject({ available: 0, promisable: 4 });
    expect(atp('SKU-1', 'shop').available).toBe(4);
  });

  it('makes a kit as available as its scarcest component', () => {
    const atp = setup({ kits: { 'KIT-1': [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }] } }, [
      { sku: 'SKU-1', location: 'WH1', onHand: 9 }, { sku: 'SKU-2', location: 'WH1', onHand: 7 },
    ]);
    const kit = atp('KIT-1', 'shop');
    expect(kit.available).toBe(4);
    expect(kit.components).toEqual([{ sku: 'SKU-1', quantity: 2, promisable: 9 }, { sku: 'SKU-2', quantity: 1, promisable: 7 }]);
  });

  it('refuses a share naming a pool that does not exist, and a kit of kits', () => {
    const problems: string[] = [];
    resolveInventory({ channels: { a: { share: { pool: 'nope' } } }, kits: { K1: [{ sku: 'K2', quantity: 1 }], K2: [{ sku: 'S', quantity: 1 }] } }, {}, problems);
    expect(problems).toEqual([
      '/inventory/channels/a/share/pool: nope is not a pool of inventory.pools',
      "/inventory/kits/K1/0/sku: a kit's component cannot be a kit (K2)",
    ]);
  });
});
