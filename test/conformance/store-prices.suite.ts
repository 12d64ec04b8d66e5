import { describe, expect, it } from 'vitest';
import type { StoredPriceRule } from '../../src/store/price-types.js';
import type { Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = 1_714_557_600_000;

function rule(id: string, source: string, unitPrice = '10.00'): StoredPriceRule {
  return { id, source, body: { kind: 'list', id, source, sku: `SKU-${id}`, currency: 'USD', unitPrice, breaks: [{ minQuantity: 10, unitPrice: '9.00' }] } };
}

/** The price book's table: the same in every Store. */
export function storePricesSuite(name: string, open: OpenStore): void {
  describe(`${name} store: price rules`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('keeps rules with their bodies as given, and replaces one by id whatever its source was', async () => {
      await store.upsertPriceRules([rule('a', 'api'), rule('b', 'api')], T0);
      await store.upsertPriceRules([rule('a', 'erp:sandbox', '12.50')], T0 + 1);
      expect(await store.loadPriceRules()).toEqual([rule('a', 'erp:sandbox', '12.50'), rule('b', 'api')]);
    });

    it('deletes by id, counting only the rules that were there, so a repeated delete changes nothing', async () => {
      await store.upsertPriceRules([rule('a', 'api'), rule('b', 'api')], T0);
      expect(await store.deletePriceRules(['a', 'zz'], T0)).toBe(1);
      expect(await store.deletePriceRules(['a'], T0)).toBe(0);
      expect((await store.loadPriceRules()).map((r) => r.id)).toEqual(['b']);
    });

    it("replaces one source's rules as a whole, removing what the new set lacks and leaving other sources alone", async () => {
      await store.upsertPriceRules([rule('e1', 'erp:sandbox'), rule('e2', 'erp:sandbox'), rule('p1', 'api')], T0);
      expect(await store.replacePriceRulesOf('erp:sandbox', [rule('e2', 'erp:sandbox', '8.00'), rule('e3', 'erp:sandbox')], T0 + 1)).toEqual({ upserted: 2, removed: 1 });
      expect((await store.loadPriceRules()).map((r) => [r.id, r.source, (r.body as { unitPrice: string }).unitPrice])).toEqual([
        ['e2', 'erp:sandbox', '8.00'], ['e3', 'erp:sandbox', '10.00'], ['p1', 'api', '10.00'],
      ]);
      expect(await store.replacePriceRulesOf('erp:sandbox', [], T0 + 2)).toEqual({ upserted: 0, removed: 2 });
      expect((await store.loadPriceRules()).map((r) => r.id)).toEqual(['p1']);
    });

    it('moves its version on every change and only then', async () => {
      const v0 = await store.priceRulesVersion();
      await store.upsertPriceRules([rule('a', 'api')], T0);
      const v1 = await store.priceRulesVersion();
      expect(v1).not.toBe(v0);
      expect(await store.deletePriceRules(['nope'], T0)).toBe(0);
      expect(await store.priceRulesVersion()).toBe(v1);
      await store.upsertPriceRules([rule('a', 'api', '11.00')], T0);
      const v2 = await store.priceRulesVersion();
      expect(v2).not.toBe(v1);
      await store.replacePriceRulesOf('api', [], T0);
      expect(await store.priceRulesVersion()).not.toBe(v2);
    });

    it('takes a large batch in one call', async () => {
      const many = Array.from({ length: 12_000 }, (_, i) => rule(`r${String(i).padStart(5, '0')}`, 'file'));
      await store.replacePriceRulesOf('file', many, T0);
      const loaded = await store.loadPriceRules();
      expect(loaded).toHaveLength(12_000);
      expect(loaded[11_999]).toEqual(many[11_999]);
    });
  });
}
