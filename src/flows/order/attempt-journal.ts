import type { AttemptReport } from '../../connectors/capabilities.js';
import { ERRORS, type ErrorCode } from '../../errors/catalogue.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Store } from '../../store/types.js';

/**
 * Wire tap for outbound calls: every attempt the protection policy makes is written to the
 * order's journal as it happens. `flush()` waits for the writes, so a step is never recorded as
 * finished before its attempts are. (Attempts are counted in metrics by the policies' observer,
 * `Metrics.policyObserver`, for every target whatever the flow; `_metrics` is no longer used.)
 */
export function attemptJournal(store: Store, messageId: string, clock: Clock, _metrics?: Metrics) {
  const writes: Promise<void>[] = [];
  function onAttempt(a: AttemptReport): void {
    const code = a.errorCode && a.errorCode in ERRORS ? (a.errorCode as ErrorCode) : undefined;
    writes.push(store.appendEvent({
      messageId, at: clock.now(), step: a.operation, outcome: a.outcome, target: a.target, attempt: a.attempt, latencyMs: a.latencyMs,
      ...(a.request !== undefined ? { payload: a.request } : {}),
      ...(code ? { error: { code, kind: ERRORS[code].kind, message: a.errorMessage ?? ERRORS[code].title, action: ERRORS[code].action } } : {}),
      detail: { ...(a.status !== undefined ? { status: a.status } : {}), ...(a.response !== undefined ? { response: a.response } : {}) },
    }));
  }
  return {
    onAttempt,
    flush: async () => {
      await Promise.all(writes.splice(0));
    },
  };
}
