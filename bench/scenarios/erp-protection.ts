import { performance } from 'node:perf_hooks';
import { startCpuMeter, type CpuUsage } from '../support/cpu.js';
import { erpCallStarts, peakInSlidingWindow } from '../support/journal.js';
import { closedLoop, pacedLoad, type PacedSummary } from '../support/load.js';
import { startCrossdock, startSandboxErp, type Runtime, type SandboxErpStats } from '../support/servers.js';
import { percentile, perSecond, rateBetween, type CounterSample } from '../support/stats.js';

export interface ErpProtectionOptions {
  runtime: Runtime;
  /** The sandbox ERP's rate cap C: ERP API calls per sliding second above which it answers 429. */
  rateCap: number;
  /** crossdock's configured ERP rate as a share of C (protection.erp.ratePerSecond = share × C). */
  rateShare: number;
  /** The burst's ERP demand as a multiple of C ("20× the cap"), in ERP calls per second. */
  demandMultiple: number;
  /** ERP calls one order costs once master data is cached: a lookup by external ref + a create. */
  callsPerOrder: number;
  /** Closed-loop load before the burst, as in scenario (a), so intake is measured warm. */
  warmupSec: number;
  burstSec: number;
  /** How long the ERP calls are watched after the burst ended (the backlog is still there). */
  drainSec: number;
  connections: number;
  /** intake p99 of scenario (a), the reference for the latency target. */
  referenceP99Ms?: number;
  log?: (line: string) => void;
}

export const ERP_TARGETS = { p99VsIntake: 1.25, drainShare: 0.9 } as const;

type Phase = 'warm-up' | 'burst' | 'drain';

export interface ErpProtectionResult {
  options: Omit<ErpProtectionOptions, 'log'>;
  configYaml: string;
  ordersPerSec: number;
  intake: PacedSummary;
  cpu: { burst: CpuUsage; drain: CpuUsage };
  erp: {
    final: SandboxErpStats;
    /** The ERP's own exact maximum of calls received in any sliding second, over the whole scenario. */
    peakPerSecond: number;
    peakServedPerSecond: number;
    rateLimited: number;
    /** When the ERP's peak rose above the cap and when 429s were answered (s from the burst's start, ±0.25 s). */
    aboveCapAt: { t: number; phase: Phase; peak: number }[];
    rateLimitedAt: { t: number; phase: Phase; count: number }[];
    /** ERP calls served per second while the backlog drained (after the burst), and ÷ C. */
    drainCallsPerSec: number;
    drainShare: number;
    drainWindowSec: number;
    /** The same over the burst and the drain together. */
    busyCallsPerSec: number;
    salesOrders: number;
    /** ERP calls received per second, second by second from the burst's start. */
    perSecond: number[];
  };
  /** The same sliding-second measure on crossdock's side: call starts from its journal (at − latency). */
  sent: {
    calls: number;
    peakPerSecond: number;
    peakAt: number;
    peakPhase: Phase;
    /** Calls started less than half the budget's interval after the previous one (perfect pacing: none). */
    closerThanHalfInterval: number;
    /** Gaps between consecutive call starts (ms): 1st percentile and median. */
    gapP1Ms: number;
    gapP50Ms: number;
  };
  crossdock: {
    accepted: number;
    posted: number;
    /** Jobs still queued or running when the observation ended. */
    backlogAtEnd: number;
    /** Seconds the remaining backlog needs at the measured drain rate. */
    secondsToDrainRest: number;
  };
  targets: { peakPerSecond: number; p99Ms?: number; drainShare: number };
  met: { neverAboveCap: boolean; no429: boolean; p99?: boolean; drain: boolean; noIntakeErrors: boolean };
}

/**
 * Scenario (b): a burst far above what the ERP accepts, with crossdock between the two.
 * The sandbox ERP runs as its own process with a hard rate cap C (429 above it); crossdock runs
 * with `--erp-url` and `protection.erp = { ratePerSecond: rateShare × C, burst: 1 }`.
 * After a closed-loop warm-up like (a)'s, orders are sent open-loop at
 * `demandMultiple × C / callsPerOrder` per second for `burstSec` while intake latency is
 * measured; the ERP's stats are polled every 250 ms from crossdock's start to `drainSec` after
 * the burst. Checked: the ERP never saw more than C calls in any sliding second (its own exact
 * peak, whole scenario) and answered no 429; intake p99 during the burst against (a)'s; and the
 * ERP calls served per second during the drain against C.
 */
export async function runErpProtection(options: ErpProtectionOptions): Promise<ErpProtectionResult> {
  const log = options.log ?? (() => undefined);
  const cap = options.rateCap;
  const ratePerSecond = Math.round(cap * options.rateShare * 100) / 100;
  const ordersPerSec = Math.round((options.demandMultiple * cap) / options.callsPerOrder);
  const configYaml = [
    '# bench/scenarios/erp-protection.ts: the ERP budget a little under the sandbox ERP\'s cap.',
    'protection:',
    '  erp:',
    `    ratePerSecond: ${ratePerSecond}`,
    '    burst: 1',
    '',
  ].join('\n');
  const tag = `bench-b-${Date.now().toString(36)}`;

  log(`erp-protection: sandbox ERP cap ${cap}/s, crossdock budget ${ratePerSecond}/s; ${options.warmupSec} s warm-up, then ` +
    `${ordersPerSec} orders/s (${options.demandMultiple}× the cap in ERP calls) for ${options.burstSec} s, then ${options.drainSec} s of drain`);

  const erp = await startSandboxErp({ runtime: options.runtime, rateCap: cap });
  try {
    const crossdock = await startCrossdock({ runtime: options.runtime, erpUrl: erp.apiBaseUrl, configYaml });
    try {
      await erp.resetStats();
      // One time origin for everything: ERP polls, journal timestamps (epoch ms), phases.
      const origin = performance.now();
      const originEpoch = Date.now();
      const since = () => performance.now() - origin;
      const samples: { t: number; total: number; served: number; limited: number; peak: number }[] = [];
      const poll = async () => {
        const s = await erp.stats();
        const limited = s.responses['429'] ?? 0;
        const refused = limited + sumWhere(s.responses, (k) => k === 'dropped' || k.startsWith('5'));
        samples.push({ t: since(), total: s.total, served: s.total - refused, limited, peak: s.peakPerSecond });
      };
      let polling = true;
      const poller = (async () => {
        while (polling) {
          await poll().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();

      if (options.warmupSec > 0) {
        await closedLoop({ url: crossdock.url, connections: options.connections, durationSec: options.warmupSec, idPrefix: `${tag}-warm` });
      }
      const burstStart = since();
      const watch = { crossdock: crossdock.child.pid, 'sandbox ERP': erp.child.pid, generator: process.pid };
      const burstCpu = startCpuMeter(watch);
      const intake = await pacedLoad({
        url: crossdock.url, ratePerSec: ordersPerSec, durationSec: options.burstSec,
        connections: options.connections, idPrefix: `${tag}-burst`,
      });
      const burstEnd = since();
      const burstUsage = burstCpu.stop();
      log(`erp-protection: burst done, ${intake.accepted} accepted, p99 ${intake.latencyFromScheduleMs.p99.toFixed(1)} ms; watching the drain`);
      const drainCpu = startCpuMeter(watch);
      const observeUntil = burstEnd + options.drainSec * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, observeUntil - since())));
      polling = false;
      await poller;
      await poll();
      const drainUsage = drainCpu.stop();

      const final = await erp.stats();
      const salesOrders = await erp.salesOrderCount();
      const accepted = await crossdock.metric('crossdock_orders_accepted_total');
      const posted = await crossdock.metric('crossdock_orders_posted_total');
      const backlogAtEnd = (await crossdock.metric('crossdock_queue_depth', { status: 'queued' }))
        + (await crossdock.metric('crossdock_queue_depth', { status: 'running' }));
      const starts = erpCallStarts(crossdock.dataDir).map((epochMs) => epochMs - originEpoch);
      const sentPeak = peakInSlidingWindow(starts);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!).sort((x, y) => x - y);
      const intervalMs = 1000 / ratePerSecond;

      const phaseOf = (t: number): Phase => (t < burstStart ? 'warm-up' : t <= burstEnd ? 'burst' : 'drain');
      const fromBurst = (t: number) => Math.round((t - burstStart) / 100) / 10;
      const served: CounterSample[] = samples.map((s) => ({ t: s.t, value: s.served }));
      const total: CounterSample[] = samples.map((s) => ({ t: s.t, value: s.total }));
      // The drain: from the end of the burst to the end of the observation; the queue still
      // holds thousands of orders then, so the ERP budget is the only limit.
      const drain = rateBetween(served, burstEnd, observeUntil + 1000);
      const busy = rateBetween(served, burstStart, observeUntil + 1000);
      const lastSample = samples.at(-1)?.t ?? 0;
      const callsPerSecond = perSecond(total, burstStart, Math.min(observeUntil, lastSample)).map((v) => Math.round(v));
      const rateLimited = final.responses['429'] ?? 0;
      const p99 = intake.latencyFromScheduleMs.p99;
      const drainShare = drain.rate / cap;
      const secondsToDrainRest = backlogAtEnd / (drain.rate / options.callsPerOrder);

      log(`erp-protection: ERP peak ${final.peakPerSecond}/s (cap ${cap}), 429s ${rateLimited}, crossdock-side peak ${sentPeak.peak}/s; ` +
        `drain ${drain.rate.toFixed(1)} calls/s = ${(drainShare * 100).toFixed(1)} % of the cap`);
      const { log: _log, ...shown } = options;
      return {
        options: shown,
        configYaml,
        ordersPerSec,
        intake,
        cpu: { burst: burstUsage, drain: drainUsage },
        erp: {
          final,
          peakPerSecond: final.peakPerSecond,
          peakServedPerSecond: final.peakServedPerSecond,
          rateLimited,
          aboveCapAt: samples
            .filter((x, i) => x.peak > cap && (samples[i - 1]?.peak ?? 0) < x.peak)
            .map((x) => ({ t: fromBurst(x.t), phase: phaseOf(x.t), peak: x.peak })),
          rateLimitedAt: samples
            .map((x, i) => ({ x, count: x.limited - (samples[i - 1]?.limited ?? 0) }))
            .filter(({ count }) => count > 0)
            .map(({ x, count }) => ({ t: fromBurst(x.t), phase: phaseOf(x.t), count })),
          drainCallsPerSec: drain.rate,
          drainShare,
          drainWindowSec: drain.seconds,
          busyCallsPerSec: busy.rate,
          salesOrders,
          perSecond: callsPerSecond,
        },
        sent: {
          calls: starts.length, peakPerSecond: sentPeak.peak, peakAt: fromBurst(sentPeak.at), peakPhase: phaseOf(sentPeak.at),
          closerThanHalfInterval: gaps.filter((g) => g < intervalMs / 2).length,
          gapP1Ms: percentile(gaps, 1),
          gapP50Ms: percentile(gaps, 50),
        },
        crossdock: { accepted, posted, backlogAtEnd, secondsToDrainRest },
        targets: {
          peakPerSecond: cap,
          ...(options.referenceP99Ms !== undefined ? { p99Ms: options.referenceP99Ms * ERP_TARGETS.p99VsIntake } : {}),
          drainShare: ERP_TARGETS.drainShare,
        },
        met: {
          neverAboveCap: final.peakPerSecond <= cap,
          no429: rateLimited === 0,
          ...(options.referenceP99Ms !== undefined ? { p99: p99 <= options.referenceP99Ms * ERP_TARGETS.p99VsIntake } : {}),
          drain: drainShare >= ERP_TARGETS.drainShare,
          noIntakeErrors: intake.errors === 0 && intake.non2xx === 0,
        },
      };
    } finally {
      await crossdock.stop();
    }
  } finally {
    await erp.stop();
  }
}

function sumWhere(record: Record<string, number>, keep: (key: string) => boolean): number {
  let sum = 0;
  for (const [key, value] of Object.entries(record)) if (keep(key)) sum += value;
  return sum;
}
