import { SEED_ITEMS } from '../../src/connectors/sandbox-erp/seed.js';
import type { MappingResult, WebhookRoundResult, WebhookSigningCost } from '../scenarios/channels.js';
import type { ErpProtectionResult } from '../scenarios/erp-protection.js';
import type { IntakeResult } from '../scenarios/intake.js';
import type { EdiParseResult } from '../scenarios/edi-parse.js';
import type { PricesBenchResult } from '../scenarios/prices.js';
import type { InventoryBenchResult } from '../scenarios/inventory.js';
import { journalSearchTargetRows, renderJournalSearch, type JournalSearchResult } from '../scenarios/journal-search.js';
import type { TrytonBenchResult } from '../scenarios/tryton.js';
import { describeCpu, type CpuUsage } from './cpu.js';
import type { LoadSummary } from './load.js';
import { fmt, type LatencySummary, type MachineInfo } from './stats.js';

export interface BenchReport {
  machine: MachineInfo;
  loadAverageAtStart: number[];
  runtime: string;
  wallSeconds: number;
  intake?: IntakeSummary;
  erp?: ErpProtectionResult;
  webhooks?: WebhookSummary;
  mapping?: MappingResult;
  ediParse?: EdiParseResult;
  tryton?: TrytonBenchResult;
  prices?: PricesBenchResult;
  inventory?: InventoryBenchResult;
  search?: JournalSearchResult;
}

/** Scenario (c) over its rounds; no target: shown, not judged. */
export interface WebhookSummary {
  rounds: WebhookRoundResult[];
  signing: WebhookSigningCost;
  crossdockPerSec: number;
  barePerSec: number;
  ratio: number;
}

export function summarizeWebhooks(rounds: WebhookRoundResult[], signing: WebhookSigningCost): WebhookSummary {
  const over = (pick: (r: WebhookRoundResult) => number) => median(rounds.map(pick));
  return {
    rounds,
    signing,
    crossdockPerSec: over((r) => r.crossdock.acceptedPerSec),
    barePerSec: over((r) => r.bare.acceptedPerSec),
    ratio: over((r) => r.ratio),
  };
}

/** Scenario (a) over its rounds: each round's runs, and the headline figures the targets judge (medians over rounds). */
export interface IntakeSummary {
  rounds: IntakeResult[];
  /** Closed loop at the target's connections: crossdock accepted/s, bare 2xx/s, their ratio and crossdock's p99 (judged). */
  crossdockPerSec: number;
  barePerSec: number;
  ratio: number;
  crossdockP50: number;
  crossdockP99: number;
  /** Open loop: offered and accepted orders/s, and latency from schedule (shown, beside the bare endpoint's). */
  openLoopOfferedPerSec: number;
  openLoopAcceptedPerSec: number;
  openLoopP50: number;
  openLoopP99: number;
  openLoopP99_9: number;
  openLoopBareP99: number;
  targets: IntakeResult['targets'];
  met: IntakeResult['met'];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarizeIntake(rounds: IntakeResult[]): IntakeSummary {
  const over = (pick: (r: IntakeResult) => number) => median(rounds.map(pick));
  const fromSchedule = (r: IntakeResult) => r.openLoop.result.latencyFromScheduleMs;
  const ratio = over((r) => r.ratio);
  const openLoopP99 = over((r) => fromSchedule(r).p99);
  const crossdockP99 = over((r) => r.crossdock.latencyMs.p99);
  const targets = rounds[0]!.targets;
  return {
    rounds,
    crossdockPerSec: over((r) => r.crossdock.acceptedPerSec),
    barePerSec: over((r) => r.bare.acceptedPerSec),
    ratio,
    crossdockP50: over((r) => r.crossdock.latencyMs.p50),
    crossdockP99,
    openLoopOfferedPerSec: over((r) => r.openLoop.offeredPerSec),
    openLoopAcceptedPerSec: over((r) => r.openLoop.result.acceptedPerSec),
    openLoopP50: over((r) => fromSchedule(r).p50),
    openLoopP99,
    openLoopP99_9: over((r) => fromSchedule(r).p99_9),
    openLoopBareP99: over((r) => r.openLoop.bare.latencyFromScheduleMs.p99),
    targets,
    met: {
      ratio: ratio >= targets.ratio,
      p99: crossdockP99 <= targets.p99Ms,
      noErrors: rounds.every((r) => r.met.noErrors),
    },
  };
}

const yes = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? '**met**' : '**not met**');
const ms = (v: number) => (v >= 100 ? fmt(v, 0) : fmt(v, 1));
const pct = (v: number) => `${fmt(v * 100, 1)} %`;

function latencyCells(l: LatencySummary): string[] {
  return [ms(l.p50), ms(l.p97_5), ms(l.p99), ms(l.p99_9), ms(l.max)];
}

function cpuCell(usage: CpuUsage): string {
  return describeCpu(usage).replace(/ \(cores, of \d+\)$/, '');
}

/** CPU time the server process spent per accepted request (ms): robust to other work on the machine. */
export function cpuMsPerRequest(cpu: CpuUsage, process: string, accepted: number): number {
  const cores = cpu.processes[process];
  return cores === undefined || accepted === 0 ? Number.NaN : (cores * cpu.seconds * 1000) / accepted;
}

function loadRow(name: string, round: number, r: LoadSummary, cpu: CpuUsage, process: string): string {
  return `| ${name} | ${round} | ${fmt(r.acceptedPerSec)} | ${latencyCells(r.latencyMs).join(' | ')} | ${r.accepted} | ${r.non2xx} | ${r.errors} | ${fmt(cpuMsPerRequest(cpu, process, r.accepted), 3)} | ${cpuCell(cpu)} |`;
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    'Written by `npm run bench` (`bench/run.ts`); re-run it rather than editing this file. ' +
      'Everything runs on 127.0.0.1: each server is its own child process, the load generator runs in the bench process.',
    '',
  );
  out.push('## Machine', '');
  out.push('| CPU | cores | memory | Node.js | OS | date | load average at start (1/5/15 min) | runtime | bench wall time |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  out.push(`| ${m.cpuModel} | ${m.cpuCount} | ${m.memoryGiB} GiB | ${m.node} | ${m.os} | ${m.date} | ${report.loadAverageAtStart.map((v) => v.toFixed(2)).join(' / ')} | ${report.runtime} | ${fmt(report.wallSeconds)} s |`);
  out.push('');
  out.push(
    `A ${m.cpuCount}-core machine: the server under test, the load generator and (for crossdock) the sandbox ERP share it, ` +
      'and so does any other work running at the time. The CPU columns give the cores each process used during the measured ' +
      'run, and "other work" the rest of the machine\'s busy time, read from /proc: a large "other work" figure means the run was disturbed.',
    '',
  );

  out.push('## Targets', '');
  const a = report.intake;
  const b = report.erp;
  const e = report.ediParse;
  const f = report.tryton;
  const g = report.prices;
  const h = report.inventory;
  if (a || b || e || f || g || h || report.search) {
    out.push('| scenario | target | result | |');
    out.push('|---|---|---|---|');
  } else {
    out.push('No scenario with a target was run.');
  }
  if (a) out.push(...intakeTargetRows(a));
  if (b) {
    out.push(`| (b) ERP protection | the ERP never sees more than its cap (${b.options.rateCap}) in any sliding second | peak ${b.erp.peakPerSecond} calls/s (ERP's own count) | ${yes(b.met.neverAboveCap)} |`);
    out.push(`| (b) ERP protection | no 429 from the ERP | ${b.erp.rateLimited} × 429 | ${yes(b.met.no429)} |`);
    out.push(`| (b) ERP protection | intake p99 during the burst ≤ 1.25 × (a)'s closed-loop p99${b.targets.p99Ms !== undefined ? ` = ${ms(b.targets.p99Ms)} ms` : ''} | p99 ${ms(b.intake.latencyFromScheduleMs.p99)} ms | ${yes(b.met.p99)} |`);
    out.push(`| (b) ERP protection | backlog drains at ≥ ${pct(b.targets.drainShare)} of the cap | ${fmt(b.erp.drainCallsPerSec, 1)} calls/s = ${pct(b.erp.drainShare)} | ${yes(b.met.drain)} |`);
    out.push(`| (b) ERP protection | no intake errors during the burst | ${b.intake.non2xx} non-2xx, ${b.intake.errors} errors | ${yes(b.met.noIntakeErrors)} |`);
  }
  if (e) {
    out.push(`| (e) EDI parse | peak RSS ≤ ${e.targets.peakRssMb} MB streaming a ${fmt(e.bytes / 1e6, 1)} MB interchange of ${e.sets} 850s | ${fmt(e.peakRssMb)} MB | ${yes(e.met.peakRss)} |`);
    out.push(`| (e) EDI parse | every set read, no errors | ${e.sets} sets, ${e.errors} errors | ${yes(e.met.noErrors)} |`);
  }
  if (f) {
    out.push(`| (f) Tryton | crossdock's overhead over direct JSON-RPC calls ≤ ${pct(f.targets.overhead)} (orders per minute into Tryton) | median ${pct(f.overhead)} | ${yes(f.met.overhead)} |`);
    out.push(`| (f) Tryton | every order posted exactly once | ${f.salesPerOrder.withOneSale} of ${f.salesPerOrder.orders} orders with exactly one sale | ${yes(f.met.everyOrderOnce)} |`);
  }
  if (g) {
    out.push(`| (g) prices | a ${g.linesPerQuote}-line quote over HTTP on a book of ${g.rules} rules, p99 ≤ ${g.targets.p99Ms} ms | p99 ${g.crossdock.latencyMs.p99} ms (bare endpoint ${g.bare.latencyMs.p99} ms), ${fmt(g.crossdock.acceptedPerSec)} quotes/s | ${yes(g.met.p99)} |`);
    out.push(`| (g) prices | no errors | ${g.crossdock.non2xx} non-2xx, ${g.crossdock.errors} errors | ${yes(g.met.noErrors)} |`);
  }
  if (h) out.push(...inventoryTargetRows(h));
  if (report.search) out.push(...journalSearchTargetRows(report.search));
  out.push('');
  if (report.webhooks || report.mapping) {
    out.push('(c) webhook intake and (d) mapping throughput have no target: their figures are shown, not judged.', '');
  }

  if (a) out.push(...renderIntake(a));

  if (b) {
    const o = b.options;
    out.push('## (b) ERP protection: a burst at 20× the ERP\'s rate cap', '');
    out.push(
      `**Method.** The sandbox ERP runs as its own process with \`--rate-cap ${o.rateCap}\`: above ${o.rateCap} calls in any sliding ` +
        `second it answers 429. crossdock runs with \`--erp-url\` and \`protection: { erp: { ratePerSecond: ${fmt(o.rateCap * o.rateShare, 2)}, burst: 1 } }\` ` +
        `(${pct(o.rateShare)} of the cap). **"20× the cap" is counted in ERP calls:** an order costs ${o.callsPerOrder} ERP calls once master data is ` +
        `cached (a lookup by external reference, then the create), so ${b.ordersPerSec} orders/s ask the ERP for ` +
        `${b.ordersPerSec * o.callsPerOrder} calls/s = ${o.demandMultiple} × ${o.rateCap}. After ${o.warmupSec} s of closed-loop warm-up as in (a) ` +
        `(which already queues more orders than the ERP budget can take), orders are sent open loop at ${b.ordersPerSec}/s for ${o.burstSec} s ` +
        `(request i is due at i/${b.ordersPerSec} s whatever happened before, ≤ ${o.connections} connections; latency counted from the due time, ` +
        `so no coordinated omission), then the ERP is watched for ${o.drainSec} s more. The ERP's \`GET /sandbox/erp/stats\` is polled every ` +
        '250 ms from crossdock\'s start: its `peakPerSecond` is the exact maximum of calls received in any sliding second (429s included). ' +
        'The drain rate is ERP calls served (not 429/5xx) per second from the end of the burst to the end of the watch, divided by the cap; ' +
        'the backlog is far from empty then, so only the budget limits it. crossdock\'s journal gives the same sliding-second peak on ' +
        'crossdock\'s side (call start = attempt end − latency).',
      '',
    );
    const l = b.intake.latencyFromScheduleMs;
    out.push('**Intake during the burst**', '');
    const span = (b.intake.finishedAt - b.intake.startedAt) / 1000;
    out.push('| offered orders/s | accepted | answered within | non-2xx | errors | p50 ms | p97.5 ms | p99 ms | p99.9 ms | max ms | (a) p99 × 1.25 | CPU cores during the burst |');
    out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    out.push(`| ${b.ordersPerSec} | ${b.intake.accepted} / ${b.intake.scheduled} | ${fmt(span, 1)} s | ${b.intake.non2xx} | ${b.intake.errors} | ${latencyCells(l).join(' | ')} | ${b.targets.p99Ms !== undefined ? ms(b.targets.p99Ms) : 'n/a'} | ${cpuCell(b.cpu.burst)} |`);
    out.push('');
    out.push(`p99 per second of the burst (ms): ${b.intake.perSecond.map((s) => ms(s.p99)).join(', ')}.`);
    out.push('');
    out.push('**The ERP**', '');
    out.push('| cap (calls/s) | crossdock budget | peak received in a sliding second (ERP) | peak served (ERP) | peak sent in a sliding second (crossdock journal) | 429s | drain calls/s | drain ÷ cap | sales orders created | backlog at the end |');
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    out.push(`| ${o.rateCap} | ${fmt(o.rateCap * o.rateShare, 2)} | ${b.erp.peakPerSecond} | ${b.erp.peakServedPerSecond} | ${b.sent.peakPerSecond} (at ${fmt(b.sent.peakAt, 1)} s, ${b.sent.peakPhase}) | ${b.erp.rateLimited} | ${fmt(b.erp.drainCallsPerSec, 1)} over ${fmt(b.erp.drainWindowSec, 1)} s | ${pct(b.erp.drainShare)} | ${b.erp.salesOrders} | ${b.crossdock.backlogAtEnd} jobs (≈ ${fmt(b.crossdock.secondsToDrainRest)} s more at this rate) |`);
    out.push('');
    out.push(`ERP calls received per second from the burst's start: ${b.erp.perSecond.join(', ')}.`);
    out.push(`On crossdock's side (journal): ${b.sent.calls} calls; median gap between consecutive call starts ${fmt(b.sent.gapP50Ms, 1)} ms ` +
      `(the budget's interval is ${fmt(1000 / (o.rateCap * o.rateShare), 1)} ms), 1st percentile ${fmt(b.sent.gapP1Ms, 1)} ms; ` +
      `${b.sent.closerThanHalfInterval} calls started less than half an interval after the previous one.`);
    out.push(`Calls by route: ${Object.entries(b.erp.final.calls).map(([k, v]) => `\`${k}\` ${v}`).join(', ')}; answers: ${Object.entries(b.erp.final.responses).map(([k, v]) => `${k} × ${v}`).join(', ')}.`);
    if (b.erp.aboveCapAt.length > 0 || b.erp.rateLimitedAt.length > 0) {
      out.push(
        `The ERP's peak rose above the cap at ${b.erp.aboveCapAt.map((x) => `${fmt(x.t, 1)} s (${x.phase}, ${x.peak}/s)`).join(', ') || '—'}; ` +
          `429s were answered at ${b.erp.rateLimitedAt.map((x) => `${fmt(x.t, 1)} s (${x.phase}, ${x.count})`).join(', ') || '—'} ` +
          '(seconds from the burst\'s start, to the 250 ms poll; negative = warm-up).',
      );
    }
    out.push(`CPU cores during the drain: ${cpuCell(b.cpu.drain)}.`);
    out.push('');
  }
  if (report.webhooks) out.push(...renderWebhooks(report.webhooks));
  if (e) out.push(...renderEdiParse(e));
  if (report.prices) out.push(...renderPrices(report.prices));
  if (h) out.push(...renderInventory(h));
  if (report.search) out.push(...renderJournalSearch(report.search));
  if (f) out.push(...renderTryton(f));
  if (report.mapping) out.push(...renderMapping(report.mapping));
  return `${out.join('\n')}\n`;
}

function intakeTargetRows(a: IntakeSummary): string[] {
  const o = a.rounds[0]!.options;
  const open = a.rounds.map((r) => `open loop ${r.openLoop.result.non2xx} non-2xx, ${r.openLoop.result.errors} errors`);
  const closed = a.rounds.map((r) => `closed loop ${r.crossdock.non2xx} non-2xx, ${r.crossdock.errors} errors`);
  return [
    `| (a) intake | crossdock ≥ ${pct(a.targets.ratio)} of the bare endpoint's rate (closed loop, ${o.connections} connections) | ` +
      `${fmt(a.crossdockPerSec)} / ${fmt(a.barePerSec)} orders/s = ${pct(a.ratio)} | ${yes(a.met.ratio)} |`,
    `| (a) intake | crossdock p99 ≤ ${a.targets.p99Ms} ms (closed loop, ${o.connections} connections) | ` +
      `p99 ${ms(a.crossdockP99)} ms (p50 ${ms(a.crossdockP50)} ms) | ${yes(a.met.p99)} |`,
    `| (a) intake | no errors, no non-2xx | ${[...closed, ...open].join('; ')} | ${yes(a.met.noErrors)} |`,
  ];
}

function renderIntake(a: IntakeSummary): string[] {
  const o = a.rounds[0]!.options;
  const out: string[] = [];
  out.push('## (a) Intake: `POST /v1/orders` beside a bare Fastify endpoint', '');
  out.push(
    `**Method.** Each round measures three servers one after the other, each alone in its own child process, for ${o.durationSec} s ` +
      `after ${o.warmupSec} s of warm-up: the bare endpoint and crossdock in closed loop (bare first in odd rounds, crossdock first in ` +
      `even ones), then a fresh crossdock in open loop at ${pct(a.targets.ratio)} of the bare endpoint's rate just measured. ` +
      `${a.rounds.length} round(s); the targets are judged on the median over rounds. Every request is the README's sample order ` +
      'with its own `channelOrderId`, so none is a duplicate. ' +
      '**crossdock** is `crossdock start` on a fresh data directory with the default configuration: SQLite store, durable ' +
      '(fsync) group commit in the writer thread, the worker on; ' +
      (o.erp === 'in-process'
        ? 'its ERP is the in-process sandbox ERP (plain `crossdock start`), so the worker posts the orders at the default ERP budget (50 calls/s) on crossdock\'s own event loop while intake is measured.'
        : 'its ERP is the sandbox ERP as a third process (`sandbox-erp`, `--erp-url`), so the worker posts the orders over HTTP at the default ERP budget (50 calls/s) while intake is measured, but the ERP\'s own work is not on crossdock\'s event loop.') +
      ' **bare** is `bench/bare-server.ts`: Fastify, the same route, the same body parsed, a 202 with a response of the same shape, ' +
      'nothing else. Both run from the TypeScript sources under tsx (checked against the compiled `dist/`: same rate within noise).',
    '',
  );

  out.push('### Closed loop: rate', '');
  out.push(
    `autocannon 8: ${o.connections} keep-alive connections each send the next request as soon as the previous answer arrives ` +
      '(`requests[].setupRequest` with a counter for the ids). Latency is autocannon\'s (1 ms resolution), from send; crossdock\'s p99 here is the latency target.',
    '',
  );
  out.push('| server | round | orders/s (2xx) | p50 ms | p97.5 ms | p99 ms | p99.9 ms | max ms | 2xx | non-2xx | errors | server CPU ms per request | CPU cores during the run |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  a.rounds.forEach((r, i) => {
    out.push(loadRow('bare Fastify', i + 1, r.bare, r.cpu.bare, 'bare endpoint'));
    out.push(loadRow('crossdock', i + 1, r.crossdock, r.cpu.crossdock, 'crossdock'));
  });
  out.push('');
  const cdCpu = median(a.rounds.map((r) => cpuMsPerRequest(r.cpu.crossdock, 'crossdock', r.crossdock.accepted)));
  const bareCpu = median(a.rounds.map((r) => cpuMsPerRequest(r.cpu.bare, 'bare endpoint', r.bare.accepted)));
  out.push('"Server CPU ms per request" is the server process\'s CPU time (all threads) over the run ÷ requests answered 2xx; ' +
    `it depends far less on other work than the rate does. Median: crossdock ${fmt(cdCpu, 3)} ms per order, bare ${fmt(bareCpu, 3)} ms ` +
    `per request (${fmt(cdCpu / bareCpu, 1)}×).`);
  out.push('');
  out.push(`Ratio crossdock ÷ bare per round: ${a.rounds.map((r) => pct(r.ratio)).join(', ')}; median ${pct(a.ratio)}. ` +
    'crossdock\'s own count of accepted orders (`crossdock_orders_accepted_total`) over each measured run: ' +
    `${a.rounds.map((r) => r.crossdockAcceptedServerSide).join(', ')} (the client counts only answers received before it stopped); ` +
    `orders the worker posted to the ERP meanwhile: ${a.rounds.map((r) => r.crossdockPostedDuringRun).join(', ')}.`);
  out.push('');

  out.push(`### Open loop at ${pct(a.targets.ratio)} of the bare endpoint's rate: latency`, '');
  out.push(
    `\`bench/support/load.ts\` \`pacedLoad\` (node:http, ≤ ${o.connections} keep-alive connections): order i is due at i ÷ rate ` +
      'whatever happened to the earlier ones, and its latency counts from that due time, waiting for a free connection included, ' +
      'so no coordinated omission. The warm-up runs at the same rate.',
    '',
  );
  out.push(whyOpenLoop(a), '');
  out.push('| round | offered orders/s | accepted/s | accepted / scheduled | answered within | p50 ms | p97.5 ms | p99 ms | p99.9 ms | max ms | non-2xx | errors | bare endpoint, same schedule: p50 / p99 ms | CPU cores during the run |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  a.rounds.forEach((r, i) => {
    const run = r.openLoop.result;
    const span = (run.finishedAt - run.startedAt) / 1000;
    out.push(`| ${i + 1} | ${r.openLoop.offeredPerSec} (${pct(a.targets.ratio)} of ${fmt(r.bare.acceptedPerSec)}) | ${fmt(run.acceptedPerSec)} | ` +
      `${run.accepted} / ${run.scheduled} | ${fmt(span, 2)} s | ${latencyCells(run.latencyFromScheduleMs).join(' | ')} | ${run.non2xx} | ${run.errors} | ` +
      `${ms(r.openLoop.bare.latencyFromScheduleMs.p50)} / ${ms(r.openLoop.bare.latencyFromScheduleMs.p99)} | ${cpuCell(r.openLoop.cpu)} |`);
  });
  out.push('');
  out.push('Latency from schedule. p99 per second of the run (ms): ' +
    `${a.rounds.map((r, i) => `round ${i + 1}: ${r.openLoop.result.perSecond.map((s) => ms(s.p99)).join(', ')}`).join('; ')}.`);
  out.push('');
  return out;
}

/** What the open loop adds to the closed-loop figures, with this run's numbers. */
function whyOpenLoop(a: IntakeSummary): string {
  const o = a.rounds[0]!.options;
  const cpuCount = a.rounds[0]!.cpu.bare.cpuCount;
  const generator = (pick: (r: IntakeResult) => CpuUsage) => fmt(median(a.rounds.map((r) => pick(r).processes.generator ?? Number.NaN)), 2);
  return `**Shown, not judged.** The targets are stated for ${o.connections} connections in a closed loop, and judged there. ` +
    'A closed loop waits for each answer before sending the next, so a slow answer also slows what is offered; at a fixed ' +
    'offered rate, latency from the scheduled time counts every wait. The generator shares the ' +
    `${cpuCount} cores with the server (autocannon used ${generator((r) => r.cpu.bare)} cores against the bare endpoint and ` +
    `${generator((r) => r.cpu.crossdock)} against crossdock; this node:http generator costs more per request), so the bare ` +
    `endpoint is measured under the same schedule first: its p99 (median ${ms(a.openLoopBareP99)} ms) is what the generator and ` +
    'the machine add by themselves.';
}

function renderWebhooks(c: WebhookSummary): string[] {
  const o = c.rounds[0]!.options;
  const sig = c.signing;
  const out: string[] = [];
  out.push('## (c) Webhook intake: Shopify `orders/create` of 50 line items beside a bare Fastify endpoint', '');
  out.push(
    `**Method.** Each round measures two servers one after the other, each alone in its own child process, in closed loop ` +
      `(autocannon 8, ${o.connections} keep-alive connections) for ${o.durationSec} s after ${o.warmupSec} s of warm-up; bare first ` +
      `in odd rounds, crossdock first in even ones; ${c.rounds.length} round(s), medians over rounds. Every request is ` +
      '`POST /channels/shopify-bench/webhooks` with the headers Shopify sends (`X-Shopify-Topic: orders/create`, ' +
      '`X-Shopify-Shop-Domain`, `X-Shopify-Webhook-Id`, `X-Shopify-Hmac-Sha256`) and a REST-format order built from ' +
      `\`src/connectors/shopify/fixtures/order-basic.json\`: ${sig.lines} line items (the fixture's two lines as templates) with ` +
      `SKUs cycling through the sandbox ERP's active items SKU-1 … SKU-20 (SKU-13 is inactive), so every order can be posted, totals recomputed; **${fmt(sig.bodyBytes / 1024, 1)} KiB ` +
      `(${sig.bodyBytes} bytes) of compact JSON**. Each request has its own order id and its own webhook id, so none is a ` +
      'redelivery; crossdock\'s own count by outcome below shows it. ' +
      '**crossdock** is `crossdock start` on a fresh data directory with one Shopify instance (`pollIntervalSeconds: 86400`, ' +
      '`defaultCustomer: C-400`, `apiBaseUrl: http://127.0.0.1:9`, where nothing listens) and the defaults otherwise (SQLite, ' +
      'durable group commit, worker on), its ERP the sandbox ERP as a third process, as in (a). A 200 means the delivery was ' +
      'verified (HMAC over the raw bytes) and journaled with its job; the worker maps and takes the order in afterwards, while ' +
      'the load goes on. **bare** is `bench/bare-server.ts`: Fastify, the same path, the raw body taken as a Buffer, a 200 of ' +
      'crossdock\'s shape and size (`{"received":true,"messageId":"msg_…","duplicate":false}`), nothing else.',
    '',
  );
  out.push(
    `**Signing in the generator.** Instead of a pre-built pool of signed bodies (at the bare endpoint's rate a run needs ` +
      `${fmt(median(c.rounds.map((r) => r.bareRequestsMade)))} of them, ≈ ${fmt((median(c.rounds.map((r) => r.bareRequestsMade)) * sig.bodyBytes) / 2 ** 30, 1)} GiB), ` +
      `each body is the same ${fmt(sig.bodyBytes / 1024)} KiB prefix followed by its id fields ` +
      '(`"id"`, `"name"` … written last in the object), and the ' +
      'HMAC-SHA256 keeps the hash state after the prefix (`bench/support/shopify-webhook.ts` `prefixSigner`, checked against ' +
      `\`createHmac\` before the run): a signed request costs the generator ${fmt(sig.perRequestUs, 1)} µs to build ` +
      `(its headers, the body copied into one Buffer) and sign, against ${fmt(sig.fullHmacUs, 1)} µs for a plain HMAC of the whole body; ` +
      'autocannon then copies each body once more into its request buffer. The generator\'s cores are in the CPU column.',
    '',
  );
  out.push('| server | round | deliveries/s (2xx) | p50 ms | p97.5 ms | p99 ms | p99.9 ms | max ms | 2xx | non-2xx | errors | server CPU ms per request | CPU cores during the run |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  c.rounds.forEach((r, i) => {
    out.push(loadRow('bare Fastify', i + 1, r.bare, r.cpu.bare, 'bare endpoint'));
    out.push(loadRow('crossdock', i + 1, r.crossdock, r.cpu.crossdock, 'crossdock'));
  });
  out.push('');
  const cdCpu = median(c.rounds.map((r) => cpuMsPerRequest(r.cpu.crossdock, 'crossdock', r.crossdock.accepted)));
  const bareCpu = median(c.rounds.map((r) => cpuMsPerRequest(r.cpu.bare, 'bare endpoint', r.bare.accepted)));
  out.push(
    `Ratio crossdock ÷ bare per round: ${c.rounds.map((r) => pct(r.ratio)).join(', ')}; median ${pct(c.ratio)} ` +
      `(${fmt(c.crossdockPerSec)} / ${fmt(c.barePerSec)} deliveries/s). Server CPU per request (all threads, ÷ 2xx; crossdock's ` +
      `includes the worker mapping and taking in the orders meanwhile): median crossdock ${fmt(cdCpu, 3)} ms, bare ${fmt(bareCpu, 3)} ms ` +
      `(${fmt(cdCpu / bareCpu, 1)}×).`,
    '',
  );
  out.push('**What crossdock counted** (`/metrics` at the end of each measured run)', '');
  out.push('| round | deliveries accepted (measured run) | duplicate | rejected | 2xx seen by the client | deliveries accepted since start (warm-up included) | orders taken in by the worker since start | deliveries still queued | orders posted to the ERP | orders held |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  c.rounds.forEach((r, i) => {
    const s = r.crossdockSide;
    const held = Object.entries(s.ordersHeld).map(([code, n]) => `${n} (${code})`).join(', ') || '0';
    out.push(`| ${i + 1} | ${s.deliveries.accepted} | ${s.deliveries.duplicate} | ${s.deliveries.rejected} | ${r.crossdock.accepted} | ` +
      `${s.deliveriesAcceptedSinceStart} | ${s.ordersTakenIn} (${pct(s.ordersTakenIn / s.deliveriesAcceptedSinceStart)}) | ${s.deliveryBacklog} | ${s.ordersPosted} | ${held} |`);
  });
  out.push('');
  const polls = [...new Set(c.rounds.map((r) => r.crossdockSide.pollLog ?? 'no log line about it'))];
  out.push(
    'The delivery backlog is the gap between what intake journals and what the worker takes in (maps, checks, stores as an ' +
      'order) meanwhile: a 200 promises only the first. ' +
      (c.rounds.some((r) => (r.crossdockSide.ordersHeld['sku.unknown'] ?? 0) > 0)
        ? `Orders held for \`sku.unknown\` name SKUs the sandbox ERP does not carry (its seed has ${SEED_ITEMS.length} items, ` +
          `SKU-1 … SKU-${SEED_ITEMS.length}); holding them is the order flow's normal answer and does not touch intake. `
        : '') +
      'The instance\'s unused `apiBaseUrl`: crossdock schedules one poll per instance at start-up whatever the interval; ' +
      `it reached the discard port at once and crossdock logged: ${polls.map((p) => `"${p}"`).join('; ')}. No later poll is due within the run.`,
    '',
  );
  return out;
}

function renderMapping(d: MappingResult): string[] {
  const o = d.options;
  const out: string[] = [];
  out.push('## (d) Mapping throughput per channel type', '');
  out.push(
    '**Method.** In the bench process (one core, no server running), for every type of `CHANNEL_TYPES` ' +
      '(`src/channels/catalog.ts`): `type.mapOrder(document, createMappingContext({ channel: \'bench\', defaultCustomer: \'C-400\' }))` ' +
      'then `submissionProblems` of the submission (Order v1 schema), as `src/channels/document-intake.ts` does for every ' +
      'document a worker takes in; the document is already parsed and is the same object every time. Baseline: `JSON.parse` of ' +
      `the same document's compact JSON text. After ${o.warmupSec} s of each, ${o.seconds} s of mapping and ${fmt(o.seconds / 2, 1)} s ` +
      `of parsing are measured in ${o.slices} alternating slices, so both see the same disturbances. "Lines" are those of the ` +
      'canonical order the mapping produced; µs per line = µs per order ÷ lines. WooCommerce\'s document is `{ order, refunds: [] }`, ' +
      'the shape crossdock journals. Times are wall-clock: when other work takes part of the core (CPU column below 1), both ' +
      'figures grow alike, and their ratio is the one to compare across runs.',
    '',
  );
  out.push('| channel type | document | JSON bytes | lines | orders/s | µs per order | µs per line | JSON.parse µs | mapping ÷ JSON.parse | CPU cores during the run |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of d.rows) {
    out.push(`| ${r.type} | \`${r.fixture}\` | ${r.bytes} | ${r.lines} | ${fmt(1e6 / r.mapUs)} | ${fmt(r.mapUs, 1)} | ${fmt(r.mapUs / r.lines, 1)} | ` +
      `${fmt(r.parseUs, 1)} | ${fmt(r.mapUs / r.parseUs, 1)}× | ${cpuCell(r.cpu)} |`);
  }
  out.push('');
  if (d.skipped.length > 0) out.push(`No representative document for: ${d.skipped.join(', ')} (not measured).`, '');
  return out;
}

function renderPrices(g: PricesBenchResult): string[] {
  const c = g.crossdock.latencyMs;
  const b = g.bare.latencyMs;
  return [
    '## (g) Prices: 20-line quotes from the price book',
    '',
    '**Method.** `bench/prices-server.ts` builds a book of ' + `${g.rules}` + ' rules (20,000 SKUs with a list price and 2 quantity breaks, ' +
      '3 customer-group tiers each, a 10 % promotion on every 20th SKU for channel `web`, 2,000 customers with a contract on 10 SKUs each), ' +
      `writes it to a SQLite store (${g.storeMs} ms) and reads it back into memory as crossdock does at start (${g.loadMs} ms, heap ${g.heapMb} MB). ` +
      `Then autocannon, closed loop on ${g.connections} connections, sends \`POST /v1/prices/quote\` of ${g.linesPerQuote} random lines ` +
      '(random customer, SKUs, quantities 1–150, half with channel `web`) to crossdock\'s HTTP server with the price routes, then to a ' +
      'bare Fastify endpoint answering a canned quote of the same size (the baseline of the same run). Latency has autocannon\'s 1 ms resolution.',
    '',
    '| server | quotes/s | p50 ms | p97.5 ms | p99 ms | max ms | non-2xx | errors |',
    '|---|---|---|---|---|---|---|---|',
    `| crossdock | ${fmt(g.crossdock.acceptedPerSec)} | ${c.p50} | ${c.p97_5} | ${c.p99} | ${c.max} | ${g.crossdock.non2xx} | ${g.crossdock.errors} |`,
    `| bare endpoint | ${fmt(g.bare.acceptedPerSec)} | ${b.p50} | ${b.p97_5} | ${b.p99} | ${b.max} | ${g.bare.non2xx} | ${g.bare.errors} |`,
    '',
    `Ratio crossdock ÷ bare (quotes per second): ${pct(g.ratio)}.`,
    '',
  ];
}

function renderEdiParse(e: EdiParseResult): string[] {
  return [
    '## (e) EDI: streaming parse of a 50 MB interchange',
    '',
    '**Method.** `bench/edi-parse.ts`: a child process writes one interchange of ' + `${e.sets}` + ' 850 purchase orders (3 to 6 lines each, ' +
      'with REF, DTM, N1/N3/N4, PID and CTT) to a temporary file; a second process streams the file once with nothing done to it (the ' +
      'baseline of the same run), then through `parseX12Stream`, which yields one transaction set at a time with its envelope checked. ' +
      'Peak RSS is that process\'s own, Node and tsx included.',
    '',
    '| file | sets | read alone MB/s | parse MB/s | parse ÷ read | sets/s | peak RSS MB | errors |',
    '|---|---|---|---|---|---|---|---|',
    `| ${fmt(e.bytes / 1e6, 1)} MB | ${e.sets} | ${fmt(e.readMbPerSec)} | ${fmt(e.parseMbPerSec, 1)} | ${fmt((e.parseMbPerSec / e.readMbPerSec) * 100, 1)} % | ${fmt(e.setsPerSec)} | ${fmt(e.peakRssMb)} | ${e.errors} |`,
    '',
  ];
}

function renderTryton(f: TrytonBenchResult): string[] {
  const o = f.options;
  const l = f.shipmentToChannelMs;
  return [
    '## (f) Tryton: orders into a real ERP, and shipments back to the channel',
    '',
    `**Method.** Tryton ${f.trytonVersion} (Debian's packages, SQLite) serves a fresh copy of the database set up by \`scripts/tryton/setup.sh\` ` +
      `on 127.0.0.1; crossdock runs as its own process with \`--erp-url tryton+http://…\` and ${o.concurrency} ERP calls in flight. ` +
      `Each round posts ${o.orders} orders of three lines twice, one way after the other on the same server (the order alternates by round): ` +
      '**direct** — the calls a minimal correct integration makes (look the reference up, `create`, `quote`, `confirm`, `process`, read the state ' +
      `back), ${o.concurrency} sales at a time; **crossdock** — \`POST /v1/orders\`, timed until its worker has posted the last one ` +
      '(customer and item checks, the reference lookup, the address lookup, the four workflow calls, the state read back, every attempt journaled). ' +
      `Overhead = crossdock's time ÷ the direct time − 1; the median over rounds is judged. crossdock's change polls (every ${o.pollSeconds} s) ` +
      `run throughout, during both ways of posting. Then ${f.shipmentsTimed} Shopify orders come in through signed webhooks; once posted, ` +
      `each one's shipment is done in Tryton (assign, pick, pack, done, one at a time) and timed until the fulfilment appears at the Shopify fake; ` +
      `crossdock polls Tryton's changes every ${o.pollSeconds} s, which bounds the latency from below.`,
    '',
    '| round | first | direct sales/min | crossdock orders/min | overhead |',
    '|---|---|---|---|---|',
    ...f.rounds.map((r, i) => `| ${i + 1} | ${r.crossdockFirst ? 'crossdock' : 'direct'} | ${fmt(r.direct.perMinute)} (${fmt(r.direct.seconds, 1)} s) | ${fmt(r.crossdock.perMinute)} (${fmt(r.crossdock.seconds, 1)} s) | ${pct(r.overhead)} |`),
    '',
    `Shipment done in Tryton → fulfilment at the channel (${f.shipmentsTimed} shipments, poll every ${o.pollSeconds} s): ` +
      `p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms.`,
    '',
  ];
}

function inventoryTargetRows(h: InventoryBenchResult): string[] {
  const mib = (mb: number) => fmt((mb * 1e6) / 1_048_576);
  return [
    `| (h) inventory | ${h.load.levels.toLocaleString('en-US')} SKU-locations loaded, peak RSS ≤ 1 GiB | ${fmt(h.load.loadSeconds, 1)} s, peak RSS ${mib(h.load.peakRssMb)} MiB | ${yes(h.load.met)} |`,
    `| (h) inventory | ${fmt(h.lag.offeredPerSec)} deltas/s, publish lag p99 ≤ ${h.targets.lagP99Ms} ms | p50 ${ms(h.lag.latencyMs.p50)} ms, p99 ${ms(h.lag.latencyMs.p99)} ms; ${h.lag.resolved} of ${h.lag.deltas} deltas reached the channel | ${yes(h.lag.met)} |`,
    `| (h) inventory | hot-SKU burst: ≥ ${h.targets.callReduction}× fewer channel calls than one per delta | ${h.burst.channelCalls} calls for ${h.burst.deltas} deltas = ${fmt(h.burst.reduction)}× fewer | ${yes(h.burst.met)} |`,
  ];
}

function renderInventory(h: InventoryBenchResult): string[] {
  const l = h.load;
  return [
    '## (h) Inventory: load, publish lag, coalescing', '',
    `**Method.** (1) A child process loads ${l.levels.toLocaleString('en-US')} SKU-locations (4 locations a SKU) into a fresh inventory engine on SQLite, ` +
      'as a full load in `set` pages of 20,000 (each page journaled, applied, its levels stored), then starts a second engine on the same ' +
      'file as a restart would; its peak RSS is sampled every 50 ms. The baseline of the same run inserts the same rows into a bare ' +
      `SQLite table. (2) crossdock in this process publishes to one Shopify store (the local fake of the GraphQL Admin API) with a ` +
      `freshness window of ${h.lag.freshnessMs} ms; ${fmt(h.lag.offeredPerSec)} deltas a second of one unit each (100 every 10 ms) spread ` +
      `at random over ${h.lag.skus} SKUs for the run's duration; each delta is timed from its ingestion to the arrival (sampled every 2 ms) ` +
      'of the first quantity that includes it. (3) 10,000 deltas of −1 (picks) on 10 hot SKUs within one second (100 batches of 100); the ' +
      'channel calls crossdock makes are counted beside the one call per delta that publishing every delta would cost.',
    '',
    '| levels | load s | bare table s | load ÷ bare | restart s | peak RSS MiB |',
    '|---|---|---|---|---|---|',
    `| ${l.levels} | ${fmt(l.loadSeconds, 1)} | ${fmt(l.bareSeconds, 1)} | ${fmt(l.ratioToBare, 1)} | ${fmt(l.restartSeconds, 1)} | ${fmt((l.peakRssMb * 1e6) / 1_048_576)} |`,
    '',
    '| deltas | ingested/s | reached the channel | p50 ms | p99 ms | p99.9 ms | max ms | channel calls |',
    '|---|---|---|---|---|---|---|---|',
    `| ${h.lag.deltas} | ${fmt(h.lag.ingestedPerSec)} | ${h.lag.resolved} | ${ms(h.lag.latencyMs.p50)} | ${ms(h.lag.latencyMs.p99)} | ${ms(h.lag.latencyMs.p99_9)} | ${ms(h.lag.latencyMs.max)} | ${h.lag.channelCalls} |`,
    '',
    `Hot-SKU burst: ${h.burst.deltas} deltas on ${h.burst.hotSkus} SKUs in ${h.burst.batches} batches → ${h.burst.channelCalls} channel calls ` +
      `(one per delta: ${h.burst.perDeltaCalls}; one per batch received: ${h.burst.batches}).`,
    '',
  ];
}
