import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/errors/catalogue.js';
import { CrossdockError, toErrorRecord, type ErrorRecord } from '../../src/errors/crossdock-error.js';
import type { Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';
import { orderInput } from './store.suite.js';

const T0 = 1_714_557_600_000;

const reasonOf = (code: ErrorCode, target?: string): ErrorRecord => toErrorRecord(new CrossdockError(code, `because ${code}`, target ? { target } : {}));

/** Accepts order `n` and holds it (its processing job dead) with `code`, at `at`. */
async function heldOrder(store: Store, n: string, code: ErrorCode, at: number, channel = 'shop'): Promise<string> {
  await store.acceptOrder(orderInput(n, { channel, now: at - 10, channelOrderId: `#${n}`, idempotencyKeys: [`${channel}:#${n}`] }));
  const [job] = await store.claimJobs({ queues: ['order.process'], workerId: 'w', limit: 1, leaseMs: 30_000, now: at });
  if (!job) throw new Error('nothing to claim');
  await store.transitionOrder({
    orderId: `ord_${n}`, from: ['received'], to: 'held', now: at, step: 'held', reason: reasonOf(code),
    job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'dead' },
  });
  return job.id;
}

/** A dead job that concerns no order. */
async function deadJob(store: Store, id: string, code: ErrorCode, at: number, target?: string): Promise<void> {
  await store.enqueue({ id, queue: 'channel.poll', payload: { instance: 'shop' }, correlationId: `cor_${id}`, runAt: at - 1, maxAttempts: 1, now: at - 1 });
  const [job] = await store.claimJobs({ queues: ['channel.poll'], workerId: 'w', limit: 1, leaseMs: 30_000, now: at });
  await store.deadLetterJob(job!.id, job!.leaseToken ?? '', reasonOf(code, target), at);
}

/** The operations backend's store operations: the same in every Store. */
export function storeOperationsSuite(name: string, open: OpenStore): void {
  describe(`${name} store: operations backend`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('counts dead letters by code with their oldest and newest, without loading them', async () => {
      await heldOrder(store, '1', 'sku.unknown', T0);
      await heldOrder(store, '2', 'sku.unknown', T0 + 50);
      await heldOrder(store, '3', 'customer.credit-hold', T0 + 20);
      await deadJob(store, 'p1', 'target.unavailable', T0 + 5);
      expect(await store.deadLetterCounts()).toEqual([
        { code: 'customer.credit-hold', count: 1, oldestAt: T0 + 20, newestAt: T0 + 20 },
        { code: 'sku.unknown', count: 2, oldestAt: T0, newestAt: T0 + 50 },
        { code: 'target.unavailable', count: 1, oldestAt: T0 + 5, newestAt: T0 + 5 },
      ]);
    });

    it('finds dead letters by codes or ids, newest first, with the order channel and number, page by page', async () => {
      const j1 = await heldOrder(store, '1', 'sku.unknown', T0, 'b2b');
      const j2 = await heldOrder(store, '2', 'sku.unknown', T0 + 10);
      await heldOrder(store, '3', 'customer.unknown', T0 + 20);
      await deadJob(store, 'p1', 'target.unavailable', T0 + 30);

      const skus = await store.findDeadLetters({ codes: ['sku.unknown'], limit: 10 });
      expect(skus.map((d) => d.jobId)).toEqual([j2, j1]);
      expect(skus[1]).toMatchObject({
        jobId: j1, queue: 'order.process', subjectId: 'ord_1', attempts: 1, deadAt: T0,
        error: { code: 'sku.unknown' }, order: { channel: 'b2b', channelOrderId: '#1', state: 'held' },
      });
      expect((await store.findDeadLetters({ codes: ['target.unavailable'], limit: 10 }))[0]).toMatchObject({ jobId: 'p1', subjectId: null, order: null });
      expect((await store.findDeadLetters({ ids: [j1, 'p1', 'missing'], limit: 10 })).map((d) => d.jobId)).toEqual(['p1', j1]);

      const first = await store.findDeadLetters({ limit: 2 });
      const last = first.at(-1)!;
      const second = await store.findDeadLetters({ limit: 2, after: { deadAt: last.deadAt, jobId: last.jobId } });
      expect([...first, ...second].map((d) => d.deadAt)).toEqual([T0 + 30, T0 + 20, T0 + 10, T0]);
    });

    it('counts orders by state, received time and channel', async () => {
      await store.acceptOrder(orderInput('1', { now: T0 }));
      await store.acceptOrder(orderInput('2', { now: T0 + 10, channelOrderId: '#2', idempotencyKeys: ['shop:#2'] }));
      await store.acceptOrder(orderInput('3', { now: T0 + 20, channel: 'web', channelOrderId: '#3', idempotencyKeys: ['web:#3'] }));
      await store.transitionOrder({ orderId: 'ord_2', from: ['received'], to: 'posted', now: T0 + 30, step: 'posted', erpRef: 'SO-2' });
      const count = (q: Partial<Parameters<Store['countOrders']>[0]>) =>
        store.countOrders({ states: ['received', 'validated'], receivedFrom: T0, receivedBefore: T0 + 100, ...q });
      expect(await count({})).toBe(2);
      expect(await count({ states: ['received', 'posted'] })).toBe(3);
      expect(await count({ channel: 'web' })).toBe(1);
      expect(await count({ receivedFrom: T0 + 1 })).toBe(1);
      expect(await count({ receivedBefore: T0 + 20 })).toBe(1);
      expect(await count({ states: [] })).toBe(0);
    });

    it('replays a held order back to received, naming who, and leaves a revision job\'s order alone', async () => {
      const jobId = await heldOrder(store, '1', 'sku.unknown', T0);
      const replayed = await store.replayDeadLetter(jobId, T0 + 100, 'user:ann');
      expect(replayed).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await store.getOrder('ord_1')).toMatchObject({ state: 'received', reason: null });
      expect((await store.listEvents('msg_1')).at(-1)).toMatchObject({ step: 'replayed', detail: { jobId, by: 'user:ann' } });

      // A posted order's revision job, dead-lettered: replaying it must not reopen the order.
      await store.acceptOrder(orderInput('2', { channelOrderId: '#2', idempotencyKeys: ['shop:#2'] }));
      await store.transitionOrder({ orderId: 'ord_2', from: ['received'], to: 'posted', now: T0, step: 'posted', erpRef: 'SO-2' });
      await store.enqueue({ id: 'rev-2', queue: 'order.revise', payload: { orderId: 'ord_2', messageId: 'msg_2' }, correlationId: 'c', runAt: T0, maxAttempts: 1, now: T0 });
      const [rev] = await store.claimJobs({ queues: ['order.revise'], workerId: 'w', limit: 1, leaseMs: 1_000, now: T0 });
      await store.deadLetterJob(rev!.id, rev!.leaseToken ?? '', reasonOf('order.changed-after-post'), T0 + 1);
      expect(await store.replayDeadLetter('rev-2', T0 + 2, 'user:ann')).toMatchObject({ status: 'queued' });
      expect(await store.getOrder('ord_2')).toMatchObject({ state: 'posted' });
    });

    it('discards a held order for good: terminal, reason and who on its timeline, an order.discarded event', async () => {
      const jobId = await heldOrder(store, '1', 'customer.credit-hold', T0);
      const before = (await store.listOutbox(0, 100)).length;
      const result = await store.discardDeadLetter({ jobId, reason: 'test order', actor: 'user:ann', now: T0 + 100 });
      expect(result).toMatchObject({ jobId, queue: 'order.process', error: { code: 'customer.credit-hold' }, order: { id: 'ord_1', from: 'held', channel: 'shop', channelOrderId: '#1' } });
      expect(await store.getJob(jobId)).toMatchObject({ status: 'discarded', lastError: { code: 'customer.credit-hold' } });
      expect(await store.getOrder('ord_1')).toMatchObject({ state: 'discarded' });
      expect((await store.getMessage('msg_1'))?.status).toBe('rejected');
      expect((await store.listEvents('msg_1')).at(-1)).toMatchObject({ step: 'discarded', at: T0 + 100, detail: { reason: 'test order', by: 'user:ann', jobId } });
      const events = (await store.listOutbox(0, 100)).slice(before);
      expect(events).toEqual([expect.objectContaining({ topic: 'order.discarded', key: 'ord_1', payload: expect.objectContaining({ reason: 'test order', by: 'user:ann', previousState: 'held' }) })]);
      expect(await store.findDeadLetters({ limit: 10 })).toEqual([]);
      expect(await store.deadLetterCounts()).toEqual([]);
      // Gone for good: neither discarded nor replayed again.
      expect(await store.discardDeadLetter({ jobId, reason: 'again', actor: 'user:bob', now: T0 + 200 })).toBeUndefined();
      expect(await store.replayDeadLetter(jobId, T0 + 200)).toBeUndefined();
    });

    it('discards a dead job without an order, and only dead jobs', async () => {
      await deadJob(store, 'p1', 'target.unavailable', T0);
      expect(await store.discardDeadLetter({ jobId: 'p1', reason: 'obsolete poll', actor: 'user:ann', now: T0 + 1 })).toMatchObject({ jobId: 'p1', order: null });
      await store.enqueue({ id: 'q1', queue: 'q', payload: {}, correlationId: 'c', runAt: T0, maxAttempts: 1, now: T0 });
      expect(await store.discardDeadLetter({ jobId: 'q1', reason: 'x', actor: 'user:ann', now: T0 + 1 })).toBeUndefined();
      expect(await store.getJob('q1')).toMatchObject({ status: 'queued' });
    });

    it('remaps an order\'s canonical document and account while it is still being processed', async () => {
      await store.acceptOrder(orderInput('1'));
      const canonical = { id: 'ord_1', lines: [{ sku: 'SKU-1', channelSku: 'A-1' }] };
      expect(await store.remapOrder({ orderId: 'ord_1', canonical, customerAccount: 'C-9', from: ['received', 'validated'], detail: { lines: [{ key: 'A-1' }] }, now: T0 + 5 })).toBe(true);
      expect(await store.getOrder('ord_1')).toMatchObject({ canonical, customerAccount: 'C-9' });
      expect((await store.listEvents('msg_1')).at(-1)).toMatchObject({ step: 'cross-referenced', detail: { lines: [{ key: 'A-1' }] } });
      await store.transitionOrder({ orderId: 'ord_1', from: ['received'], to: 'posted', now: T0 + 6, step: 'posted' });
      expect(await store.remapOrder({ orderId: 'ord_1', canonical: {}, customerAccount: 'X', from: ['received', 'validated'], detail: {}, now: T0 + 7 })).toBe(false);
      expect(await store.getOrder('ord_1')).toMatchObject({ canonical, customerAccount: 'C-9' });
    });

    it('keeps cross-references by channel, kind and key, answering what each change replaced', async () => {
      const sku = { channel: 'shop', kind: 'sku' as const, key: 'WIDGET-RED', value: { sku: 'SKU-1', uom: 'EA', factor: 12 }, updatedBy: 'user:ann', updatedAt: T0 };
      const customer = { channel: 'shop', kind: 'customer' as const, key: 'customer:42', value: { account: 'C-100' }, updatedBy: 'user:ann', updatedAt: T0 };
      expect(await store.putCrossReference(sku)).toBeUndefined();
      await store.putCrossReference(customer);
      await store.putCrossReference({ ...sku, channel: 'b2b' });
      const replaced = await store.putCrossReference({ ...sku, value: { sku: 'SKU-2' }, updatedBy: 'user:bob', updatedAt: T0 + 1 });
      expect(replaced).toEqual(sku);
      expect(await store.listCrossReferences({ channel: 'shop' })).toEqual([
        customer, { ...sku, value: { sku: 'SKU-2' }, updatedBy: 'user:bob', updatedAt: T0 + 1 },
      ]);
      expect((await store.listCrossReferences({ kind: 'sku' })).map((r) => r.channel)).toEqual(['b2b', 'shop']);
      expect(await store.deleteCrossReference('shop', 'customer', 'customer:42')).toEqual(customer);
      expect(await store.deleteCrossReference('shop', 'customer', 'customer:42')).toBeUndefined();
      expect(await store.listCrossReferences({})).toHaveLength(2);
    });

    it('pauses a target once, and resuming makes the work its pause held back due at once', async () => {
      const first = { target: 'erp', pausedBy: 'user:ann', reason: 'ERP upgrade', pausedAt: T0 };
      expect(await store.pauseTarget(first)).toEqual(first);
      expect(await store.pauseTarget({ ...first, pausedBy: 'user:bob', pausedAt: T0 + 1 })).toEqual(first);
      expect(await store.listTargetPauses()).toEqual([first]);

      // Work refused by the pause waits in the queue, its attempt given back.
      for (const [id, target] of [['a', 'erp'], ['b', 'erp.sub'], ['c', 'erpx']] as const) {
        await store.enqueue({ id, queue: 'q', payload: {}, correlationId: id, runAt: T0, maxAttempts: 3, now: T0 });
        const [job] = await store.claimJobs({ queues: ['q'], workerId: 'w', limit: 1, leaseMs: 1_000, now: T0 });
        await store.retryJob(job!.id, job!.leaseToken ?? '', { runAt: T0 + 60_000, error: reasonOf('target.paused', target), countAttempt: false, now: T0 });
      }
      expect(await store.resumeTarget('erp', T0 + 10)).toEqual(first);
      expect(await store.listTargetPauses()).toEqual([]);
      expect(await store.getJob('a')).toMatchObject({ status: 'queued', runAt: T0 + 10, attempts: 0 });
      expect(await store.getJob('b')).toMatchObject({ runAt: T0 + 10 });
      expect(await store.getJob('c')).toMatchObject({ runAt: T0 + 60_000 });
      expect(await store.resumeTarget('erp', T0 + 20)).toBeUndefined();
    });
  });
}
