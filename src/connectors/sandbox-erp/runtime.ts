import type { FaultInjector } from './faults.js';
import type { SandboxErpState } from './state.js';
import type { CallStats } from './stats.js';

/** What the sandbox ERP's routes share: its books, its fault knobs and its call counters. */
export interface SandboxErpRuntime {
  readonly state: SandboxErpState;
  readonly faults: FaultInjector;
  readonly stats: CallStats;
}
