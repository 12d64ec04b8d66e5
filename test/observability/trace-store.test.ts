import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTelemetry } from '../../src/observability/config-schema.js';
import { withTraceContext } from '../../src/observability/trace-store.js';
import { Tracing } from '../../src/observability/tracing.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

const T0 = 1_714_557_600_000;
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const TRACEPARENT = `00-${TRACE_ID}-eee19b7ec3c1b174-01`;

let dir: string;
let raw: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-trace-store-'));
  raw = await openSqliteStore({ file: join(dir, 'store.db') });
  await raw.migrate();
});
afterEach(async () => {
  await raw.close();
  await rm(dir, { recursive: true, force: true });
});

const newJob = (id: string) => ({ id, queue: 'next', payload: {}, correlationId: `cor-${id}`, runAt: T0, maxAttempts: 3, now: T0 });
const claimAll = () => raw.claimJobs({ queues: ['next'], workerId: 'w', limit: 10, leaseMs: 30_000, now: T0 + 1 });

describe('jobs enqueued while a job runs', () => {
  it('continue the running job\'s trace, its span as their parent', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = Tracing.create(resolveTelemetry({}, {}, []), { exporter });
    const store = withTraceContext(raw);
    await tracing.runJob({ id: 'first', queue: 'shipment.publish', attempts: 1, traceParent: TRACEPARENT }, async () => {
      await store.enqueue(newJob('delivery'));
    });
    const [span] = exporter.getFinishedSpans();
    const [job] = await claimAll();
    expect(job?.traceParent).toBe(`00-${TRACE_ID}-${span!.spanContext().spanId}-01`);
    await tracing.shutdown();
  });

  it('carry a caller\'s trace on without an exporter, and none outside any trace', async () => {
    const tracing = Tracing.create(resolveTelemetry({}, {}, []));
    const store = withTraceContext(raw);
    await tracing.runJob({ id: 'first', queue: 'q', attempts: 1, traceParent: TRACEPARENT }, () => store.enqueue(newJob('inside')));
    await store.enqueue(newJob('outside'));
    await store.enqueue({ ...newJob('own'), traceParent: '00-11111111111111111111111111111111-2222222222222222-01' });
    const jobs = Object.fromEntries((await claimAll()).map((j) => [j.id, j.traceParent]));
    expect(jobs).toEqual({ inside: TRACEPARENT, outside: undefined, own: '00-11111111111111111111111111111111-2222222222222222-01' });
  });
});
