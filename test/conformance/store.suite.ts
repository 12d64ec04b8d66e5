import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../src/canonical/states.js';
import { CrossdockError, toErrorRecord, type ErrorRecord } from '../../src/errors/crossdock-error.js';
import type { ErrorCode } from '../../src/errors/catalogue.js';
import type { AcceptOrderInput, Job, NewJob, Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

/**
 * The behaviour every Store implementation shares (DESIGN.md, "Where state lives"). Each test
 * gets a fresh, migrated store; times are fixed epoch milliseconds, so nothing sleeps.
 * Run it once per implementation: `storeConformanceSuite('sqlite', open)`.
 */
export function storeConformanceSuite(
  name: string,
  open: OpenStore,
): void {
  describe(`${name} store`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    describe('migrations', () => {
      it('applies migrations again without error or change', async () => {
        await store.acceptOrder(orderInput('1'));
        await store.migrate();
        await Promise.all([store.migrate(), store.migrate()]);
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'received' });
      });
    });

    describe('order intake', () => {
      it('journals the message, the order, its first step and its processing job together', async () => {
        const input = orderInput('1');
        expect(await store.acceptOrder(input)).toEqual({ outcome: 'accepted', response: input.response });

        expect(await store.getOrder('ord_1')).toEqual({
          id: 'ord_1', channel: 'shop', channelOrderId: '#1', state: 'received', correlationId: 'cor_1',
          messageId: 'msg_1', canonical: input.canonical, customerAccount: 'C-100', erpRef: null, reason: null,
          createdAt: T0, updatedAt: T0,
        });
        expect(await store.getMessage('msg_1')).toEqual({
          id: 'msg_1', correlationId: 'cor_1', direction: 'inbound', source: 'shop', kind: 'order', subjectId: 'ord_1',
          channelRef: '#1', sourceTimestamp: input.sourceTimestamp, status: 'accepted', raw: input.raw,
          canonical: input.canonical, receivedAt: T0, updatedAt: T0,
        });
        expect(await store.listEvents('msg_1')).toEqual([
          { seq: expect.any(Number), messageId: 'msg_1', at: T0, step: 'received', outcome: 'ok' },
        ]);
        expect(await store.getJob('job_1')).toEqual({
          id: 'job_1', queue: 'order.process', payload: { orderId: 'ord_1' }, correlationId: 'cor_1', status: 'queued',
          attempts: 0, maxAttempts: 5, runAt: T0, leaseOwner: null, leaseToken: null, leaseExpiresAt: null,
          lastError: null, createdAt: T0, updatedAt: T0,
        });
        expect(await store.countersSnapshot()).toEqual({ 'orders_accepted:shop': 1 });
      });

      it('answers a repeated request with the stored response and counts the duplicate', async () => {
        const first = orderInput('1');
        await store.acceptOrder(first);
        const again = orderInput('1', { messageId: 'msg_again', jobId: 'job_again', now: T0 + 5_000 });

        expect(await store.acceptOrder(again)).toEqual({ outcome: 'duplicate', response: first.response });
        expect(await store.getMessage('msg_again')).toBeUndefined();
        expect(await store.getJob('job_again')).toBeUndefined();
        expect(await store.countersSnapshot()).toEqual({
          'orders_accepted:shop': 1, duplicates_suppressed: 1, 'duplicates_suppressed:shop': 1,
        });
      });

      it('recognises a repeat by the caller’s Idempotency-Key as well as by the natural key', async () => {
        const first = orderInput('1', { idempotencyKeys: ['shop:#1', 'idem:abc'] });
        await store.acceptOrder(first);
        const sameKey = orderInput('2', { idempotencyKeys: ['shop:#2', 'idem:abc'], requestHash: first.requestHash });

        expect(await store.acceptOrder(sameKey)).toEqual({ outcome: 'duplicate', response: first.response });
        expect(await store.getOrder('ord_2')).toBeUndefined();
      });

      it('answers a different body under a used key with a conflict and changes nothing', async () => {
        const first = orderInput('1');
        await store.acceptOrder(first);
        const other = orderInput('1', { messageId: 'msg_x', jobId: 'job_x', requestHash: 'another-hash', raw: '{"id":"1","note":"changed"}' });

        expect(await store.acceptOrder(other)).toEqual({ outcome: 'conflict', key: 'shop:#1', response: first.response });
        expect(await store.getMessage('msg_x')).toBeUndefined();
        expect(await store.countersSnapshot()).toEqual({ 'orders_accepted:shop': 1 });
      });

      it('answers the same body re-serialised (other bytes, same JSON document) as a duplicate', async () => {
        const first = orderInput('1');
        await store.acceptOrder(first);
        const reordered = orderInput('1', {
          messageId: 'msg_r', jobId: 'job_r', requestHash: 'hash-of-other-bytes', raw: '{ "note": "raw bytes, kept as sent", "id": "1" }',
        });

        expect(await store.acceptOrder(reordered)).toEqual({ outcome: 'duplicate', response: first.response });
        expect(await store.getMessage('msg_r')).toBeUndefined();
      });

      it('accepts exactly one of twenty concurrent requests with the same key', async () => {
        const inputs = Array.from({ length: 20 }, (_, i) => orderInput('1', { messageId: `msg_${i}`, jobId: `job_${i}` }));
        const results = await Promise.all(inputs.map((input) => store.acceptOrder(input)));

        expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(19);
        for (const r of results) expect(r.response).toEqual(inputs[0]?.response);
        expect(await store.countersSnapshot()).toEqual({
          'orders_accepted:shop': 1, duplicates_suppressed: 19, 'duplicates_suppressed:shop': 19,
        });
        expect(await queueOf(store, 'order.process')).toMatchObject({ queued: 1 });
        expect((await store.searchMessages({ channel: 'shop', limit: 50 })).items).toHaveLength(1);
      });

      it('accepts twenty concurrent different orders and counts every one', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.acceptOrder(orderInput(String(i), { channel: i % 2 ? 'b2b' : 'shop' }))),
        );
        expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
        expect(await store.countersSnapshot()).toEqual({ 'orders_accepted:shop': 10, 'orders_accepted:b2b': 10 });
        expect(await queueOf(store, 'order.process')).toMatchObject({ queued: 20 });
      });
    });

    describe('order transitions', () => {
      it('returns nothing for an unknown order', async () => {
        expect(await store.getOrder('ord_missing')).toBeUndefined();
      });

      it('moves the order and journals the step, the message status and the outbox event together', async () => {
        await store.acceptOrder(orderInput('1'));
        const moved = await store.transitionOrder({
          orderId: 'ord_1', from: ['validated'], to: 'posted', now: T0 + 10, step: 'posted', erpRef: 'SO-1',
          detail: { lines: 2 }, event: { topic: 'order.posted', payload: { orderId: 'ord_1', erpRef: 'SO-1' } },
        });
        expect(moved).toBe(false);
        expect(await store.transitionOrder({ orderId: 'ord_1', from: ['received'], to: 'validated', now: T0 + 5, step: 'validated' }))
          .toBe(true);
        expect(await store.transitionOrder({
          orderId: 'ord_1', from: ['validated'], to: 'posted', now: T0 + 10, step: 'posted', erpRef: 'SO-1',
          detail: { lines: 2 }, event: { topic: 'order.posted', payload: { orderId: 'ord_1', erpRef: 'SO-1' } },
        })).toBe(true);

        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'posted', erpRef: 'SO-1', updatedAt: T0 + 10 });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'delivered', updatedAt: T0 + 10 });
        const steps = await store.listEvents('msg_1');
        expect(steps.map((e) => e.step)).toEqual(['received', 'validated', 'posted']);
        expect(steps[2]).toEqual({ seq: expect.any(Number), messageId: 'msg_1', at: T0 + 10, step: 'posted', outcome: 'ok', detail: { lines: 2 } });
        expect(await store.listOutbox(0, 10)).toEqual([
          { seq: expect.any(Number), topic: 'order.posted', key: 'ord_1', payload: { orderId: 'ord_1', erpRef: 'SO-1' }, createdAt: T0 + 10 },
        ]);
      });

      it('changes nothing when the order is no longer in one of the from states', async () => {
        await store.acceptOrder(orderInput('1'));
        const job = await claimOne(store, 'order.process', 'w1', T0);
        const moved = await store.transitionOrder({
          orderId: 'ord_1', from: ['validated', 'reserved'], to: 'posted', now: T0 + 1, step: 'posted', erpRef: 'SO-1',
          reason: null, event: { topic: 'order.posted', payload: {} },
          job: { id: job.id, leaseToken: token(job), outcome: 'complete' },
        });

        expect(moved).toBe(false);
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'received', erpRef: null, updatedAt: T0 });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'accepted' });
        expect((await store.listEvents('msg_1')).map((e) => e.step)).toEqual(['received']);
        expect(await store.listOutbox(0, 10)).toEqual([]);
        expect(await store.getJob(job.id)).toMatchObject({ status: 'running', leaseToken: job.leaseToken });
      });

      it('lets only one of two racing transitions from the same state through', async () => {
        await store.acceptOrder(orderInput('1'));
        const race = (step: string) => store.transitionOrder({
          orderId: 'ord_1', from: ['received'], to: 'validated', now: T0 + 1, step,
          event: { topic: 'order.validated', payload: { by: step } },
        });
        const results = await Promise.all([race('validated-a'), race('validated-b'), race('validated-c')]);

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listEvents('msg_1')).toHaveLength(2);
        expect(await store.listOutbox(0, 10)).toHaveLength(1);
      });

      it('records a held order’s reason as an error step, and clears it when given null', async () => {
        await store.acceptOrder(orderInput('1'));
        const reason = errorRecord('sku.unknown', 'SKU B-2 is not known');
        await store.transitionOrder({ orderId: 'ord_1', from: ['received'], to: 'held', now: T0 + 1, step: 'held', reason });

        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'held', reason });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'held' });
        expect((await store.listEvents('msg_1'))[1]).toMatchObject({ step: 'held', outcome: 'error', error: reason });

        await store.transitionOrder({ orderId: 'ord_1', from: ['held'], to: 'validated', now: T0 + 2, step: 'validated' });
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'validated', reason });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'processing' });

        await store.transitionOrder({ orderId: 'ord_1', from: ['validated'], to: 'failed', now: T0 + 3, step: 'failed', reason: null });
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'failed', reason: null });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'failed' });
        expect((await store.listEvents('msg_1'))[3]).toMatchObject({ step: 'failed', outcome: 'error' });
      });

      it('completes the job in the same transaction', async () => {
        await store.acceptOrder(orderInput('1'));
        const job = await claimOne(store, 'order.process', 'w1', T0);
        await store.transitionOrder({
          orderId: 'ord_1', from: ['received'], to: 'posted', now: T0 + 1, step: 'posted',
          job: { id: job.id, leaseToken: token(job), outcome: 'complete' },
        });
        expect(await store.getJob(job.id)).toMatchObject({ status: 'done' });
        expect(await store.completeJob(job.id, token(job))).toBe(false);
      });

      it('dead-letters the job with the reason in the same transaction', async () => {
        await store.acceptOrder(orderInput('1'));
        const job = await claimOne(store, 'order.process', 'w1', T0);
        const reason = errorRecord('customer.credit-hold');
        await store.transitionOrder({
          orderId: 'ord_1', from: ['received'], to: 'failed', now: T0 + 1, step: 'failed', reason,
          job: { id: job.id, leaseToken: token(job), outcome: 'dead' },
        });
        expect(await store.getJob(job.id)).toMatchObject({ status: 'dead', lastError: reason, updatedAt: T0 + 1 });
        expect(await store.listDeadLetters({ limit: 10 })).toEqual([{
          jobId: job.id, queue: 'order.process', correlationId: 'cor_1', subjectId: 'ord_1', attempts: 1, error: reason, deadAt: T0 + 1,
        }]);
      });

      it('finishes the job only under its current lease', async () => {
        await store.acceptOrder(orderInput('1'));
        const job = await claimOne(store, 'order.process', 'w1', T0);
        const moved = await store.transitionOrder({
          orderId: 'ord_1', from: ['received'], to: 'validated', now: T0 + 1, step: 'validated',
          job: { id: job.id, leaseToken: 'not-the-lease', outcome: 'complete' },
        });
        expect(moved).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({ status: 'running', leaseToken: job.leaseToken });
      });

      it('lists outbox events after a sequence number, in order', async () => {
        for (const n of ['1', '2', '3']) {
          await store.acceptOrder(orderInput(n));
          await store.transitionOrder({
            orderId: `ord_${n}`, from: ['received'], to: 'validated', now: T0 + 1, step: 'validated',
            event: { topic: 'order.validated', payload: { n } },
          });
        }
        const all = await store.listOutbox(0, 10);
        expect(all.map((e) => e.key)).toEqual(['ord_1', 'ord_2', 'ord_3']);
        expect(all[1]!.seq).toBeGreaterThan(all[0]!.seq);
        expect((await store.listOutbox(all[0]!.seq, 1)).map((e) => e.key)).toEqual(['ord_2']);
      });
    });

    describe('journal', () => {
      it('keeps each step’s optional fields, and only those given', async () => {
        await store.acceptOrder(orderInput('1'));
        const error = errorRecord('target.timeout', 'ERP did not answer in 10 s', { target: 'erp' });
        await store.appendEvent({
          messageId: 'msg_1', at: T0 + 1, step: 'erp.create', outcome: 'error', target: 'erp', attempt: 2,
          latencyMs: 10_000.5, error, payload: ['a', { b: 1 }], detail: { http: 504 },
        });
        await store.appendEvent({ messageId: 'msg_1', at: T0 + 2, step: 'note', outcome: 'info', payload: 'text' });

        const [received, attempt, note] = await store.listEvents('msg_1');
        expect(received!.seq).toBeLessThan(attempt!.seq);
        expect(attempt).toEqual({
          seq: expect.any(Number), messageId: 'msg_1', at: T0 + 1, step: 'erp.create', outcome: 'error', target: 'erp',
          attempt: 2, latencyMs: 10_000.5, error, payload: ['a', { b: 1 }], detail: { http: 504 },
        });
        expect(note).toEqual({ seq: expect.any(Number), messageId: 'msg_1', at: T0 + 2, step: 'note', outcome: 'info', payload: 'text' });
        expect(await store.listEvents('msg_other')).toEqual([]);
        expect(await store.getMessage('msg_other')).toBeUndefined();
      });

      it('finds a message by order id, channel order id, order number, PO number or correlation id', async () => {
        await store.acceptOrder({ ...orderInput('1'), orderNumber: 'SO-WEB-1', poNumber: 'PO-77-1' });
        await store.acceptOrder({ ...orderInput('2'), orderNumber: 'SO-WEB-2', poNumber: 'PO-77-2' });
        for (const text of ['ord_2', '#2', 'cor_2', 'SO-WEB-2', 'PO-77-2']) {
          const page = await store.searchMessages({ text, limit: 10 });
          expect(page.items.map((m) => m.id), text).toEqual(['msg_2']);
          expect(page.items[0]).not.toHaveProperty('raw');
        }
        expect((await store.searchMessages({ text: '#', limit: 10 })).items).toEqual([]);
      });

      it('filters by status, channel and a received-at window that includes from and excludes to', async () => {
        await store.acceptOrder(orderInput('1', { now: T0 }));
        await store.acceptOrder(orderInput('2', { now: T0 + 100, channel: 'b2b' }));
        await store.acceptOrder(orderInput('3', { now: T0 + 200 }));
        await store.transitionOrder({ orderId: 'ord_3', from: ['received'], to: 'held', now: T0 + 300, step: 'held' });
        const ids = async (q: Partial<Parameters<Store['searchMessages']>[0]>) =>
          (await store.searchMessages({ limit: 10, ...q })).items.map((m) => m.id);

        expect(await ids({})).toEqual(['msg_3', 'msg_2', 'msg_1']);
        expect(await ids({ status: 'held' })).toEqual(['msg_3']);
        expect(await ids({ status: 'accepted', channel: 'shop' })).toEqual(['msg_1']);
        expect(await ids({ channel: 'b2b' })).toEqual(['msg_2']);
        expect(await ids({ from: T0 + 100, to: T0 + 200 })).toEqual(['msg_2']);
        expect(await ids({ from: T0 + 100 })).toEqual(['msg_3', 'msg_2']);
      });

      it('pages through every message once, newest first, including messages received in the same millisecond', async () => {
        const times = [T0, T0, T0 + 1, T0 + 1, T0 + 1, T0 + 2, T0 + 3];
        for (const [i, now] of times.entries()) await store.acceptOrder(orderInput(String(i), { now }));
        const expected = (await store.searchMessages({ limit: 100 })).items.map((m) => m.id);
        expect(expected).toHaveLength(7);

        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.searchMessages({ limit: 3, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((m) => m.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        expect(pages).toBe(3);
        expect(seen).toEqual(expected);
        const receivedAt = (await store.searchMessages({ limit: 100 })).items.map((m) => m.receivedAt);
        expect(receivedAt).toEqual([...receivedAt].sort((a, b) => b - a));
      });

      it('gives no next page when the last page is exactly full', async () => {
        for (const n of ['1', '2', '3', '4']) await store.acceptOrder(orderInput(n));
        const first = await store.searchMessages({ limit: 2 });
        const second = await store.searchMessages({ limit: 2, cursor: first.nextCursor! });
        expect(second.items).toHaveLength(2);
        expect(second.nextCursor).toBeNull();
      });
    });

    describe('work queue', () => {
      it('claims due jobs oldest first, only from the queues asked, up to the limit', async () => {
        await enqueueJob(store, 'j_late', 'q.a', T0 - 1_000);
        await enqueueJob(store, 'j_early', 'q.a', T0 - 5_000);
        await enqueueJob(store, 'j_future', 'q.a', T0 + 1);
        await enqueueJob(store, 'j_other', 'q.b', T0 - 9_000);
        await enqueueJob(store, 'j_mid', 'q.a', T0 - 2_000);

        const claimed = await store.claimJobs({ queues: ['q.a'], workerId: 'w1', limit: 2, leaseMs: 30_000, now: T0 });
        expect(claimed.map((j) => j.id)).toEqual(['j_early', 'j_mid']);
        expect(claimed[0]).toMatchObject({
          status: 'running', attempts: 1, leaseOwner: 'w1', leaseExpiresAt: T0 + 30_000, updatedAt: T0, payload: { n: 'j_early' },
        });
        expect(claimed[0]!.leaseToken).toEqual(expect.any(String));
        expect(claimed[0]!.leaseToken).not.toEqual(claimed[1]!.leaseToken);

        const rest = await store.claimJobs({ queues: ['q.a'], workerId: 'w1', limit: 10, leaseMs: 30_000, now: T0 });
        expect(rest.map((j) => j.id)).toEqual(['j_late']);
        const both = await store.claimJobs({ queues: ['q.a', 'q.b'], workerId: 'w1', limit: 10, leaseMs: 30_000, now: T0 + 1 });
        expect(both.map((j) => j.id)).toEqual(['j_other', 'j_future']);
      });

      it('claims a job only once when several workers race', async () => {
        for (let i = 0; i < 40; i++) await enqueueJob(store, `j_${String(i).padStart(2, '0')}`, 'q', T0 - 1_000 + i);
        const worker = async (workerId: string): Promise<string[]> => {
          const mine: string[] = [];
          for (;;) {
            const jobs = await store.claimJobs({ queues: ['q'], workerId, limit: 3, leaseMs: 60_000, now: T0 });
            if (jobs.length === 0) return mine;
            mine.push(...jobs.map((j) => j.id));
          }
        };
        const perWorker = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'].map(worker));
        const all = perWorker.flat();

        expect(all).toHaveLength(40);
        expect(new Set(all).size).toBe(40);
        expect(await queueOf(store, 'q')).toMatchObject({ queued: 0, running: 40 });
      });

      it('takes over a job whose lease expired, and the old holder can no longer finish it', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        const first = await claimOne(store, 'q', 'w1', T0, 1_000);
        expect(await store.claimJobs({ queues: ['q'], workerId: 'w2', limit: 1, leaseMs: 1_000, now: T0 + 999 })).toEqual([]);

        const second = await claimOne(store, 'q', 'w2', T0 + 1_000, 1_000);
        expect(second).toMatchObject({ id: 'j1', attempts: 2, leaseOwner: 'w2', leaseExpiresAt: T0 + 2_000 });
        expect(second.leaseToken).not.toEqual(first.leaseToken);
        expect(await store.completeJob('j1', token(first))).toBe(false);
        expect(await store.retryJob('j1', token(first), { runAt: T0, error: errorRecord('target.timeout'), countAttempt: true, now: T0 })).toBe(false);
        expect(await store.deadLetterJob('j1', token(first), errorRecord('internal.defect'), T0)).toBe(false);
        expect(await store.extendLease('j1', token(first), T0 + 9_000)).toBe(false);
        expect(await store.completeJob('j1', token(second))).toBe(true);
        expect(await store.getJob('j1')).toMatchObject({ status: 'done' });
      });

      it('keeps a job from being taken over while its lease is extended', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        const job = await claimOne(store, 'q', 'w1', T0, 1_000);
        expect(await store.extendLease('j1', token(job), T0 + 5_000)).toBe(true);
        expect(await store.claimJobs({ queues: ['q'], workerId: 'w2', limit: 1, leaseMs: 1_000, now: T0 + 4_999 })).toEqual([]);
        expect(await store.getJob('j1')).toMatchObject({ leaseOwner: 'w1', leaseExpiresAt: T0 + 5_000 });
      });

      it('does not finish a job under a token that is not its lease', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        await claimOne(store, 'q', 'w1', T0);
        expect(await store.completeJob('j1', 'forged')).toBe(false);
        expect(await store.completeJob('missing', 'forged')).toBe(false);
        expect(await store.getJob('j1')).toMatchObject({ status: 'running' });
        expect(await store.getJob('missing')).toBeUndefined();
      });

      it('puts a retried job back at its run time with its error, and gives back an attempt that did not count', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        const error = errorRecord('target.rate-limited');
        const first = await claimOne(store, 'q', 'w1', T0);
        expect(await store.retryJob('j1', token(first), { runAt: T0 + 500, error, countAttempt: false, now: T0 + 1 })).toBe(true);
        expect(await store.getJob('j1')).toMatchObject({
          status: 'queued', attempts: 0, runAt: T0 + 500, lastError: error, leaseOwner: null, leaseToken: null,
          leaseExpiresAt: null, updatedAt: T0 + 1,
        });
        expect(await store.claimJobs({ queues: ['q'], workerId: 'w1', limit: 1, leaseMs: 1_000, now: T0 + 499 })).toEqual([]);

        const second = await claimOne(store, 'q', 'w1', T0 + 500);
        expect(second.attempts).toBe(1);
        await store.retryJob('j1', token(second), { runAt: T0 + 900, error, countAttempt: true, now: T0 + 501 });
        expect(await store.getJob('j1')).toMatchObject({ status: 'queued', attempts: 1 });
        expect((await claimOne(store, 'q', 'w1', T0 + 900)).attempts).toBe(2);
      });

      it('moves a job to the dead letters with its reason', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        const job = await claimOne(store, 'q', 'w1', T0);
        const error = errorRecord('erp.rejected', 'ERP refused the document');
        expect(await store.deadLetterJob('j1', token(job), error, T0 + 7)).toBe(true);
        expect(await store.getJob('j1')).toMatchObject({ status: 'dead', lastError: error, updatedAt: T0 + 7, leaseToken: null });
        expect(await store.claimJobs({ queues: ['q'], workerId: 'w1', limit: 1, leaseMs: 1_000, now: T0 + 1e9 })).toEqual([]);
      });

      it('gives back only the releasing worker’s leases, uncounted and due at once', async () => {
        for (const id of ['j1', 'j2', 'j3']) await enqueueJob(store, id, 'q', T0);
        await store.claimJobs({ queues: ['q'], workerId: 'w1', limit: 2, leaseMs: 60_000, now: T0 });
        await claimOne(store, 'q', 'w2', T0);

        expect(await store.releaseLeases('w1', T0 + 10)).toBe(2);
        expect(await store.getJob('j1')).toMatchObject({ status: 'queued', attempts: 0, runAt: T0 + 10, leaseOwner: null, leaseToken: null });
        expect(await store.getJob('j3')).toMatchObject({ status: 'running', leaseOwner: 'w2' });
        expect(await store.releaseLeases('w1', T0 + 11)).toBe(0);
      });

      it('counts queued, running, retrying and dead jobs and the age of the oldest due job per queue', async () => {
        await enqueueJob(store, 'a1', 'q.a', T0 - 5_000);
        await enqueueJob(store, 'a2', 'q.a', T0 - 1_000);
        await enqueueJob(store, 'a3', 'q.a', T0 + 60_000);
        await enqueueJob(store, 'b1', 'q.b', T0 - 3_000);
        await enqueueJob(store, 'b2', 'q.b', T0 - 4_000);
        const a1 = await claimOne(store, 'q.a', 'w1', T0);
        await store.retryJob('a1', token(a1), { runAt: T0 - 2_000, error: errorRecord('target.timeout'), countAttempt: true, now: T0 });
        await claimOne(store, 'q.a', 'w1', T0); // a1 again (oldest due); a2 stays queued
        const b2 = await claimOne(store, 'q.b', 'w1', T0);
        await store.deadLetterJob(b2.id, token(b2), errorRecord('erp.rejected'), T0);

        const stats = await store.queueStats(T0);
        expect(stats.find((s) => s.queue === 'q.a')).toEqual({ queue: 'q.a', queued: 2, running: 1, dead: 0, retrying: 0, oldestAgeMs: 1_000 });
        expect(stats.find((s) => s.queue === 'q.b')).toEqual({ queue: 'q.b', queued: 1, running: 0, dead: 1, retrying: 0, oldestAgeMs: 3_000 });

        await enqueueJob(store, 'c1', 'q.c', T0);
        const c1 = await claimOne(store, 'q.c', 'w1', T0);
        await store.retryJob('c1', token(c1), { runAt: T0 + 1_000, error: errorRecord('target.timeout'), countAttempt: true, now: T0 });
        expect((await store.queueStats(T0)).find((s) => s.queue === 'q.c'))
          .toEqual({ queue: 'q.c', queued: 1, running: 0, dead: 0, retrying: 1, oldestAgeMs: 0 });
      });
    });

    describe('dead letters', () => {
      it("lists one order's dead jobs only, when asked by subject", async () => {
        for (const [id, orderId] of [['ja', 'ord_A'], ['jb', 'ord_B']] as const) {
          await store.enqueue({ id, queue: 'q', payload: { orderId }, correlationId: `cor_${id}`, runAt: T0, maxAttempts: 5, now: T0 });
          const job = await claimOne(store, 'q', 'w1', T0);
          await store.deadLetterJob(job.id, token(job), errorRecord('sku.unknown'), T0);
        }
        expect((await store.listDeadLetters({ subjectId: 'ord_A', limit: 10 })).map((d) => [d.jobId, d.subjectId])).toEqual([['ja', 'ord_A']]);
      });

      it('lists dead jobs newest first, by error code, up to the limit', async () => {
        const codes: ErrorCode[] = ['erp.rejected', 'sku.unknown', 'erp.rejected'];
        for (const [i, code] of codes.entries()) {
          await enqueueJob(store, `j${i}`, 'q', T0);
          const job = await claimOne(store, 'q', 'w1', T0);
          await store.deadLetterJob(job.id, token(job), errorRecord(code), T0 + i);
        }
        expect((await store.listDeadLetters({ limit: 10 })).map((d) => d.jobId)).toEqual(['j2', 'j1', 'j0']);
        expect((await store.listDeadLetters({ code: 'erp.rejected', limit: 10 })).map((d) => d.jobId)).toEqual(['j2', 'j0']);
        expect((await store.listDeadLetters({ limit: 1 })).map((d) => d.jobId)).toEqual(['j2']);
        expect((await store.listDeadLetters({ limit: 10 }))[2]).toEqual({
          jobId: 'j0', queue: 'q', correlationId: 'cor_j0', subjectId: null, attempts: 1, error: errorRecord('erp.rejected'), deadAt: T0,
        });
      });

      it('replays a dead order job: fresh attempts, due now, and the order back to received', async () => {
        await store.acceptOrder(orderInput('1'));
        const job = await claimOne(store, 'order.process', 'w1', T0);
        const reason = errorRecord('customer.unknown');
        await store.transitionOrder({
          orderId: 'ord_1', from: ['received'], to: 'failed', now: T0 + 1, step: 'failed', reason,
          job: { id: job.id, leaseToken: token(job), outcome: 'dead' },
        });

        const replayed = await store.replayDeadLetter(job.id, T0 + 60_000);
        expect(replayed).toMatchObject({
          id: job.id, status: 'queued', attempts: 0, runAt: T0 + 60_000, leaseOwner: null, leaseToken: null, leaseExpiresAt: null,
        });
        expect(await store.getJob(job.id)).toEqual(replayed);
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'received', reason: null, updatedAt: T0 + 60_000 });
        expect((await store.listEvents('msg_1')).at(-1)).toMatchObject({ step: 'replayed', at: T0 + 60_000 });
        expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
        expect((await claimOne(store, 'order.process', 'w2', T0 + 60_000)).attempts).toBe(1);
      });

      it('replays a job only while it is dead', async () => {
        await enqueueJob(store, 'j1', 'q', T0);
        expect(await store.replayDeadLetter('j1', T0)).toBeUndefined();
        expect(await store.replayDeadLetter('missing', T0)).toBeUndefined();
        const job = await claimOne(store, 'q', 'w1', T0);
        await store.deadLetterJob('j1', token(job), errorRecord('erp.rejected'), T0);
        const replays = await Promise.all([store.replayDeadLetter('j1', T0 + 1), store.replayDeadLetter('j1', T0 + 1)]);
        expect(replays.filter((r) => r !== undefined)).toHaveLength(1);
      });
    });

    describe('shared rate budget', () => {
      const slot = (target: string, now: number, over: Partial<Parameters<Store['reserveRateSlot']>[0]> = {}) =>
        store.reserveRateSlot({ target, intervalMs: 100, burst: 1, maxWaitMs: 60_000, now, ...over });

      it('spaces calls by the interval when there is no burst', async () => {
        expect(await slot('erp', T0)).toEqual({ granted: true, at: T0 });
        expect(await slot('erp', T0)).toEqual({ granted: true, at: T0 + 100 });
        expect(await slot('erp', T0 + 150)).toEqual({ granted: true, at: T0 + 200 });
        expect(await slot('erp', T0 + 1_000)).toEqual({ granted: true, at: T0 + 1_000 });
        expect(await slot('other', T0)).toEqual({ granted: true, at: T0 });
      });

      it('grants the burst at once, then one call per interval, and regains it when idle', async () => {
        const burst = { burst: 3 };
        const ats = [];
        for (let i = 0; i < 5; i++) ats.push(await slot('erp', T0, burst));
        expect(ats).toEqual([T0, T0, T0, T0 + 100, T0 + 200].map((at) => ({ granted: true, at })));
        const later = [];
        for (let i = 0; i < 4; i++) later.push(await slot('erp', T0 + 10_000, burst));
        expect(later.map((s) => s.granted && s.at)).toEqual([T0 + 10_000, T0 + 10_000, T0 + 10_000, T0 + 10_100]);
      });

      it('refuses a slot further away than the caller will wait, and keeps the schedule as it was', async () => {
        const wait = { maxWaitMs: 150 };
        await slot('erp', T0, wait);
        await slot('erp', T0, wait);
        expect(await slot('erp', T0, wait)).toEqual({ granted: false, retryInMs: 200 });
        expect(await slot('erp', T0 + 50, wait)).toEqual({ granted: true, at: T0 + 200 });
      });

      it('hands out distinct slots, one interval apart, to concurrent callers', async () => {
        const slots = await Promise.all(Array.from({ length: 20 }, () => slot('erp', T0)));
        const ats = slots.map((s) => (s.granted ? s.at : -1)).sort((a, b) => a - b);
        expect(ats).toEqual(Array.from({ length: 20 }, (_, i) => T0 + i * 100));
      });

      it('grants concurrent callers only the slots within their wait', async () => {
        const slots = await Promise.all(Array.from({ length: 20 }, () => slot('erp', T0, { maxWaitMs: 450 })));
        const granted = slots.flatMap((s) => (s.granted ? [s.at] : [])).sort((a, b) => a - b);
        expect(granted).toEqual([T0, T0 + 100, T0 + 200, T0 + 300, T0 + 400]);
        expect(slots.filter((s) => !s.granted).every((s) => !s.granted && s.retryInMs >= 500)).toBe(true);
      });

      it('starts no call before a deferral ends, whatever the burst', async () => {
        await store.deferRate('erp', T0 + 5_000);
        expect(await slot('erp', T0)).toEqual({ granted: true, at: T0 + 5_000 });
        await store.deferRate('bursty', T0 + 5_000);
        const first = await slot('bursty', T0, { burst: 3 });
        expect(first.granted && first.at).toBeGreaterThanOrEqual(T0 + 5_000);
        expect(await slot('erp', T0, { maxWaitMs: 1_000 })).toEqual({ granted: false, retryInMs: 5_100 });
      });

      it('never moves the schedule back when deferred to an earlier time', async () => {
        for (let i = 0; i < 3; i++) await slot('erp', T0);
        await store.deferRate('erp', T0 + 100);
        expect(await slot('erp', T0)).toEqual({ granted: true, at: T0 + 300 });
      });

      it('grants slots on whole milliseconds when the interval is not one', async () => {
        const ats: number[] = [];
        for (let i = 0; i < 4; i++) {
          const s = await slot('erp', T0, { intervalMs: 1_000 / 3 });
          if (s.granted) ats.push(s.at);
        }
        expect(ats.every(Number.isInteger)).toBe(true);
        expect(ats[0]).toBe(T0);
        expect(ats[3]! - ats[0]!).toBeGreaterThanOrEqual(1_000);
        expect(ats[3]! - ats[0]!).toBeLessThanOrEqual(1_001);
      });
    });
  });
}

/** A fixed, realistic clock reading: far beyond 32-bit, as real epoch milliseconds are. */
const T0 = 1_714_557_600_000;

export function orderInput(n: string, overrides: Partial<AcceptOrderInput> = {}): AcceptOrderInput {
  const orderId = `ord_${n}`;
  const correlationId = `cor_${n}`;
  return {
    orderId, messageId: `msg_${n}`, jobId: `job_${n}`, correlationId, channel: 'shop', channelOrderId: `#${n}`,
    idempotencyKeys: [`shop:#${n}`], requestHash: `hash_${n}`, raw: `{"id":"${n}","note":"raw bytes, kept as sent"}`,
    canonical: { id: orderId, lines: [{ sku: 'A-1', quantity: { value: '2', uom: 'EA' } }, { sku: 'B-2', quantity: { value: '1', uom: 'EA' } }] },
    response: { orderId, correlationId, status: 'received' satisfies OrderState, location: `/v1/orders/${orderId}` },
    sourceTimestamp: '2024-05-01T10:00:00Z', customerAccount: 'C-100', now: T0, maxAttempts: 5,
    ...overrides,
  };
}

function errorRecord(code: ErrorCode, message?: string, options: { target?: string } = {}): ErrorRecord {
  return toErrorRecord(new CrossdockError(code, message, options));
}

async function enqueueJob(store: Store, id: string, queue: string, runAt: number): Promise<void> {
  const job: NewJob = { id, queue, payload: { n: id }, correlationId: `cor_${id}`, runAt, maxAttempts: 5, now: T0 - 10_000 };
  await store.enqueue(job);
}

async function claimOne(store: Store, queue: string, workerId: string, now: number, leaseMs = 30_000): Promise<Job> {
  const [job] = await store.claimJobs({ queues: [queue], workerId, limit: 1, leaseMs, now });
  if (!job) throw new Error(`no job to claim in ${queue} at ${now}`);
  return job;
}

function token(job: Job): string {
  if (job.leaseToken === null) throw new Error(`job ${job.id} holds no lease`);
  return job.leaseToken;
}

async function queueOf(store: Store, queue: string) {
  return (await store.queueStats(T0)).find((s) => s.queue === queue);
}
