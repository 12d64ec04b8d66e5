import { formatDuration, interruptible, type Interruption } from '../../src/cli/progress.js';

/** A scenario the run will do, with how long it typically takes (seconds), for the estimate. */
export interface PlannedScenario {
  key: string;
  label: string;
  typicalSec: number;
}

/**
 * Which of N scenarios is running, the time spent and an estimate of the time left, and Ctrl-C
 * between scenarios: the first stops the run after the scenario in hand (whose results are still
 * written), the second at once. The estimate is the remaining scenarios' typical durations,
 * scaled by how this machine has done against the typical durations so far.
 */
export class ScenarioProgress {
  private readonly started = Date.now();
  private index = 0;
  private typicalDone = 0;
  private readonly interruption: Interruption;
  /** Scenarios not run because the run was stopped. */
  readonly skipped: string[] = [];

  constructor(private readonly plan: readonly PlannedScenario[], private readonly log: (line: string) => void, onForce: () => void) {
    this.interruption = interruptible({
      message: 'stopping after the current scenario; its results and those before it are still written… (Ctrl-C again to stop at once)',
      onForce,
    });
  }

  /** Call before a scenario: false when the run was stopped and it must be skipped. */
  begin(key: string): boolean {
    const position = this.plan.findIndex((s) => s.key === key);
    const scenario = this.plan[position];
    if (!scenario) return true;
    if (this.interruption.requested) {
      this.skipped.push(scenario.label);
      return false;
    }
    if (this.index > 0) this.typicalDone += this.plan[this.index - 1]?.typicalSec ?? 0;
    this.index = position + 1;
    this.log(`[${this.index}/${this.plan.length}] ${scenario.label} — elapsed ${formatDuration(Date.now() - this.started)}, ${this.left(position)}`);
    return true;
  }

  get stopped(): boolean {
    return this.interruption.requested;
  }

  dispose(): void {
    this.interruption.dispose();
  }

  private left(position: number): string {
    const typicalLeft = this.plan.slice(position).reduce((sum, s) => sum + s.typicalSec, 0);
    const elapsedSec = (Date.now() - this.started) / 1000;
    const pace = this.typicalDone > 0 ? elapsedSec / this.typicalDone : 1;
    return `about ${formatDuration(typicalLeft * pace * 1000)} left`;
  }
}

/**
 * The scenarios of a run in the order `bench/run.ts` runs them, with typical durations from
 * their options (measured on a 2-core machine; the pace correction absorbs the difference).
 */
export function benchPlan(only: string | undefined, opt: (name: string) => number): PlannedScenario[] {
  const runSec = opt('duration') + opt('warmup');
  const all: PlannedScenario[] = [
    { key: 'intake', label: '(a) intake', typicalSec: opt('rounds') * (3 * runSec + 15) },
    { key: 'erp', label: '(b) ERP protection', typicalSec: opt('warmup') + opt('burst') + opt('drain') + 10 },
    { key: 'edi', label: '(e) EDI parse', typicalSec: 40 },
    { key: 'inventory', label: '(h) inventory', typicalSec: 30 + 3 * opt('duration') },
    { key: 'search', label: '(i) journal search', typicalSec: 90 },
    { key: 'prices', label: '(g) prices', typicalSec: 20 + opt('duration') },
    { key: 'tryton', label: '(f) Tryton', typicalSec: 60 + opt('tryton-rounds') * 20 },
    { key: 'channels', label: '(c) webhook intake and (d) mapping', typicalSec: opt('rounds') * (2 * runSec + 10) + 10 * opt('map-seconds') },
  ];
  return all.filter((s) => !only || s.key === only);
}
