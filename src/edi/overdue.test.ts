import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../errors/crossdock-error.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Job, Store } from '../store/types.js';
import { EDI_ACK_OVERDUE_QUEUE, ediAckOverdueHandler, ediOverdueScanHandler } from './overdue.js';
import type { EdiDeps } from './runtime.js';

const T0 = 1_714_557_600_000;
const jobCtx = { workerId: 'w', signal: new AbortController().signal };

describe('overdue 997s', () => {
  let dir: string;
  let store: Store;
  let deps: EdiDeps;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossdock-overdue-'));
    store = await openSqliteStore({ file: join(dir, 'store.db') });
    deps = { store, clock: { now: () => T0 + 10 * 3_600_000 }, maxAttempts: 3, partners: new Map(), identity: { isaQualifier: 'ZZ', isaId: 'CROSSDOCK', gsId: 'CROSSDOCK' } };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises one exception per unacknowledged group past its window, naming partner and control numbers', async () => {
    await store.recordSentGroup({ partner: 'acme', groupControlNumber: '12', functionalId: 'SH', interchangeControlNumber: '000000012', messageId: 'msg_1', sentAt: T0, ackDueAt: T0 + 3_600_000 });
    await store.recordSentGroup({ partner: 'acme', groupControlNumber: '13', functionalId: 'IN', interchangeControlNumber: '000000013', messageId: 'msg_2', sentAt: T0, ackDueAt: T0 + 48 * 3_600_000 });
    await store.recordSentGroup({ partner: 'acme', groupControlNumber: '14', functionalId: 'PR', interchangeControlNumber: '000000014', messageId: 'msg_3', sentAt: T0, ackDueAt: T0 + 3_600_000 });
    await store.recordGroupAck('acme', '14', 'accepted', 'msg_997', T0 + 100);

    const scan = ediOverdueScanHandler(deps);
    await scan.run({ id: 'scan-1', payload: {} } as Job, jobCtx);
    await scan.run({ id: 'scan-2', payload: {} } as Job, jobCtx);

    const raised = await store.claimJobs({ workerId: 'w', queues: [EDI_ACK_OVERDUE_QUEUE], limit: 10, leaseMs: 1000, now: T0 + 10 * 3_600_000 });
    expect(raised.map((j) => j.id)).toEqual(['edi-ack-overdue:acme:12']);
    const error = await Promise.resolve().then(() => ediAckOverdueHandler().run(raised[0]!, jobCtx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrossdockError);
    expect((error as CrossdockError).code).toBe('edi.ack-overdue');
    expect((error as CrossdockError).message).toMatch(/acme has not acknowledged group 12 \(SH, interchange 000000012\)/);
  });
});
