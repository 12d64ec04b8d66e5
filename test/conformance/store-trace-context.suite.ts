import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';
import { orderInput } from './store.suite.js';

const T0 = 1_714_557_600_000;
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Jobs keep the trace context they were enqueued in, so their spans continue that trace. */
export function storeTraceContextSuite(name: string, open: OpenStore): void {
  describe(`${name} store: trace context of jobs`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('hands the traceparent an order was accepted with back on its claimed order.process job', async () => {
      await store.acceptOrder(orderInput('t1', { traceParent: TRACE }));
      const [job] = await store.claimJobs({ queues: ['order.process'], workerId: 'w', limit: 1, leaseMs: 30_000, now: T0 });
      expect(job?.traceParent).toBe(TRACE);
    });

    it('hands an enqueued job its traceparent back, and none to a job enqueued without one', async () => {
      await store.enqueue({ id: 'traced', queue: 'q', payload: {}, correlationId: 'c1', runAt: T0, maxAttempts: 3, now: T0, traceParent: TRACE });
      await store.enqueue({ id: 'plain', queue: 'q', payload: {}, correlationId: 'c2', runAt: T0 + 1, maxAttempts: 3, now: T0 });
      const jobs = await store.claimJobs({ queues: ['q'], workerId: 'w', limit: 2, leaseMs: 30_000, now: T0 + 5 });
      expect(Object.fromEntries(jobs.map((j) => [j.id, j.traceParent]))).toEqual({ traced: TRACE, plain: undefined });
      expect((await store.getJob('traced'))?.traceParent).toBe(TRACE);
    });
  });
}
