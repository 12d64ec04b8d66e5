import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { PollPage } from '../../channels/types.js';
import { startAdobeCommerceFake, type AdobeCommerceFake } from '../../../test/fakes/adobe-commerce/server.js';
import { decodeCursor, encodeCursor } from './polling.js';
import { connectorFor, ctx, orderAt } from '../../../test/fakes/adobe-commerce/harness.js';

let fake: AdobeCommerceFake;
beforeEach(async () => { fake = await startAdobeCommerceFake(); });
afterEach(async () => fake.close());

async function pages(cursor: string | undefined, settings = {}): Promise<PollPage[]> {
  const all: PollPage[] = [];
  for await (const page of connectorFor(fake, { pollStartAt: '2024-05-01T00:00:00Z', ...settings }).polling!.poll(cursor, ctx)) all.push(page);
  return all;
}
const ids = (all: PollPage[]) => all.flatMap((p) => p.documents.map((d) => d.channelOrderId));
const fromValues = () => fake.callsTo('/V1/orders').map((c) => [c.query['searchCriteria[filter_groups][0][filters][0][value]'], c.query['searchCriteria[currentPage]']]);

describe('Adobe Commerce polling', () => {
  it('reads every order once, oldest first, even when one second spans a page boundary', async () => {
    fake.seedOrders([
      orderAt(1, '2024-05-01 10:00:00'), orderAt(2, '2024-05-01 10:05:00'), orderAt(3, '2024-05-01 10:05:00'),
      orderAt(4, '2024-05-01 10:05:00'), orderAt(5, '2024-05-01 10:07:00'),
    ]);
    const all = await pages(undefined, { pageSize: 2 });
    expect(ids(all)).toEqual(['1', '2', '3', '4', '5']);
    expect(all.map((p) => [p.cursor, p.done])).toEqual([
      ['2024-05-01T10:05:00Z|2', false],
      ['2024-05-01T10:05:00Z|3', false],
      ['2024-05-01T10:07:00Z|5', true],
    ]);
    expect(all[0]!.documents[0]).toMatchObject({ channelOrderId: '1', updatedAt: '2024-05-01T10:00:00Z', document: { entity_id: 1, increment_id: '000000001' } });
    // Key-set paging: each page starts at the last order's second, sorted by updated_at then entity_id.
    expect(fromValues()).toEqual([['2024-05-01 00:00:00', '1'], ['2024-05-01 10:05:00', '1'], ['2024-05-01 10:05:00', '2']]);
    expect(fake.callsTo('/V1/orders')[0]!.query).toMatchObject({
      'searchCriteria[filter_groups][0][filters][0][field]': 'updated_at',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'gteq',
      'searchCriteria[sortOrders][0][field]': 'updated_at',
      'searchCriteria[sortOrders][0][direction]': 'ASC',
      'searchCriteria[pageSize]': '2',
    });
  });

  it('walks a page full of one second by page number, and stops by total_count (Magento repeats the last page past the end)', async () => {
    fake.seedOrders([1, 2, 3, 4].map((n) => orderAt(n, '2024-05-01 10:00:00')));
    const all = await pages(undefined, { pageSize: 2 });
    expect(ids(all)).toEqual(['1', '2', '3', '4']);
    expect(all.at(-1)).toMatchObject({ cursor: '2024-05-01T10:00:00Z|4', done: true });
    expect(fromValues().map(([, page]) => page)).toEqual(['1', '2']);
  });

  it('does not skip an unread order when a read one is saved again during the poll', async () => {
    fake.seedOrders([orderAt(1, '2024-05-01 10:00:00'), orderAt(2, '2024-05-01 10:01:00'), orderAt(3, '2024-05-01 10:02:00'), orderAt(4, '2024-05-01 10:03:00')]);
    const seen: string[] = [];
    for await (const page of connectorFor(fake, { pollStartAt: '2024-05-01T00:00:00Z', pageSize: 2 }).polling!.poll(undefined, ctx)) {
      seen.push(...page.documents.map((d) => d.channelOrderId));
      // Order 1 is edited in the admin: it moves to the end of the listing.
      if (seen.length === 2) fake.touchOrder(1, '2024-05-01 10:09:00');
    }
    expect(seen).toEqual(['1', '2', '3', '4', '1']);
  });

  it('starts the next poll at the cursor minus the overlap', async () => {
    fake.seedOrders([orderAt(7, '2024-05-01 09:59:00'), orderAt(8, '2024-05-01 10:03:00')]);
    const all = await pages('2024-05-01T10:00:00Z|7', { overlapSeconds: 120 });
    expect(fromValues()).toEqual([['2024-05-01 09:58:00', '1']]);
    expect(ids(all)).toEqual(['7', '8']);
    expect(all).toMatchObject([{ cursor: '2024-05-01T10:03:00Z|8', done: true }]);
  });

  it('answers an empty store with one empty page that keeps the start as cursor', async () => {
    const all = await pages(undefined);
    expect(all).toEqual([{ documents: [], cursor: '2024-05-01T00:00:00Z|0', done: true }]);
  });

  it('looks back one hour on a first poll without pollStartAt', async () => {
    const before = Date.now();
    await pages(undefined, { pollStartAt: undefined });
    const from = Date.parse(`${fromValues()[0]![0]!.replace(' ', 'T')}Z`);
    expect(from).toBeGreaterThanOrEqual(before - 3_600_000 - 1000);
    expect(from).toBeLessThanOrEqual(Date.now() - 3_600_000);
  });

  it('waits out a 429 with Retry-After and retries a 5xx', async () => {
    fake.seedOrders([orderAt(1, '2024-05-01 10:00:00')]);
    fake.knobs.throttle(1, 1);
    expect(ids(await pages(undefined))).toEqual(['1']);
    fake.knobs.fail(2, 503);
    expect(ids(await pages(undefined))).toEqual(['1']);
    expect(fake.callsTo('/V1/orders').map((c) => c.status)).toEqual([429, 200, 503, 503, 200]);
  });

  it('turns a refused token into channel.unauthorized with Magento\'s message rendered', async () => {
    const connector = connectorFor(fake, { accessToken: 'revoked' });
    const error = await (async () => {
      try {
        for await (const _ of connector.polling!.poll(undefined, ctx)) { /* drain */ }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CrossdockError);
    expect(error).toMatchObject({ code: 'channel.unauthorized' });
    expect((error as Error).message).toContain("The consumer isn't authorized to access Magento_Sales::actions_view.");
  });

  it('encodes and decodes the cursor', () => {
    expect(encodeCursor({ updatedAtMs: Date.parse('2024-05-01T10:15:24Z'), entityId: 1001 })).toBe('2024-05-01T10:15:24Z|1001');
    expect(decodeCursor('2024-05-01T10:15:24Z|1001')).toEqual({ updatedAtMs: Date.parse('2024-05-01T10:15:24Z'), entityId: 1001 });
    expect(decodeCursor('garbage')).toBeUndefined();
  });
});
