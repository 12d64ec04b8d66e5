import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AttemptReport, CallContext } from '../connectors/capabilities.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { MemoryRateBudget } from './memory-budget.js';
import type { PolicyObserver } from './observer.js';
import { createProtectionPolicy, remainingRateBudget } from './policy.js';
import { DEFAULT_PROTECTION, type CircuitState, type ProtectionSettings } from './types.js';

/** A policy on a fake clock that only moves when the policy sleeps, so nothing here really waits. */
function harness(overrides: Partial<ProtectionSettings> = {}, random = () => 0.5) {
  let now = 1_000_000;
  const clock = { now: () => now };
  const sleeps: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    now += ms;
  };
  const budget = new MemoryRateBudget();
  const deferrals: [string, number][] = [];
  const deferRate = budget.deferRate.bind(budget);
  budget.deferRate = async (target, until) => {
    deferrals.push([target, until]);
    await deferRate(target, until);
  };
  const circuit: CircuitState[] = [];
  const observed: AttemptReport[] = [];
  const observer: PolicyObserver = {
    onAttempt: (report) => observed.push(report),
    onCircuitChange: (_target, state) => circuit.push(state),
  };
  const settings: ProtectionSettings = { ...DEFAULT_PROTECTION, ratePerSecond: 1_000, burst: 100, ...overrides };
  const deps = { budget, clock, sleep, random, observer };
  const policy = createProtectionPolicy('erp', settings, deps);
  const reports: AttemptReport[] = [];
  const ctx: CallContext = { correlationId: 'corr-1', onAttempt: (report) => reports.push(report) };
  return { policy, ctx, reports, observed, circuit, sleeps, deferrals, budget, deps, settings, now: () => now };
}

const unavailable = () => new CrossdockError('target.unavailable', 'HTTP 503', { target: 'erp' });

/** A call that fails with `errors` in turn, then answers `value`; counts its invocations. */
function scripted<T>(errors: Error[], value: T) {
  const script = { calls: 0, fn: async (_signal: AbortSignal): Promise<T> => {
    const error = errors[script.calls++];
    if (error) throw error;
    return value;
  } };
  return script;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createProtectionPolicy', () => {
  it("returns the call's value and reports one successful attempt", async () => {
    const { policy, ctx, reports, observed } = harness();
    await expect(policy.execute('salesOrder.create', async () => 'SO-1', ctx)).resolves.toBe('SO-1');
    expect(reports).toEqual([{ target: 'erp', operation: 'salesOrder.create', attempt: 1, outcome: 'ok', latencyMs: 0 }]);
    expect(observed).toEqual(reports);
  });

  it('retries a transient failure with jittered exponential backoff, then succeeds', async () => {
    const { policy, ctx, reports, sleeps } = harness({ attempts: 3, backoffMs: 200 });
    const call = scripted([unavailable(), unavailable()], 'SO-1');
    await expect(policy.execute('salesOrder.create', call.fn, ctx)).resolves.toBe('SO-1');
    // random() = 0.5 draws half of the 200 ms and then 400 ms ceilings.
    expect(sleeps).toEqual([100, 200]);
    expect(reports.map((r) => [r.attempt, r.outcome, r.errorCode])).toEqual([
      [1, 'error', 'target.unavailable'],
      [2, 'error', 'target.unavailable'],
      [3, 'ok', undefined],
    ]);
  });

  it('throws the last error once the attempts are used up', async () => {
    const { policy, ctx } = harness({ attempts: 3 });
    const last = new CrossdockError('target.timeout', 'third');
    const call = scripted([unavailable(), unavailable(), last], 'never');
    await expect(policy.execute('op', call.fn, ctx)).rejects.toBe(last);
    expect(call.calls).toBe(3);
  });

  it('passes business and rejected errors through at once, without retrying or tripping the breaker', async () => {
    const { policy, ctx } = harness({ attempts: 3, breakerThreshold: 1 });
    const business = scripted([new CrossdockError('customer.credit-hold')], 'x');
    const rejected = scripted([new CrossdockError('target.rejected')], 'x');
    await expect(policy.execute('op', business.fn, ctx)).rejects.toMatchObject({ code: 'customer.credit-hold' });
    await expect(policy.execute('op', rejected.fn, ctx)).rejects.toMatchObject({ code: 'target.rejected' });
    expect([business.calls, rejected.calls]).toEqual([1, 1]);
    expect(policy.snapshot().circuit).toBe('closed');
  });

  it('treats an unexpected exception as a defect and does not retry it', async () => {
    const { policy, ctx } = harness({ attempts: 3 });
    const call = scripted([new TypeError('undefined is not a function')], 'x');
    await expect(policy.execute('op', call.fn, ctx)).rejects.toMatchObject({ code: 'internal.defect', kind: 'defect' });
    expect(call.calls).toBe(1);
  });

  it("waits at least the target's Retry-After before retrying", async () => {
    const { policy, ctx, sleeps } = harness({ attempts: 2 }, () => 0);
    const limited = new CrossdockError('target.rate-limited', 'HTTP 429', { retryAfterMs: 1_500 });
    await expect(policy.execute('op', scripted([limited], 'ok').fn, ctx)).resolves.toBe('ok');
    expect(sleeps).toEqual([1_500]);
  });

  it("holds every process sharing the budget until the target's Retry-After has passed", async () => {
    const { policy, ctx, deferrals, deps, settings, now } = harness({ attempts: 1 });
    const limited = new CrossdockError('target.rate-limited', 'HTTP 429', { retryAfterMs: 1_500 });
    await expect(policy.execute('op', scripted([limited], 'ok').fn, ctx)).rejects.toBe(limited);
    expect(deferrals).toEqual([['erp', now() + 1_500]]);

    // Another process: its own policy (breaker, cap) but the same shared budget.
    const otherSleeps: number[] = [];
    const other = createProtectionPolicy('erp', settings, { ...deps, sleep: async (ms) => void otherSleeps.push(ms) });
    await other.execute('op', async () => 'ok', { correlationId: 'corr-2' });
    expect(otherSleeps).toEqual([1_500]);
  });

  it('gives the job back instead of waiting when Retry-After exceeds maxWaitMs', async () => {
    const { policy, ctx, sleeps, deferrals, now } = harness({ attempts: 3, maxWaitMs: 5_000 });
    const limited = new CrossdockError('target.rate-limited', 'HTTP 429', { retryAfterMs: 60_000 });
    const call = scripted([limited], 'ok');
    await expect(policy.execute('op', call.fn, ctx)).rejects.toMatchObject({ code: 'target.rate-limited', retryAfterMs: 60_000 });
    expect(call.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(deferrals).toEqual([['erp', now() + 60_000]]);
  });

  it('waits for its reserved slot in the shared budget before calling', async () => {
    const { policy, ctx, sleeps } = harness({ ratePerSecond: 10, burst: 1 });
    await policy.execute('op', async () => 1, ctx);
    await policy.execute('op', async () => 2, ctx);
    expect(sleeps).toEqual([100]);
  });

  it('refuses with target.rate-limited, without calling, when no shared slot is free within maxWaitMs', async () => {
    const { policy, ctx, budget, reports, now } = harness({ maxWaitMs: 5_000, attempts: 3, breakerThreshold: 1 });
    await budget.deferRate('erp', now() + 10_000);
    const call = scripted([], 'ok');
    await expect(policy.execute('op', call.fn, ctx)).rejects.toMatchObject({ code: 'target.rate-limited', retryAfterMs: 10_000 });
    expect(call.calls).toBe(0);
    expect(reports).toHaveLength(1);
    expect(policy.snapshot().circuit).toBe('closed');
  });

  it('opens the breaker after breakerThreshold consecutive transient failures, then refuses at once without calling', async () => {
    const { policy, ctx, sleeps, circuit } = harness({ attempts: 1, breakerThreshold: 3, breakerHalfOpenAfterMs: 5_000 });
    const failing = scripted([unavailable(), unavailable(), unavailable()], 'ok');
    for (let i = 0; i < 3; i++) await expect(policy.execute('op', failing.fn, ctx)).rejects.toMatchObject({ code: 'target.unavailable' });
    expect(policy.snapshot().circuit).toBe('open');

    const refused = await policy.execute('op', failing.fn, ctx).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'target.circuit-open' });
    expect((refused as CrossdockError).retryAfterMs).toBeGreaterThan(4_000);
    expect(failing.calls).toBe(3);
    expect(sleeps).toEqual([]);
    expect(circuit).toEqual(['open']);
  });

  it('lets one probe through after breakerHalfOpenAfterMs, refuses the others meanwhile, and closes on success', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { policy, ctx, circuit } = harness({ attempts: 1, breakerThreshold: 1, breakerHalfOpenAfterMs: 5_000 });
    await expect(policy.execute('op', scripted([unavailable()], 'x').fn, ctx)).rejects.toMatchObject({ code: 'target.unavailable' });
    vi.setSystemTime(Date.now() + 5_001);

    const answer = deferred<string>();
    const probe = policy.execute('op', () => answer.promise, ctx);
    await vi.waitFor(() => expect(policy.snapshot().circuit).toBe('half-open'));
    await expect(policy.execute('op', async () => 'other', ctx)).rejects.toMatchObject({ code: 'target.circuit-open' });

    answer.resolve('probed');
    await expect(probe).resolves.toBe('probed');
    expect(policy.snapshot().circuit).toBe('closed');
    expect(circuit).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens the breaker again when the half-open probe fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { policy, ctx, circuit } = harness({ attempts: 1, breakerThreshold: 1, breakerHalfOpenAfterMs: 5_000 });
    const failing = scripted([unavailable(), unavailable()], 'x');
    await expect(policy.execute('op', failing.fn, ctx)).rejects.toMatchObject({ code: 'target.unavailable' });
    vi.setSystemTime(Date.now() + 5_001);
    await expect(policy.execute('op', failing.fn, ctx)).rejects.toMatchObject({ code: 'target.unavailable' });
    expect(circuit).toEqual(['open', 'half-open', 'open']);
    await expect(policy.execute('op', failing.fn, ctx)).rejects.toMatchObject({ code: 'target.circuit-open' });
  });

  it('times out a call that does not answer and aborts its signal with target.timeout', async () => {
    const { policy, ctx } = harness({ attempts: 1, timeoutMs: 30 });
    let seen: AbortSignal | undefined;
    const started = performance.now();
    const error = await policy
      .execute('op', (signal) => ((seen = signal), new Promise<never>(() => {})), ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'target.timeout', kind: 'transient' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('caps calls in flight at the concurrency limit and queues the rest', async () => {
    const { policy, ctx } = harness({ concurrency: 2 });
    const gate = deferred<void>();
    let running = 0;
    let peak = 0;
    const call = async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
      return 'ok';
    };
    const calls = Array.from({ length: 5 }, () => policy.execute('op', call, ctx));
    await vi.waitFor(() => expect(running).toBe(2));
    expect(policy.snapshot()).toMatchObject({ target: 'erp', circuit: 'closed', inFlight: 2, queued: 3 });
    gate.resolve();
    await expect(Promise.all(calls)).resolves.toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(peak).toBe(2);
    expect(policy.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('stops waiting as soon as the caller cancels, without calling the target or counting a failure', async () => {
    const { policy, ctx } = harness({ concurrency: 1, breakerThreshold: 1 });
    const gate = deferred<string>();
    const first = policy.execute('op', () => gate.promise, ctx);
    await vi.waitFor(() => expect(policy.snapshot().inFlight).toBe(1));

    const controller = new AbortController();
    const queued = scripted([], 'never');
    const cancelled = policy.execute('op', queued.fn, { ...ctx, signal: controller.signal });
    await vi.waitFor(() => expect(policy.snapshot().queued).toBe(1));
    controller.abort(new Error('worker stopping'));
    await expect(cancelled).rejects.toMatchObject({ code: 'internal.shutting-down' });
    expect(queued.calls).toBe(0);

    gate.resolve('done');
    await expect(first).resolves.toBe('done');
    expect(policy.snapshot()).toMatchObject({ circuit: 'closed', queued: 0 });
  });

  it('aborts a call in flight when the caller cancels, without retrying it or counting a breaker failure', async () => {
    const { policy, ctx } = harness({ attempts: 3, breakerThreshold: 1 });
    const controller = new AbortController();
    let calls = 0;
    let seen: AbortSignal | undefined;
    const running = policy.execute('op', (signal) => (calls++, (seen = signal), new Promise<never>(() => {})), {
      ...ctx,
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(seen).toBeDefined());
    controller.abort(new Error('worker stopping'));
    await expect(running).rejects.toMatchObject({ code: 'internal.shutting-down' });
    expect(seen?.aborted).toBe(true);
    expect(calls).toBe(1);
    expect(policy.snapshot()).toMatchObject({ circuit: 'closed', inFlight: 0 });
  });

  it('delivers the result even when the journal callback throws', async () => {
    const { policy } = harness();
    const ctx: CallContext = { correlationId: 'c', onAttempt: () => { throw new Error('journal down'); } };
    await expect(policy.execute('op', async () => 'SO-1', ctx)).resolves.toBe('SO-1');
  });

  it('rejects settings it cannot honour, naming each field', () => {
    const budget = new MemoryRateBudget();
    expect(() =>
      createProtectionPolicy('erp', { ...DEFAULT_PROTECTION, ratePerSecond: 0, concurrency: 1.5 }, { budget }),
    ).toThrow(/erp: ratePerSecond must be a positive number \(got 0\); concurrency must be an integer/);
  });
});

describe('remaining rate budget', () => {
  it('counts the burst down as calls leave and back up as time passes', async () => {
    const { policy, ctx, now } = harness({ ratePerSecond: 10, burst: 3 });
    expect(policy.snapshot().rateBudgetRemaining).toBe(3);
    await policy.execute('op', async () => 'ok', ctx);
    await policy.execute('op', async () => 'ok', ctx);
    expect(policy.snapshot().rateBudgetRemaining).toBe(1);
    const { policy: later } = harness({ ratePerSecond: 10, burst: 3 });
    expect(later.snapshot().rateBudgetRemaining).toBe(3);
    expect(remainingRateBudget(now(), now() + 100, 100, 3)).toBe(2);
    expect(remainingRateBudget(now(), now() + 10_000, 100, 3)).toBe(3);
  });

  it('is zero while a Retry-After holds the target off', async () => {
    const { policy, now } = harness({ ratePerSecond: 10, burst: 3 });
    await policy.holdOff(now() + 5_000);
    expect(policy.snapshot().rateBudgetRemaining).toBe(0);
  });
});
