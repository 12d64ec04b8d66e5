import { circuitBreaker, CircuitState as BreakerState, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import type { AttemptReport, CallContext } from '../connectors/capabilities.js';
import { asCrossdockError, CrossdockError } from '../errors/crossdock-error.js';
import { sleep as realSleep, systemClock, type Clock } from '../lib/clock.js';
import type { RateBudgetStore, RateSlot } from '../store/types.js';
import { fullJitterBackoff } from './backoff.js';
import type { PolicyObserver } from './observer.js';
import { Semaphore } from './semaphore.js';
import { callWithTimeout } from './timeout.js';
import type { CircuitState, PolicySnapshot, ProtectionPolicy, ProtectionSettings } from './types.js';

/** What a policy needs from outside. Time and randomness are injected so tests never sleep. */
export interface ProtectionPolicyDeps {
  /** The rate budget shared by every crossdock process on the same store. */
  budget: RateBudgetStore;
  /** Used for rate slots, `Retry-After` deadlines and latencies. @default systemClock */
  clock?: Clock;
  /** A draw in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  /** Waits for rate slots and between retries; rejects with `signal.reason` on abort. @default sleep from lib/clock */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  observer?: PolicyObserver;
  /**
   * Whether an operator paused the target (src/operations/pauses.ts). A paused target is refused
   * at the gate like an open circuit: the job goes back to the queue without spending an attempt.
   */
  paused?: (target: string) => { by: string; reason: string | null } | undefined;
}

/** How soon work refused by a pause is tried again: about when every process has seen a resume. */
const PAUSED_RETRY_MS = 5_000;

/**
 * Builds the protection policy for one target. Each attempt passes, in order:
 * 1. the circuit breaker's gate — while open (or while a half-open probe runs) the attempt is
 *    refused at once with `target.circuit-open`, without waiting for anything;
 * 2. the concurrency cap of this process (`concurrency` calls in flight, the rest queue);
 * 3. a slot from the shared rate budget, waited for when it is at most `maxWaitMs` away,
 *    else refused with `target.rate-limited`;
 * 4. the call itself, under `timeoutMs`, recorded by the breaker.
 * Transient failures are retried up to `attempts` times with jittered exponential backoff,
 * waiting at least the target's `Retry-After`, which is also pushed into the shared budget so
 * every process pauses. Waits longer than `maxWaitMs` are not made here: the error is thrown
 * and the job queue reschedules the job durably.
 *
 * Only transient errors raised by the call count as breaker failures; business and rejected
 * errors prove the target is answering and pass through at once.
 */
export function createProtectionPolicy(
  target: string,
  settings: ProtectionSettings,
  deps: ProtectionPolicyDeps,
): ProtectionPolicy {
  assertValidSettings(target, settings);
  const { budget, observer } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? realSleep;
  const slots = new Semaphore(settings.concurrency);

  /**
   * Errors the policy raises itself instead of calling the target (breaker open, no rate slot,
   * caller cancelled). They say nothing about the target's health and are never retried here:
   * each one means waiting longer than this job run may.
   */
  const refusals = new WeakSet<CrossdockError>();
  const refuse = (error: CrossdockError): CrossdockError => {
    refusals.add(error);
    return error;
  };

  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof CrossdockError && error.kind === 'transient' && !refusals.has(error)),
    { breaker: new ConsecutiveBreaker(settings.breakerThreshold), halfOpenAfter: settings.breakerHalfOpenAfterMs },
  );
  // cockatiel times the open state with Date.now(), so the gate below does too. Recorded in
  // the listener, which runs just after cockatiel's own timestamp: never earlier than it.
  let openedAt = 0;
  breaker.onStateChange((state) => {
    if (state === BreakerState.Open) openedAt = Date.now();
    notify(() => observer?.onCircuitChange?.(target, circuitStateOf(state)));
  });

  /** Throws `target.circuit-open` unless the breaker would let a call through right now. */
  const admit = (): void => {
    const pause = deps.paused?.(target);
    if (pause) {
      throw refuse(new CrossdockError('target.paused', `Calls to ${target} are paused by ${pause.by}${pause.reason ? `: ${pause.reason}` : ''}`, {
        target, retryAfterMs: PAUSED_RETRY_MS, context: { refusedBy: 'policy', pausedBy: pause.by },
      }));
    }
    const state = breaker.state;
    if (state === BreakerState.Closed) return;
    const remainingMs = openedAt + settings.breakerHalfOpenAfterMs - Date.now();
    // Open and due for a probe: let it through, cockatiel turns this call into the probe.
    if (state === BreakerState.Open && remainingMs <= 0) return;
    // While a probe runs the others are refused too, rather than queued behind it.
    const retryAfterMs = state === BreakerState.Open ? remainingMs : undefined;
    throw refuse(new CrossdockError('target.circuit-open', `Calls to ${target} are paused by its circuit breaker`, {
      target,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    }));
  };

  const cancelled = (reason: unknown): CrossdockError => {
    // A caller cancels when it is shutting down; the job goes back to the queue untouched.
    if (reason instanceof CrossdockError) return refuse(reason);
    return refuse(new CrossdockError('internal.shutting-down', `The call to ${target} was cancelled before it finished`, {
      target,
      cause: reason,
    }));
  };

  let lastStartAt = Number.NEGATIVE_INFINITY;
  let lastLeftAt = Number.NEGATIVE_INFINITY;
  /**
   * When the shared budget's next call may start, as this process knows it (for `snapshot`): the
   * budget's own schedule replayed over this process's calls, corrected by what the budget said
   * (a slot in the future, a refusal, a deferral).
   */
  let budgetNextAt = Number.NEGATIVE_INFINITY;
  const takeRateSlot = async (signal: AbortSignal | undefined): Promise<void> => {
    const slot = await budget.reserveRateSlot({
      target,
      intervalMs: 1000 / settings.ratePerSecond,
      burst: settings.burst,
      maxWaitMs: settings.maxWaitMs,
      now: clock.now(),
    });
    budgetNextAt = nextBudgetStart(budgetNextAt, slot, clock.now(), 1000 / settings.ratePerSecond, settings.burst);
    if (!slot.granted) {
      throw refuse(new CrossdockError('target.rate-limited', `No call slot for ${target} within ${settings.maxWaitMs} ms`, {
        target,
        retryAfterMs: slot.retryInMs,
        context: { source: 'shared rate budget', refusedBy: 'policy', ratePerSecond: settings.ratePerSecond },
      }));
    }
    // The shared slot was computed when it was reserved; if its answer or a timer came back
    // late, several calls would now leave together. With no burst allowed, this process also
    // keeps its own calls one interval apart, whatever the lateness.
    const interval = 1000 / settings.ratePerSecond;
    const startAt = settings.burst <= 1 ? Math.max(slot.at, lastStartAt + interval) : slot.at;
    lastStartAt = Math.max(lastStartAt, startAt);
    const waitMs = startAt - clock.now();
    if (waitMs > 0) await sleep(waitMs, signal).catch((reason: unknown) => Promise.reject(cancelled(reason)));
    if (settings.burst <= 1) {
      // Timers that fired late together must not leave together: after waking, each call
      // checks the last call that actually left (check and set run without an await between).
      // A full interval, not less: allowing even a tenth of it for jitter let a target that
      // counts arrivals per sliding second see one call too many.
      for (let gap = lastLeftAt + interval - clock.now(); gap > 0; gap = lastLeftAt + interval - clock.now()) {
        await sleep(gap, signal).catch((reason: unknown) => Promise.reject(cancelled(reason)));
      }
      lastLeftAt = clock.now();
      lastStartAt = Math.max(lastStartAt, lastLeftAt);
    }
  };

  /** One attempt through gate, cap, budget and timeout. `timing.calledAt` marks when the target was called. */
  const attemptOnce = async <T>(
    operation: string,
    call: (signal: AbortSignal) => Promise<T>,
    ctx: CallContext,
    timing: { calledAt?: number },
  ): Promise<T> => {
    admit();
    const release = await slots.acquire(ctx.signal).catch((reason: unknown) => Promise.reject(cancelled(reason)));
    try {
      await takeRateSlot(ctx.signal);
      // The breaker may have opened while this call queued: check again before spending the call.
      admit();
      timing.calledAt = clock.now();
      return await breaker.execute(() =>
        callWithTimeout(call, { target, operation, timeoutMs: settings.timeoutMs, signal: ctx.signal, cancelled }),
      );
    } finally {
      release();
    }
  };

  /** How long to wait before the next attempt, or undefined to give up now. */
  const nextDelay = async (error: CrossdockError, attempt: number, signal?: AbortSignal): Promise<number | undefined> => {
    if (refusals.has(error) || error.kind !== 'transient') return undefined;
    const retryAfterMs = error.retryAfterMs;
    if (retryAfterMs !== undefined) await deferSharedBudget(clock.now() + retryAfterMs);
    if (attempt >= settings.attempts || signal?.aborted) return undefined;
    const delay = Math.max(
      fullJitterBackoff(attempt, settings.backoffMs, settings.maxWaitMs, random),
      retryAfterMs ?? 0,
    );
    return delay > settings.maxWaitMs ? undefined : delay;
  };

  const deferSharedBudget = async (until: number): Promise<void> => {
    budgetNextAt = Math.max(budgetNextAt, until);
    try {
      await budget.deferRate(target, until);
    } catch {
      // Best effort: this process still waits, and the target's error is the one worth
      // reporting, not a failure to tell the other processes about it.
    }
  };

  const report = (ctx: CallContext, attemptReport: AttemptReport): void => {
    notify(() => ctx.onAttempt?.(attemptReport));
    notify(() => observer?.onAttempt?.(attemptReport));
  };

  return {
    target,

    holdOff: (untilMs: number) => (untilMs > clock.now() ? deferSharedBudget(untilMs) : Promise.resolve()),

    async execute<T>(operation: string, call: (signal: AbortSignal) => Promise<T>, ctx: CallContext): Promise<T> {
      // The last failure that came from the target itself. When a later retry is refused (the
      // breaker opened meanwhile), that failure is what this run reports: the target was
      // reached and failed, which the job queue must count as an attempt.
      let reached: CrossdockError | undefined;
      for (let attempt = 1; ; attempt++) {
        const startedAt = clock.now();
        const timing: { calledAt?: number } = {};
        try {
          const value = await attemptOnce(operation, call, ctx, timing);
          report(ctx, { target, operation, attempt, outcome: 'ok', latencyMs: clock.now() - (timing.calledAt ?? startedAt) });
          return value;
        } catch (thrown) {
          const error = asCrossdockError(thrown);
          report(ctx, {
            target,
            operation,
            attempt,
            outcome: 'error',
            latencyMs: clock.now() - (timing.calledAt ?? startedAt),
            errorCode: error.code,
            errorMessage: error.message,
          });
          if (!refusals.has(error)) reached = error;
          const delay = await nextDelay(error, attempt, ctx.signal);
          if (delay === undefined) throw refusals.has(error) && reached && !ctx.signal?.aborted ? reached : error;
          await sleep(delay, ctx.signal).catch((reason: unknown) => Promise.reject(cancelled(reason)));
        }
      }
    },

    snapshot(): PolicySnapshot {
      return {
        target, circuit: circuitStateOf(breaker.state), inFlight: slots.active, queued: slots.waiting,
        rateBudgetRemaining: remainingRateBudget(budgetNextAt, clock.now(), 1000 / settings.ratePerSecond, settings.burst),
      };
    },
  };
}

/** Where the shared budget's schedule stands after `slot`, given what was `known` before it. */
export function nextBudgetStart(known: number, slot: RateSlot, now: number, intervalMs: number, burst: number): number {
  if (!slot.granted) return now + slot.retryInMs;
  // A slot in the future was the schedule itself; one due now may have used banked burst.
  const taken = slot.at > now ? slot.at : Math.max(known, now - (Math.max(1, burst) - 1) * intervalMs);
  return taken + intervalMs;
}

/**
 * Calls the budget would grant at once at `now`: those whose start, one interval apart from
 * `nextAt`, is already due — at most `burst`, as an idle target regains no more than that.
 */
export function remainingRateBudget(nextAt: number, now: number, intervalMs: number, burst: number): number {
  const earliest = Math.max(nextAt, now - (Math.max(1, burst) - 1) * intervalMs);
  return Math.min(Math.max(0, Math.floor((now - earliest) / intervalMs) + 1), Math.max(1, burst));
}

function circuitStateOf(state: BreakerState): CircuitState {
  switch (state) {
    case BreakerState.Closed:
      return 'closed';
    case BreakerState.HalfOpen:
      return 'half-open';
    case BreakerState.Open:
    case BreakerState.Isolated:
      return 'open';
  }
}

/** Journal and metrics callbacks must not turn a delivered call into a failure. */
function notify(callback: () => void): void {
  try {
    callback();
  } catch {
    // Deliberately ignored: see above.
  }
}

function assertValidSettings(target: string, s: ProtectionSettings): void {
  const problems: string[] = [];
  const positive = (name: keyof ProtectionSettings): void => {
    if (!(s[name] > 0) || !Number.isFinite(s[name])) problems.push(`${name} must be a positive number (got ${s[name]})`);
  };
  const atLeastOne = (name: keyof ProtectionSettings): void => {
    if (!Number.isInteger(s[name]) || s[name] < 1) problems.push(`${name} must be an integer of at least 1 (got ${s[name]})`);
  };
  positive('ratePerSecond');
  positive('timeoutMs');
  atLeastOne('burst');
  atLeastOne('concurrency');
  atLeastOne('attempts');
  atLeastOne('breakerThreshold');
  for (const name of ['backoffMs', 'maxWaitMs', 'breakerHalfOpenAfterMs'] as const) {
    if (!(s[name] >= 0) || !Number.isFinite(s[name])) problems.push(`${name} must be zero or more (got ${s[name]})`);
  }
  if (problems.length > 0) throw new RangeError(`Protection settings for ${target}: ${problems.join('; ')}`);
}
