import { describe, expect, it } from 'vitest';
import { CrossdockError, toErrorRecord } from '../../src/errors/crossdock-error.js';
import type { AcceptOrderVersionInput, Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = 1_714_557_600_000;

function version(n: string, updatedAt: string, overrides: Partial<AcceptOrderVersionInput> = {}): AcceptOrderVersionInput {
  const orderId = `ord_${n}`;
  return {
    orderId, messageId: `msg_${n}`, jobId: `job_${n}`, correlationId: `cor_${n}`, channel: 'shopify-us', channelOrderId: '4501',
    idempotencyKeys: ['order:shopify-us:4501'], requestHash: `hash_${n}`, raw: `{"id":4501,"v":"${n}"}`,
    canonical: { id: orderId, lines: [{ sku: 'A-1', quantity: Number(n.replace(/\D/g, '') || 1) }] },
    response: { orderId, correlationId: `cor_${n}`, status: 'received', location: `/v1/orders/${orderId}` },
    sourceTimestamp: updatedAt, customerAccount: 'C-100', now: T0, maxAttempts: 5, channelUpdatedAt: updatedAt,
    ...overrides,
  };
}

/** Channel order versions, inbound records and polling cursors: the same in every Store. */
export function storeChannelSuite(name: string, open: OpenStore): void {
  describe(`${name} store: channel documents`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    describe('order versions', () => {
      it('accepts the first version as a new order', async () => {
        const first = version('1', '2026-11-20T10:00:00Z');
        expect(await store.acceptOrderVersion(first)).toEqual({ outcome: 'accepted', response: first.response });
        expect(await store.getOrder('ord_1')).toMatchObject({ state: 'received', messageId: 'msg_1', canonical: first.canonical });
        expect((await store.getJob('job_1'))?.queue).toBe('order.process');
      });

      it('takes a newer version as a revision: new message, new canonical, a revise job', async () => {
        await store.acceptOrderVersion(version('1', '2026-11-20T10:00:00Z'));
        const second = version('2', '2026-11-20T10:05:00+00:00', { now: T0 + 1000 });

        const result = await store.acceptOrderVersion(second);

        expect(result).toEqual({ outcome: 'revised', response: { orderId: 'ord_1', correlationId: 'cor_1', status: 'received', location: '/v1/orders/ord_1' } });
        // The new version is the order's canonical, under the order's own id (the ERP's external reference).
        expect(await store.getOrder('ord_1')).toMatchObject({ messageId: 'msg_2', canonical: { ...(second.canonical as object), id: 'ord_1' }, updatedAt: T0 + 1000 });
        expect(await store.getOrder('ord_2')).toBeUndefined();
        expect(await store.getMessage('msg_2')).toMatchObject({ subjectId: 'ord_1', raw: second.raw, kind: 'order' });
        expect((await store.listEvents('msg_2')).map((e) => e.step)).toEqual(['revised']);
        expect((await store.listEvents('msg_1')).map((e) => e.step)).toEqual(['received', 'superseded']);
        expect(await store.getJob('job_2')).toMatchObject({ queue: 'order.revise', payload: { orderId: 'ord_1', messageId: 'msg_2' } });
        expect(await store.countersSnapshot()).toMatchObject({ 'orders_accepted:shopify-us': 1, 'orders_revised:shopify-us': 1 });
      });

      it('ignores a version that is older than or as old as the stored one (out-of-order webhooks)', async () => {
        await store.acceptOrderVersion(version('2', '2026-11-20T10:05:00Z'));

        const older = await store.acceptOrderVersion(version('1', '2026-11-20T10:00:00Z'));
        const same = await store.acceptOrderVersion(version('3', '2026-11-20T11:05:00+01:00'));

        expect(older.outcome).toBe('stale');
        expect(same.outcome).toBe('stale');
        expect(older.response.orderId).toBe('ord_2');
        expect(await store.getOrder('ord_2')).toMatchObject({ messageId: 'msg_2' });
        expect(await store.getMessage('msg_1')).toBeUndefined();
        expect(await store.getJob('job_1')).toBeUndefined();
        expect(await store.countersSnapshot()).toMatchObject({ duplicates_suppressed: 2 });
      });

      it('settles concurrent versions of one order on the newest, with exactly one order', async () => {
        const times = ['10:00', '10:03', '10:01', '10:04', '10:02'].map((t) => `2026-11-20T${t}:00Z`);
        const results = await Promise.all(times.map((t, i) => store.acceptOrderVersion(version(String(i + 1), t))));

        expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
        const orderIds = new Set(results.map((r) => r.response.orderId));
        expect(orderIds.size).toBe(1);
        const order = await store.getOrder([...orderIds][0]!);
        expect(order?.messageId).toBe('msg_4');
      });
    });

    describe('inbound records', () => {
      const delivery = (n: string, key?: string) => ({
        messageId: `msg_${n}`, correlationId: `cor_${n}`, source: 'shopify-us', kind: 'webhook', channelRef: 'orders/create',
        raw: `{"id":${n}}`, status: 'accepted' as const, now: T0,
        ...(key ? { idempotencyKey: key } : {}),
        job: { id: `job_${n}`, queue: 'channel.delivery', payload: { instance: 'shopify-us' }, correlationId: `cor_${n}`, runAt: T0, maxAttempts: 5, now: T0 },
      });

      it('journals the document and enqueues its job together; the job payload names the message', async () => {
        expect(await store.recordInbound(delivery('1', 'webhook:shopify-us:d-1'))).toEqual({ outcome: 'accepted', messageId: 'msg_1' });
        expect(await store.getMessage('msg_1')).toMatchObject({ source: 'shopify-us', kind: 'webhook', status: 'accepted', raw: '{"id":1}', channelRef: 'orders/create' });
        expect(await store.getJob('job_1')).toMatchObject({ queue: 'channel.delivery', payload: { instance: 'shopify-us', messageId: 'msg_1' } });
      });

      it('answers a redelivery with the first message and writes nothing', async () => {
        await store.recordInbound(delivery('1', 'webhook:shopify-us:d-1'));
        expect(await store.recordInbound(delivery('2', 'webhook:shopify-us:d-1'))).toEqual({ outcome: 'duplicate', messageId: 'msg_1' });
        expect(await store.getMessage('msg_2')).toBeUndefined();
        expect(await store.getJob('job_2')).toBeUndefined();
      });

      it('records exactly one of concurrent deliveries with the same key', async () => {
        const results = await Promise.all(['1', '2', '3', '4'].map((n) => store.recordInbound(delivery(n, 'webhook:shopify-us:same'))));
        expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
        expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
      });

      it('journals a document crossdock produced as outbound', async () => {
        const { job: _job, ...rest } = delivery('9');
        await store.recordInbound({ ...rest, direction: 'outbound', kind: 'edi-out', idempotencyKey: 'edi-ack:acme:000000905' });
        expect(await store.getMessage('msg_9')).toMatchObject({ direction: 'outbound', kind: 'edi-out' });
      });

      it('journals a rejected document with its error and no job', async () => {
        const error = toErrorRecord(new CrossdockError('webhook.signature-invalid', 'X-Shopify-Hmac-Sha256 does not match'));
        const { job: _job, ...rest } = delivery('1');
        await store.recordInbound({ ...rest, status: 'rejected', error });
        expect(await store.getMessage('msg_1')).toMatchObject({ status: 'rejected' });
        expect(await store.listEvents('msg_1')).toEqual([expect.objectContaining({ step: 'rejected', outcome: 'error', error })]);
        expect(await store.countersSnapshot()).toMatchObject({ 'inbound_rejected:webhook:shopify-us': 1 });
      });
    });

    describe('cursors', () => {
      it('keeps a cursor per name and replaces it', async () => {
        expect(await store.getCursor('poll:shopify-us')).toBeUndefined();
        await store.setCursor('poll:shopify-us', '2026-11-20T10:00:00Z', T0);
        await store.setCursor('poll:amazon-eu', 'token-1', T0);
        await store.setCursor('poll:shopify-us', '2026-11-20T10:05:00Z', T0 + 1);
        expect(await store.getCursor('poll:shopify-us')).toBe('2026-11-20T10:05:00Z');
        expect(await store.getCursor('poll:amazon-eu')).toBe('token-1');
      });
    });
  });
}
