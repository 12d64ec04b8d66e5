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
