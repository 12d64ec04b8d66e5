import type { AttemptReport } from '../../connectors/capabilities.js';
import { ERRORS, type ErrorCode } from '../../errors/catalogue.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Store } from '../../store/types.js';

/**
 * Wire tap for outbound calls: every attempt the protection policy makes is written to the
 * order's journal (and metrics) as it happens. `flush()` waits for the writes, so a step is
 * never recorded as finished before its attempts are.
 */
export function attemptJournal(store: Store, messageId: string, clock: Clock, metrics?: Metrics) {
  const writes: Promise<void>[] = [];
  function onAttempt(a: AttemptReport): void {
    const code = a.errorCode && a.errorCode in ERRORS ? (a.errorCode as ErrorCode) : undefined;
    metrics?.targetCallDuration.observe({ target: a.target, operation: a.operation, outcome: a.outcome }, a.latencyMs / 1000);
    if (a.outcome === 'error') metrics?.targetErrors.inc({ target: a.target, code: a.errorCode ?? 'unknown' });
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
