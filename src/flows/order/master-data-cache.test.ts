import { describe, expect, it } from 'vitest';
import type { CallContext, ErpCustomer, ErpItem, MasterData } from '../../connectors/capabilities.js';
import { MasterDataCache } from './master-data-cache.js';

function countingSource(known: string[]) {
  const calls = { customers: 0, items: 0, skus: [] as string[][] };
  const source: MasterData = {
    async getCustomer(accountId) {
      calls.customers++;
      await new Promise((r) => setTimeout(r, 5));
      return accountId === 'C-1' ? ({ accountId, name: 'One', currency: 'USD', creditLimit: null, balance: '0', onHold: false } as ErpCustomer) : undefined;
    },
    async getItems(skus) {
      calls.items++;
      calls.skus.push([...skus]);
      await new Promise((r) => setTimeout(r, 5));
      return new Map(skus.filter((s) => known.includes(s)).map((s) => [s, { sku: s, description: s, uom: 'EA', active: true } as ErpItem]));
    },
  };
  return { source, calls };
}
const ctx: CallContext = { correlationId: 'c' };
let time = 0;
const clock = { now: () => time };

describe('master data cache', () => {
  it('shares one lookup between concurrent misses for the same customer and SKUs', async () => {
    const { source, calls } = countingSource(['A', 'B']);
    const cache = new MasterDataCache(source, clock);
    const results = await Promise.all(Array.from({ length: 10 }, () => Promise.all([cache.getCustomer('C-1', ctx), cache.getItems(['A', 'B'], ctx)])));
    expect(calls.customers).toBe(1);
    expect(calls.items).toBe(1);
    for (const [customer, items] of results) {
      expect(customer?.name).toBe('One');
      expect([...items.keys()].sort()).toEqual(['A', 'B']);
    }
  });

  it('asks only for the SKUs it does not hold, and asks again for missing ones', async () => {
    const { source, calls } = countingSource(['A']);
    const cache = new MasterDataCache(source, clock);
    await cache.getItems(['A', 'Z'], ctx);
    const second = await cache.getItems(['A', 'Z'], ctx);
    expect(calls.skus).toEqual([['A', 'Z'], ['Z']]);
    expect(second.has('Z')).toBe(false);
  });

  it('forgets records after their time to live', async () => {
    const { source, calls } = countingSource(['A']);
    const cache = new MasterDataCache(source, clock, 1000);
    time = 0;
    await cache.getCustomer('C-1', ctx);
    time = 999;
    await cache.getCustomer('C-1', ctx);
    time = 1001;
    await cache.getCustomer('C-1', ctx);
    expect(calls.customers).toBe(2);
  });
});
