import type { Store } from '../store/types.js';
import { activeTraceParent } from './tracing.js';

function stamped<T extends { traceParent?: string }>(input: T): T {
  if (input.traceParent !== undefined) return input;
  const traceParent = activeTraceParent();
  return traceParent === undefined ? input : { ...input, traceParent };
}

/**
 * The store, with every job it is asked to enqueue stamped with the trace it was enqueued in
 * (the active request's or job's `traceparent`): the order intake's `order.process` job, a
 * webhook's processing job, the deliveries and shipments a job queues. The job's span then
 * continues that trace, without each of those call sites knowing about tracing.
 */
export function withTraceContext(store: Store): Store {
  const overrides: Partial<Store> = {
    acceptOrder: (input) => store.acceptOrder(stamped(input)),
    acceptOrderVersion: (input) => store.acceptOrderVersion(stamped(input)),
    enqueue: (job) => store.enqueue(stamped(job)),
    recordInbound: (input) => store.recordInbound(input.job ? { ...input, job: stamped(input.job) } : input),
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Store];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Methods run on the store itself (private fields), bound once.
      let method = bound.get(property);
      if (method === undefined) {
        method = (value as (...args: unknown[]) => unknown).bind(target);
        bound.set(property, method);
      }
      return method;
    },
  });
}
