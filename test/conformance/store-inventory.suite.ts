import { describe, expect, it } from 'vitest';
import { resolveInventory, type InventoryConfigFile } from '../../src/inventory/config-schema.js';
import { InventoryEngine } from '../../src/inventory/engine.js';
import type { InventoryBatch } from '../../src/inventory/model.js';
import type { Store } from '../../src/store/types.js';
import { reconcileReservations } from '../../src/inventory/reconcile.js';
import { orderInput } from './store.suite.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');

function engineOn(store: Store, config: InventoryConfigFile = {}, now = () => T0, allocatingSources: string[] = []): InventoryEngine {
  const problems: string[] = [];
  const settings = resolveInventory(config, {}, problems);
  return new InventoryEngine({ store, clock: { now }, settings, allocatingSources });
}

const counted = (changes: InventoryBatch['changes'], at = '2026-11-26T10:00:00Z'): InventoryBatch => ({ source: 'wms', sourceTimestamp: at, mode: 'set', changes });
const origin = (key?: string) => ({ correlationId: 'c-1', raw: '{}', ...(key ? { idempotencyKey: key } : {}) });

/** The inventory engine on each Store: what it applies survives a restart, once. */
export function storeInventorySuite(name: string, open: OpenStore): void {
  describe(`${name} store: inventory`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('journals each batch, stores its levels, and loads them again in a new engine', async () => {
      const first = engineOn(store);
      await first.start();
      const result = await first.ingest(counted([{ sku: 'SKU-1', location: 'WH1', onHand: 10, allocated: 2 }, { sku: 'SKU-1', location: 'WH2', onHand: 5 }]), origin());
      expect(result).toMatchObject({ outcome: 'applied', changed: 2, stale: 0 });
      const message = await store.getMessage(result.messageId);
      expect(message).toMatchObject({ kind: 'inventory', source: 'wms', status: 'delivered' });
      expect((await store.listEvents(result.messageId)).map((e) => e.step)).toEqual(['received', 'inventory.applied']);

      const second = engineOn(store);
      await second.start();
      expect(second.availability('SKU-1', 'shop').available).toBe(13);
      expect(second.levels('SKU-1').map((l) => [l.location, l.onHand, l.allocated])).toEqual([['WH1', 10, 2], ['WH2', 5, 0]]);
    });

    it('applies a batch sent twice under one key once, even when both arrive together', async () => {
      const engine = engineOn(store);
      await engine.start();
      const delta: InventoryBatch = { source: 'wms', sourceTimestamp: '2026-11-26T10:00:00Z', mode: 'delta', changes: [{ sku: 'SKU-1', location: 'WH1', onHand: 4 }] };
      const [a, b] = await Promise.all([engine.ingest(delta, origin('k-1')), engine.ingest(delta, origin('k-1'))]);
      const again = await engine.ingest(delta, origin('k-1'));
      expect([a.outcome, b.outcome, again.outcome].sort()).toEqual(['applied', 'duplicate', 'duplicate']);
      expect(engine.levels('SKU-1')[0]!.onHand).toBe(4);
      const reloaded = engineOn(store);
      await reloaded.start();
      expect(reloaded.levels('SKU-1')[0]!.onHand).toBe(4);
    });

    it('applies at start-up a batch journaled before a stop but never applied', async () => {
      const batch: InventoryBatch = { source: 'wms', sourceTimestamp: '2026-11-26T10:00:00Z', mode: 'delta', changes: [{ sku: 'SKU-9', location: 'WH1', onHand: 7 }] };
      // As the engine journals it, with the process gone before the levels were written.
      await store.recordInbound({ messageId: 'msg-pending', correlationId: 'c', source: 'wms', kind: 'inventory', raw: '{}', canonical: batch, status: 'accepted', now: T0 });
      const engine = engineOn(store);
      await engine.start();
      expect(engine.levels('SKU-9')[0]!.onHand).toBe(7);
      expect((await store.getMessage('msg-pending'))!.status).toBe('delivered');
      const again = engineOn(store);
      await again.start();
      expect(again.levels('SKU-9')[0]!.onHand).toBe(7);
    });

    it('keeps reservations across a restart, and lets go of them once', async () => {
      const engine = engineOn(store);
      await engine.start();
      await engine.ingest(counted([{ sku: 'SKU-1', location: 'WH1', onHand: 3 }, { sku: 'SKU-1', location: 'WH2', onHand: 4 }]), origin());
      const reserved = await engine.reserve('ord-1', 'shop', [{ sku: 'SKU-1', quantity: 6 }]);
      expect(reserved).toMatchObject({ outcome: 'reserved', backordered: [] });
      expect(engine.availability('SKU-1', 'shop').available).toBe(1);

      const restarted = engineOn(store);
      await restarted.start();
      expect(restarted.availability('SKU-1', 'shop').available).toBe(1);
      expect(restarted.reservationsOf('ord-1').map((r) => [r.location, r.quantity]).sort()).toEqual([['WH1', 2], ['WH2', 4]]);
      expect(await restarted.reserve('ord-1', 'shop', [{ sku: 'SKU-1', quantity: 6 }])).toMatchObject({ outcome: 'reserved', existing: true });
      expect(restarted.availability('SKU-1', 'shop').available).toBe(1);

      await restarted.release('ord-1', 'cancelled');
      await restarted.release('ord-1', 'cancelled');
      expect(restarted.availability('SKU-1', 'shop').available).toBe(7);
      expect(await store.loadReservations()).toEqual([]);
    });

    it("hands a posted order's reservation over to the ERP's allocation when the ERP next reports the SKU", async () => {
      let now = T0;
      const engine = engineOn(store, {}, () => now, ['erp']);
      await engine.start();
      await engine.ingest({ ...counted([{ sku: 'SKU-1', location: 'WH1', onHand: 10 }]), source: 'erp' }, origin());
      await engine.reserve('ord-1', 'shop', [{ sku: 'SKU-1', quantity: 4 }]);
      now = T0 + 1_000;
      await engine.markPosted('ord-1', now);
      // A WMS count does not know of the ERP's allocation: the reservation stays.
      await engine.ingest(counted([{ sku: 'SKU-1', location: 'WH2', onHand: 1 }], '2026-11-26T10:00:05Z'), origin());
      expect(engine.availability('SKU-1', 'shop').available).toBe(7);
      // The ERP reports the SKU allocated: counted once, by the ERP.
      await engine.ingest({ ...counted([{ sku: 'SKU-1', location: 'WH1', onHand: 10, allocated: 4 }], '2026-11-26T10:00:06Z'), source: 'erp' }, origin());
      expect(engine.availability('SKU-1', 'shop').available).toBe(7);
      expect(engine.reservationsOf('ord-1')).toEqual([]);
      expect(await store.loadReservations()).toEqual([]);
    });

    it('reconciles reservations with their orders: releases leaked and expired ones, hands posted ones to the ERP', async () => {
      let now = T0;
      const engine = engineOn(store, { reservationHours: 1 }, () => now, ['erp']);
      await engine.start();
      await engine.ingest(counted([{ sku: 'SKU-1', location: 'WH1', onHand: 100 }]), origin());
      for (const n of ['open', 'cancelled', 'posted']) {
        await store.acceptOrder(orderInput(n));
        await engine.reserve(`ord_${n}`, 'shop', [{ sku: 'SKU-1', quantity: 5 }]);
      }
      await engine.reserve('ord_unknown', 'shop', [{ sku: 'SKU-1', quantity: 5 }]);
      await store.transitionOrder({ orderId: 'ord_cancelled', from: ['received'], to: 'cancelled', now: T0, step: 'cancelled' });
      await store.transitionOrder({ orderId: 'ord_posted', from: ['received'], to: 'posted', now: T0, step: 'posted', erpRef: 'SO-1' });
      expect(engine.availability('SKU-1', 'shop').available).toBe(80);

      const report = await reconcileReservations(engine, store, now);
      expect(report.checked).toBe(4);
      expect(report.findings.map((f) => [f.orderId, f.finding]).sort()).toEqual([['ord_cancelled', 'leaked'], ['ord_posted', 'posted'], ['ord_unknown', 'leaked']]);
      expect(engine.availability('SKU-1', 'shop').available).toBe(90);
      expect(engine.reservationsOf('ord_posted')[0]!.postedAt).not.toBeNull();
      expect((await reconcileReservations(engine, store, now)).findings).toEqual([]);

      now = T0 + 3_600_000;
      const later = await reconcileReservations(engine, store, now);
      expect(later.findings.map((f) => [f.orderId, f.finding]).sort()).toEqual([['ord_open', 'expired'], ['ord_posted', 'expired']]);
      expect(engine.availability('SKU-1', 'shop').available).toBe(100);
      expect(await store.loadReservations()).toEqual([]);
    });

    it("keeps a posted order's reservation while an ERP that allocates nothing counts its stock, and lets go of what ships", async () => {
      const problems: string[] = [];
      const engine = new InventoryEngine({ store, clock: { now: () => T0 }, settings: resolveInventory({ units: { 'SKU-5': { CA: 12 } } }, {}, problems), releaseAtShipment: true });
      await engine.start();
      await engine.ingest({ ...counted([{ sku: 'SKU-5', location: 'WH1', onHand: 100 }]), source: 'erp' }, origin());
      const lines = [{ sku: 'SKU-5', quantity: 2, uom: 'CA' }];
      await engine.reserve('ord-1', 'shop', lines);
      await engine.markPosted('ord-1', T0);
      await engine.ingest({ ...counted([{ sku: 'SKU-5', location: 'WH1', onHand: 100 }], '2026-11-26T10:00:09Z'), source: 'erp' }, origin());
      expect(engine.availability('SKU-5', 'shop').available).toBe(76);

      // 10 of the 24 ship (the ERP's on hand drops with them); the same shipments told twice change nothing.
      await engine.ingest({ ...counted([{ sku: 'SKU-5', location: 'WH1', onHand: 90 }], '2026-11-26T10:00:10Z'), source: 'erp' }, origin());
      await engine.settleShipped('ord-1', [{ sku: 'SKU-5', quantity: 10 }], lines);
      await engine.settleShipped('ord-1', [{ sku: 'SKU-5', quantity: 10 }], lines);
      expect(engine.availability('SKU-5', 'shop').available).toBe(76);
      expect((await store.loadReservations()).map((r) => r.quantity)).toEqual([14]);

      await engine.ingest({ ...counted([{ sku: 'SKU-5', location: 'WH1', onHand: 76 }], '2026-11-26T10:00:11Z'), source: 'erp' }, origin());
      await engine.settleShipped('ord-1', [{ sku: 'SKU-5', quantity: 10 }, { sku: 'SKU-5', quantity: 14 }], lines);
      expect(engine.availability('SKU-5', 'shop').available).toBe(76);
      expect(await store.loadReservations()).toEqual([]);
    });

    it('remembers what each channel was last sent', async () => {
      await store.savePublishedAvailability('shop', [{ sku: 'SKU-1', available: 3 }, { sku: 'SKU-2', available: 0 }], T0);
      await store.savePublishedAvailability('shop', [{ sku: 'SKU-1', available: 5 }], T0 + 1);
      await store.savePublishedAvailability('amazon', [{ sku: 'SKU-1', available: 1 }], T0);
      expect((await store.loadPublishedAvailability('shop')).sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([{ sku: 'SKU-1', available: 5 }, { sku: 'SKU-2', available: 0 }]);
    });

    it('loads more levels than one page at start-up', async () => {
      const engine = engineOn(store);
      await engine.start();
      const changes = Array.from({ length: 120_000 }, (_, n) => ({ sku: `SKU-${n}`, location: 'WH1', onHand: n % 7 }));
      await engine.ingest(counted(changes), origin());
      const reloaded = engineOn(store);
      await reloaded.start();
      expect(reloaded.table.size).toBe(120_000);
      expect(reloaded.levels('SKU-119999')[0]!.onHand).toBe(119_999 % 7);
    }, 60_000);
  });
}
