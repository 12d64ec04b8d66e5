import { describe, expect, it } from 'vitest';
import type { SentGroupInput, Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = 1_714_557_600_000;

function group(n: string, overrides: Partial<SentGroupInput> = {}): SentGroupInput {
  return {
    partner: 'acme', groupControlNumber: n, functionalId: 'SH', interchangeControlNumber: `00000000${n}`, messageId: `msg_${n}`,
    sentAt: T0, ackDueAt: T0 + 86_400_000, ...overrides,
  };
}

/** EDI control numbers and 997 reconciliation: the same in every Store. */
export function storeEdiSuite(name: string, open: OpenStore): void {
  describe(`${name} store: EDI`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('hands out control numbers from 1, per sequence, never the same twice even when asked at once', async () => {
      expect(await store.nextControlNumber('acme:isa', T0)).toBe(1);
      expect(await store.nextControlNumber('acme:isa', T0)).toBe(2);
      expect(await store.nextControlNumber('globex:isa', T0)).toBe(1);
      const burst = await Promise.all(Array.from({ length: 30 }, () => store.nextControlNumber('acme:gs', T0)));
      expect(new Set(burst).size).toBe(30);
      expect(Math.max(...burst)).toBe(30);
    });

    it('matches a 997 to the group it acknowledges, per partner', async () => {
      await store.recordSentGroup(group('7'));
      await store.recordSentGroup(group('7', { partner: 'globex' }));

      const acked = await store.recordGroupAck('acme', '7', 'accepted', 'msg_997', T0 + 1000);

      expect(acked).toMatchObject({ partner: 'acme', groupControlNumber: '7', ackStatus: 'accepted', ackedAt: T0 + 1000, ackMessageId: 'msg_997' });
      expect(await store.recordGroupAck('acme', '8', 'accepted', 'msg_997', T0)).toBeUndefined();
      expect((await store.listOverdueGroups(T0 + 2 * 86_400_000, 10)).map((g) => g.partner)).toEqual(['globex']);
    });

    it('lists sent groups whose 997 is overdue, oldest deadline first', async () => {
      await store.recordSentGroup(group('1', { ackDueAt: T0 + 5000 }));
      await store.recordSentGroup(group('2', { ackDueAt: T0 + 1000 }));
      await store.recordSentGroup(group('3', { ackDueAt: T0 + 9000 }));
      expect((await store.listOverdueGroups(T0 + 6000, 10)).map((g) => g.groupControlNumber)).toEqual(['2', '1']);
      expect(await store.listOverdueGroups(T0, 10)).toEqual([]);
    });
  });
}
