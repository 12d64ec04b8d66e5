import type { AttemptReport } from '../connectors/capabilities.js';
import type { CircuitState } from './types.js';

/**
 * Watches every protection policy without being part of any call: the metrics module
 * implements it to count attempts and expose breaker states. An observer that throws never
 * changes the outcome of a call.
 */
export interface PolicyObserver {
  /** Called once per attempt, with the same report the caller's `CallContext.onAttempt` gets. */
  onAttempt?(report: AttemptReport): void;
  /** Called when a target's circuit breaker moves to `state`. */
  onCircuitChange?(target: string, state: CircuitState): void;
}

/** One observer that tells each of `observers` in turn; one that throws does not silence the others. */
export function observeAll(...observers: readonly PolicyObserver[]): PolicyObserver {
  const each = (tell: (o: PolicyObserver) => void) => {
    for (const o of observers) {
      try {
        tell(o);
      } catch {
        // An observer never changes a call's outcome, nor what the other observers see.
      }
    }
  };
  return {
    onAttempt: (report) => each((o) => o.onAttempt?.(report)),
    onCircuitChange: (target, state) => each((o) => o.onCircuitChange?.(target, state)),
  };
}
