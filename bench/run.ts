import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMappingThroughput, runWebhookRound, webhookSigningCost } from './scenarios/channels.js';
import { runErpProtection } from './scenarios/erp-protection.js';
import { runIntake } from './scenarios/intake.js';
import { runEdiParse } from './scenarios/edi-parse.js';
import { runPrices } from './scenarios/prices.js';
import { runInventory } from './scenarios/inventory.js';
import { runJournalSearch } from './scenarios/journal-search.js';
import { runTryton } from './scenarios/tryton.js';
import { cleanupAll, REPO_ROOT } from './support/children.js';
import { benchPlan, ScenarioProgress } from './support/scenario-progress.js';
import { formatRanking, rankProfile } from './support/profile.js';
import { renderReport, summarizeIntake, summarizeWebhooks, type BenchReport } from './support/report.js';
import { setDistDir, type Runtime } from './support/servers.js';
import { machineInfo } from './support/stats.js';

/**
 * `npm run bench` — runs the scenarios and writes BENCHMARKS.md:
 *   (a) intake: POST /v1/orders of a real crossdock beside a bare Fastify endpoint, closed loop
 *       (rates), then crossdock open loop at 30 % of the bare rate (latency);
 *   (b) ERP protection: a burst at 20× the sandbox ERP's rate cap;
 *   (c) webhook intake: Shopify orders/create of 50 lines to crossdock and to the bare endpoint, closed loop;
 *   (d) mapping throughput of every channel type's mapping, in this process, beside JSON.parse.
 *   (e) EDI: a 50 MB X12 interchange of 100,000 850s streamed through the parser (MB/s, peak RSS ≤ 200 MB).
 *   (g) prices: a 20-line POST /v1/prices/quote on a book of ~100,000 rules beside a bare endpoint (p99 ≤ 5 ms).
 *   (h) inventory: 1,000,000 SKU-locations loaded (time, peak RSS ≤ 1 GiB) beside a bare table; 10,000 deltas/s to a Shopify
 *       store with publish lag p50/p99 (p99 ≤ 1 s); a hot-SKU burst's channel calls beside one per delta (≥ 10× fewer).
 *   (i) journal search: 1,000,000 orders seeded into SQLite, then every console search shape over HTTP (p99 ≤ 200 ms).
 *   (f) Tryton: orders per minute into a real Tryton through crossdock beside direct JSON-RPC calls
 *       (overhead ≤ 10 %), and shipment-to-channel latency.
 *
 * Options (after `npm run bench --`):
 *   --only intake|erp|channels|edi|tryton|prices|inventory|search  run one scenario, or (c) and (d) (BENCHMARKS.md then holds only those)
 *   --rounds N               rounds of (a): bare and crossdock closed loop (order alternating), then crossdock open loop;
 *                            and of (c): bare and crossdock closed loop (order alternating) (default 2)
 *   --duration S             measured seconds of each run of (a) and (c) (default 10); --warmup S before each (default 2)
 *   --connections N          connections in (a), (b) and (c), the most the open-loop runs may open (default 64)
 *   --map-seconds S          measured seconds of mapping per channel type in (d) (default 2)
 *   --rate-cap C             the sandbox ERP's cap in (b) (default 50)
 *   --burst S / --drain S    burst and drain-watch seconds of (b) (default 10 / 15)
 *   --intake-erp child|in-process  where crossdock's sandbox ERP runs in (a) (default: its own process)
 *   --runtime tsx|dist       run crossdock from the sources (default) or compiled (--dist-dir, default dist/)
 *   --cpu-prof DIR           profile crossdock during (a) (node --cpu-prof) and print where the time went
 *   --tryton-orders N        orders per side and round in (f) (default 40), --tryton-rounds N (default 3);
 *                            --tryton-shipments N timed in (f) (default 20)
 *   --inventory-levels N     SKU-locations loaded in (h) (default 1000000); --inventory-skus N SKUs the deltas of (h) spread over (default 2000)
 *   --search-entries N       journal entries seeded for (i) (default 1000000); --search-requests N a query shape (default 200)
 *   --out FILE               where to write the report (default BENCHMARKS.md); --json FILE for raw results
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    'rate-cap': { type: 'string', default: '50' },
    'map-seconds': { type: 'string', default: '2' },
    burst: { type: 'string', default: '10' },
    drain: { type: 'string', default: '15' },
    runtime: { type: 'string', default: 'tsx' },
    'intake-erp': { type: 'string', default: 'child' },
    'dist-dir': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'tryton-orders': { type: 'string', default: '40' },
    'tryton-rounds': { type: 'string', default: '3' },
    'tryton-shipments': { type: 'string', default: '20' },
    'inventory-levels': { type: 'string', default: '1000000' },
    'inventory-skus': { type: 'string', default: '2000' },
    'search-entries': { type: 'string', default: '1000000' },
    'search-requests': { type: 'string', default: '200' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    json: { type: 'string' },
  },
});

if (values.only && !['intake', 'erp', 'channels', 'edi', 'tryton', 'prices', 'inventory', 'search'].includes(values.only)) throw new Error('--only is intake, erp, channels, edi, tryton, prices, inventory or search');
const runtime = values.runtime as Runtime;
if (runtime !== 'tsx' && runtime !== 'dist') throw new Error('--runtime is tsx or dist');
if (values['dist-dir']) setDistDir(resolve(values['dist-dir']));
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const connections = num('connections');
const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// Children are killed by PID when the run ends. Ctrl-C stops after the current scenario (and
// still writes what was measured); a second Ctrl-C kills everything at once.
process.on('exit', cleanupAll);
const scenarios = new ScenarioProgress(benchPlan(values.only, (name) => Number(values[name as keyof typeof values])), log, () => {
  cleanupAll();
  process.exit(130);
});
const wanted = (key: string) => (!values.only || values.only === key) && scenarios.begin(key);
const started = Date.now();
const report: BenchReport = {
  machine: machineInfo(),
  loadAverageAtStart: loadavg(),
  runtime: runtime === 'tsx' ? 'tsx (TypeScript sources)' : 'compiled dist/',
  wallSeconds: 0,
};
log(`${report.machine.cpuModel} × ${report.machine.cpuCount}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; load average ${report.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}`);

let profileDir: string | undefined;
if (values['cpu-prof']) {
  profileDir = resolve(values['cpu-prof']);
  mkdirSync(profileDir, { recursive: true });
}

try {
  if (wanted('intake')) {
    const rounds = [];
    for (let round = 1; round <= num('rounds'); round++) {
      log(`(a) intake, round ${round}`);
      rounds.push(await runIntake({
        runtime, connections, durationSec: num('duration'), warmupSec: Number(values.warmup), log, crossdockFirst: round % 2 === 0,
        erp: values['intake-erp'] === 'in-process' ? 'in-process' : 'child',
        ...(profileDir ? { crossdockNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
      }));
    }
    report.intake = summarizeIntake(rounds);
    if (profileDir) {
      const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profileDir!, f));
      // Each crossdock child writes its own profile; a window keeps only the samples of its measured run.
      rounds.forEach((round, i) => {
        const windows = { 'closed loop': round.crossdockWindow, 'open loop': round.openLoop.window };
        for (const [run, window] of Object.entries(windows)) {
          for (const file of files) {
            const ranking = rankProfile(file, { window });
            if (ranking.totalMs > 0) process.stdout.write(`(a) round ${i + 1}, crossdock ${run}\n${formatRanking(ranking)}\n\n`);
          }
        }
      });
    }
  }
  if (wanted('erp')) {
    log('(b) ERP protection');
    report.erp = await runErpProtection({
      // 95 %: the ERP counts arrivals in a sliding second, and arrivals jitter by a few ms around their slots.
      runtime, rateCap: num('rate-cap'), rateShare: 0.95, demandMultiple: 20, callsPerOrder: 2,
      warmupSec: Number(values.warmup), burstSec: num('burst'), drainSec: num('drain'), connections,
      ...(report.intake ? { referenceP99Ms: report.intake.crossdockP99 } : {}),
      log,
    });
  }
  if (wanted('edi')) {
    log('(e) EDI parse');
    report.ediParse = await runEdiParse({ sets: 100_000, log });
  }
  if (wanted('inventory')) {
    log('(h) inventory');
    report.inventory = await runInventory({ levels: num('inventory-levels'), skus: num('inventory-skus'), seconds: num('duration'), log });
  }
  if (wanted('search')) {
    log('(i) journal search');
    report.search = await runJournalSearch({ entries: num('search-entries'), requestsPerShape: num('search-requests'), log });
  }
  if (wanted('prices')) {
    log('(g) prices');
    // Few connections: the target is the latency of one quote, not the queueing of many.
    report.prices = await runPrices({ durationSec: num('duration'), connections: 4, log });
  }
  if (wanted('tryton')) {
    log('(f) Tryton');
    report.tryton = await runTryton({
      runtime, orders: num('tryton-orders'), rounds: num('tryton-rounds'), concurrency: 2, shipments: num('tryton-shipments'), pollSeconds: 1, log,
    });
  }
  if (wanted('channels')) {
    const signing = webhookSigningCost();
    log(`(c) webhook intake: ${signing.bodyBytes} bytes a body; signing ${signing.perRequestUs.toFixed(1)} µs a request (full HMAC ${signing.fullHmacUs.toFixed(1)} µs)`);
    const rounds = [];
    for (let round = 1; round <= num('rounds'); round++) {
      log(`(c) webhook intake, round ${round}`);
      rounds.push(await runWebhookRound({
        runtime, connections, durationSec: num('duration'), warmupSec: Number(values.warmup), log, crossdockFirst: round % 2 === 0,
      }));
    }
    report.webhooks = summarizeWebhooks(rounds, signing);
    log('(d) mapping throughput');
    // No child is running any more: the mapping has the bench process's core to itself.
    report.mapping = runMappingThroughput({ seconds: num('map-seconds'), warmupSec: 0.5, slices: 10, log });
  }
} finally {
  scenarios.dispose();
  cleanupAll();
}
if (scenarios.stopped) log(`stopped by Ctrl-C: not run ${scenarios.skipped.join(', ') || '(none)'}; the report holds what was measured`);

report.wallSeconds = (Date.now() - started) / 1000;
const outFile = resolve(REPO_ROOT, values.out!);
writeFileSync(outFile, renderReport(report));
if (values.json) writeFileSync(resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${outFile} in ${report.wallSeconds.toFixed(0)} s`);
