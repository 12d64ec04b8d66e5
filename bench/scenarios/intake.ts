import { startCpuMeter, type CpuUsage } from '../support/cpu.js';
import { monotonicUs, type SampleWindow } from '../support/profile.js';
import { closedLoop, pacedLoad, type LoadSummary, type PacedSummary } from '../support/load.js';
import {
  startBare, startCrossdock, startSandboxErp,
  type RunningCrossdock, type RunningSandboxErp, type Runtime,
} from '../support/servers.js';

export interface IntakeOptions {
  runtime: Runtime;
  /** Connections of the closed-loop runs, and the most the open-loop run may open. */
  connections: number;
  durationSec: number;
  /** Untimed load before each measured run, so every server is measured warm (JIT, caches). */
  warmupSec: number;
  /** Where crossdock's sandbox ERP runs: its own process (default) or in crossdock's process (`crossdock start` alone). */
  erp?: 'child' | 'in-process';
  /** Measure crossdock's closed loop before the bare endpoint's (rounds alternate, so drift in background load evens out). */
  crossdockFirst?: boolean;
  /** Extra node flags for the crossdock children, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  crossdockNodeArgs?: readonly string[];
  log?: (line: string) => void;
}

/** crossdock in open loop at a fixed offered rate, beside the bare endpoint at the same rate (shown, not judged). */
export interface OpenLoopResult {
  /** Orders per second offered: `INTAKE_TARGETS.ratio` × the bare endpoint's closed-loop rate in the same round. */
  offeredPerSec: number;
  result: PacedSummary;
  /** The bare endpoint under the same schedule and generator: what the generator and the machine add alone. */
  bare: PacedSummary;
  cpu: CpuUsage;
  /** The measured run on the monotonic clock, to cut a --cpu-prof profile to it. */
  window: SampleWindow;
}

export interface IntakeResult {
  options: Omit<IntakeOptions, 'log'>;
  /** Closed loop at `connections`: the rates the ratio target compares. */
  bare: LoadSummary;
  crossdock: LoadSummary;
  /** The measured closed-loop crossdock run on the monotonic clock, to cut a --cpu-prof profile to it. */
  crossdockWindow: SampleWindow;
  /** CPU per process during each closed-loop run, and other work on the machine. */
  cpu: { bare: CpuUsage; crossdock: CpuUsage };
  /** crossdock's own count of orders accepted during the closed-loop run (`crossdock_orders_accepted_total`). */
  crossdockAcceptedServerSide: number;
  /** Orders the worker posted to the ERP child during the closed-loop run: the worker was busy too. */
  crossdockPostedDuringRun: number;
  openLoop: OpenLoopResult;
  /** crossdock accepted/s ÷ bare 2xx/s, closed loop. */
  ratio: number;
  targets: { ratio: number; p99Ms: number };
  /** ratio and p99: closed loop at `connections`, as the targets are stated; noErrors: every crossdock run. */
  met: { ratio: boolean; p99: boolean; noErrors: boolean };
}

/**
 * As the targets are stated: at 64 connections for 10 s (closed loop), crossdock keeps ≥ 30 % of
 * the bare endpoint's rate with p99 ≤ 25 ms.
 */
export const INTAKE_TARGETS = { ratio: 0.3, p99Ms: 25 } as const;

type Log = (line: string) => void;

/**
 * Scenario (a): `POST /v1/orders` of a real crossdock (SQLite store, fsync group commit,
 * default configuration, worker on) beside a bare Fastify endpoint, same body, same client.
 * Each round measures, each server in its own child process with the load generator in this
 * process:
 *   1. bare and crossdock in closed loop at `connections` (the order alternates by round): the
 *      rates the ratio target compares;
 *   2. a fresh crossdock in open loop at `INTAKE_TARGETS.ratio` × the bare rate just measured:
 *      the latency target. It comes last because its rate depends on the bare run.
 * crossdock's ERP is the sandbox ERP as a third process, so the worker's ERP calls are real
 * HTTP calls but the ERP's work is not on crossdock's event loop.
 */
export async function runIntake(options: IntakeOptions): Promise<IntakeResult> {
  const log = options.log ?? (() => undefined);
  const tag = `bench-a-${Date.now().toString(36)}`;
  const { bare, crossdock } = await measureClosedLoops(options, tag, log);
  const ratio = crossdock.result.acceptedPerSec / bare.result.acceptedPerSec;
  log(`intake: closed loop, crossdock ${crossdock.result.acceptedPerSec.toFixed(0)}/s = ${(ratio * 100).toFixed(1)} % of bare`);

  const offeredPerSec = Math.round(bare.result.acceptedPerSec * INTAKE_TARGETS.ratio);
  const openLoop = await measureCrossdockOpenLoop(options, offeredPerSec, tag, log);
  const p99 = openLoop.result.latencyFromScheduleMs.p99;
  log(`intake: open loop at ${offeredPerSec}/s, crossdock accepted ${openLoop.result.acceptedPerSec.toFixed(0)}/s, p99 ${p99.toFixed(1)} ms from schedule ` +
    `(bare at the same rate: p99 ${openLoop.bare.latencyFromScheduleMs.p99.toFixed(1)} ms)`);

  const { log: _log, ...shown } = options;
  return {
    options: shown,
    bare: bare.result,
    crossdock: crossdock.result,
    crossdockWindow: crossdock.window,
    cpu: { bare: bare.cpu, crossdock: crossdock.cpu },
    crossdockAcceptedServerSide: crossdock.acceptedServerSide,
    crossdockPostedDuringRun: crossdock.posted,
    openLoop,
    ratio,
    targets: { ...INTAKE_TARGETS },
    met: {
      ratio: ratio >= INTAKE_TARGETS.ratio,
      p99: crossdock.result.latencyMs.p99 <= INTAKE_TARGETS.p99Ms,
      noErrors: isClean(crossdock.result) && isClean(openLoop.result),
    },
  };
}

function isClean(run: LoadSummary): boolean {
  return run.errors === 0 && run.non2xx === 0;
}

async function measureClosedLoops(options: IntakeOptions, tag: string, log: Log) {
  if (options.crossdockFirst) {
    const crossdock = await measureCrossdockClosedLoop(options, tag, log);
    return { bare: await measureBare(options, tag, log), crossdock };
  }
  const bare = await measureBare(options, tag, log);
  return { bare, crossdock: await measureCrossdockClosedLoop(options, tag, log) };
}

async function measureBare(options: IntakeOptions, tag: string, log: Log) {
  const { connections, durationSec, warmupSec } = options;
  log(`intake: bare Fastify endpoint, closed loop, ${connections} connections, ${warmupSec} s warm-up + ${durationSec} s`);
  const bare = await startBare();
  try {
    if (warmupSec > 0) await closedLoop({ url: bare.url, connections, durationSec: warmupSec, idPrefix: `${tag}-bare-warm` });
    const meter = startCpuMeter({ 'bare endpoint': bare.child.pid, generator: process.pid });
    const result = await closedLoop({ url: bare.url, connections, durationSec, idPrefix: `${tag}-bare` });
    const cpu = meter.stop();
    log(`intake: bare ${result.acceptedPerSec.toFixed(0)}/s, p99 ${result.latencyMs.p99} ms`);
    return { result, cpu };
  } finally {
    await bare.stop();
  }
}

async function measureCrossdockClosedLoop(options: IntakeOptions, tag: string, log: Log) {
  const { connections, durationSec, warmupSec } = options;
  log(`intake: crossdock (SQLite, durable group commit, worker on, sandbox ERP ${options.erp === 'in-process' ? 'in-process' : 'in its own process'}), ` +
    `closed loop, ${connections} connections, ${warmupSec} s warm-up + ${durationSec} s`);
  return withCrossdock(options, async (crossdock, erp) => {
    if (warmupSec > 0) await closedLoop({ url: crossdock.url, connections, durationSec: warmupSec, idPrefix: `${tag}-cd-warm` });
    const acceptedBefore = await crossdock.metric('crossdock_orders_accepted_total');
    const postedBefore = await crossdock.metric('crossdock_orders_posted_total');
    const meter = startCpuMeter(crossdockProcesses(crossdock, erp));
    const fromUs = monotonicUs();
    const result = await closedLoop({ url: crossdock.url, connections, durationSec, idPrefix: `${tag}-cd` });
    const window: SampleWindow = { fromUs, toUs: monotonicUs() };
    const cpu = meter.stop();
    const acceptedServerSide = (await crossdock.metric('crossdock_orders_accepted_total')) - acceptedBefore;
    const posted = (await crossdock.metric('crossdock_orders_posted_total')) - postedBefore;
    return { result, cpu, window, acceptedServerSide, posted };
  });
}

/**
 * Open loop (`pacedLoad`): order i is due at i / offeredPerSec whatever happened to the earlier
 * ones, and its latency counts from that due time, so time spent queued behind a slow answer
 * (client side or server side) is counted rather than hidden as a closed loop hides it.
 */
async function measureCrossdockOpenLoop(options: IntakeOptions, offeredPerSec: number, tag: string, log: Log): Promise<OpenLoopResult> {
  const { connections, durationSec, warmupSec } = options;
  const paced = (url: string, seconds: number, idPrefix: string) =>
    pacedLoad({ url, ratePerSec: offeredPerSec, durationSec: seconds, connections, idPrefix });
  // The same schedule against the bare endpoint first: its latency is what the generator (on the
  // same cores) and the machine add by themselves, the floor crossdock's figure stands on.
  log(`intake: bare endpoint, open loop at ${offeredPerSec}/s on ≤ ${connections} connections, ${warmupSec} s warm-up + ${durationSec} s`);
  const bareServer = await startBare();
  let bare: PacedSummary;
  try {
    if (warmupSec > 0) await paced(bareServer.url, warmupSec, `${tag}-bare-open-warm`);
    bare = await paced(bareServer.url, durationSec, `${tag}-bare-open`);
  } finally {
    await bareServer.stop();
  }
  log(`intake: crossdock, open loop at ${offeredPerSec} orders/s on ≤ ${connections} connections, ${warmupSec} s warm-up + ${durationSec} s`);
  return withCrossdock(options, async (crossdock, erp) => {
    // Warm up at the rate that is then measured, so the measured run starts in the state it measures.
    if (warmupSec > 0) await paced(crossdock.url, warmupSec, `${tag}-open-warm`);
    const meter = startCpuMeter(crossdockProcesses(crossdock, erp));
    const fromUs = monotonicUs();
    const result = await paced(crossdock.url, durationSec, `${tag}-open`);
    const window: SampleWindow = { fromUs, toUs: monotonicUs() };
    return { offeredPerSec, result, bare, cpu: meter.stop(), window };
  });
}

/** The sandbox ERP (unless in-process) and a crossdock on a fresh data directory, for the length of `use`. */
async function withCrossdock<T>(
  options: IntakeOptions,
  use: (crossdock: RunningCrossdock, erp: RunningSandboxErp | undefined) => Promise<T>,
): Promise<T> {
  const erp = options.erp === 'in-process' ? undefined : await startSandboxErp({ runtime: options.runtime });
  try {
    const crossdock = await startCrossdock({
      runtime: options.runtime,
      ...(erp ? { erpUrl: erp.apiBaseUrl } : {}),
      ...(options.crossdockNodeArgs ? { nodeArgs: options.crossdockNodeArgs } : {}),
    });
    try {
      return await use(crossdock, erp);
    } finally {
      await crossdock.stop();
    }
  } finally {
    await erp?.stop();
  }
}

/** The processes whose CPU a crossdock run is charged with; the generator is this process. */
function crossdockProcesses(crossdock: RunningCrossdock, erp: RunningSandboxErp | undefined): Record<string, number> {
  return { crossdock: crossdock.child.pid, ...(erp ? { 'sandbox ERP': erp.child.pid } : {}), generator: process.pid };
}
