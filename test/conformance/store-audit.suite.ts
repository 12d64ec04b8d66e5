import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = 1_714_557_600_000;

/** The audit log: the same in every Store. */
export function storeAuditSuite(name: string, open: OpenStore): void {
  describe(`${name} store: audit log`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('keeps who, when, what, before and after, newest first, and pages by sequence', async () => {
      const first = await store.appendAudit({ at: T0, actor: 'user:ann', action: 'cross-reference.put', target: 'b2b-portal/sku/X-1', before: null, after: { sku: 'SKU-1' }, correlationId: 'cor-1' });
      const second = await store.appendAudit({ at: T0 + 1, actor: 'user:bob', action: 'dead-letter.discard', target: 'job-9', detail: { reason: 'test order' } });
      expect(second).toBeGreaterThan(first);
      const all = await store.listAudit({ limit: 10 });
      expect(all).toEqual([
        { seq: second, at: T0 + 1, actor: 'user:bob', action: 'dead-letter.discard', target: 'job-9', detail: { reason: 'test order' } },
        { seq: first, at: T0, actor: 'user:ann', action: 'cross-reference.put', target: 'b2b-portal/sku/X-1', before: null, after: { sku: 'SKU-1' }, correlationId: 'cor-1' },
      ]);
      expect((await store.listAudit({ limit: 10, beforeSeq: second })).map((e) => e.seq)).toEqual([first]);
      expect((await store.listAudit({ limit: 10, actor: 'user:ann' })).map((e) => e.actor)).toEqual(['user:ann']);
      expect((await store.listAudit({ limit: 10, action: 'dead-letter.discard' })).map((e) => e.seq)).toEqual([second]);
    });
  });
}
