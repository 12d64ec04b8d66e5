import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkSeedMatchesStore, JournalSeeder, openForSeed, type SeedRows } from '../support/journal-seed.js';
import {
  arrivals, CHANNELS, channelOrderIdOf, customerOf, CUSTOMERS, DAY, lcg, orderNumberOf, seedOrder, skuOf, SKUS,
} from '../support/search-journal.js';
import { makeTempDir, removeTempDir, spawnNode } from '../support/children.js';
import { fmt, percentile, summarize, type LatencySummary } from '../support/stats.js';

export const SEARCH_TARGETS = { p99Ms: 200 } as const;

/** Orders a seed transaction inserts (and a generating thread builds at a time). */
const BATCH = 20_000;
/** Threads building rows for the one inserting them: generation costs about as much as inserting. */
const SEED_THREADS = 2;

export interface SearchShapeResult {
  shape: string;
  requests: number;
  /** Mean number of items a request returned. */
  items: number;
  latencyMs: LatencySummary;
  p95Ms: number;
}

export interface JournalSearchResult {
  entries: number;
  seedSeconds: number;
  /** CPU time of the seed, both threads: the wall time depends on what else the machine runs. */
  seedCpuSeconds: number;
  seedPeakRssMb: number;
  databaseMb: number;
  startSeconds: number;
  /** Peak RSS of the crossdock process, read when the last search has been answered. */
  crossdockPeakRssMb: number;
  shapes: SearchShapeResult[];
  overall: LatencySummary;
  overallP95Ms: number;
  errors: number;
  targets: typeof SEARCH_TARGETS;
  met: boolean;
}

const p95 = (samples: number[]) => percentile(Float64Array.from(samples).sort(), 95);

/** High-water RSS of a process on this machine (Linux), in MB. */
function peakRssMb(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : (Number(kb) * 1024) / 1e6;
}

/** A worker thread running TypeScript source, as the bench itself runs (under tsx). */
function tsWorker(entry: URL, workerData: unknown): Worker {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * Writes `entries` accepted orders (`bench/support/search-journal.ts`), spread over the 30 days
 * before `end`, into a fresh SQLite file with crossdock's schema: the rows the store's
 * `acceptOrder` and `transitionOrder` write, with every job finished so the started crossdock has
 * no backlog. Worker threads build the rows while this one bulk-inserts an earlier batch
 * (`bench/support/journal-seed.ts`), after checking on a few orders that the bulk rows are the
 * store's own.
 */
export async function seedSearchJournal(file: string, entries: number, end: number, log: (line: string) => void): Promise<{ ids: string[] }> {
  const { start } = arrivals(entries, end);
  // Before the seeded days: ids carry their time, and the check's must not be the seed's.
  checkSeedMatchesStore(Array.from({ length: 300 }, (_, i) => seedOrder(i, start - DAY + i * 1_000)));

  const { db, rebuildIndexes } = openForSeed(file);
  const workers = Array.from({ length: SEED_THREADS }, () => tsWorker(new URL('../support/search-journal-worker.ts', import.meta.url), { entries, end }));
  const batches: Promise<{ rows: SeedRows; ids: string[] }>[] = [];
  /** Batch `b` from its worker; each worker answers its requests in order. */
  const request = (b: number) => {
    const worker = workers[b % workers.length]!;
    batches[b] = new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      worker.once('error', failed);
      worker.once('message', (value: { rows: SeedRows; ids: string[] }) => {
        worker.off('error', failed);
        resolve(value);
      });
    });
    worker.postMessage({ from: b * BATCH, to: Math.min(entries, (b + 1) * BATCH) });
  };
  try {
    const seeder = new JournalSeeder(db);
    const insert = db.transaction((rows: SeedRows) => seeder.insert(rows));
    const ids: string[] = [];
    const count = Math.ceil(entries / BATCH);
    for (let b = 0; b < Math.min(count, workers.length); b++) request(b);
    for (let b = 0; b < count; b++) {
      const batch = await batches[b]!;
      delete batches[b];
      if (b + workers.length < count) request(b + workers.length);
      insert(batch.rows);
      ids.push(...batch.ids);
      if (b % 10 === 0) log(`journal search: seeded ${Math.min(entries, (b + 1) * BATCH)} of ${entries}`);
    }
    seeder.finish();
    const indexing = Date.now();
    rebuildIndexes();
    log(`journal search: indexes rebuilt in ${fmt((Date.now() - indexing) / 1000, 1)} s`);
    // What crossdock runs in (configureSqlite sets it again on open).
    db.pragma('journal_mode = WAL');
    return { ids };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    db.close();
  }
}

interface Shape {
  name: string;
  /** The URLs of one measured sequence of requests (a deep-paging shape follows `nextCursor`). */
  urls: (random: () => number) => string[];
  follow?: number;
}

function shapes(ids: string[], entries: number, end: number): Shape[] {
  const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;
  const i = (random: () => number) => Math.floor(random() * entries);
  const window = (random: () => number) => {
    const to = end - Math.floor(random() * 29 * DAY);
    return `from=${new Date(to - DAY).toISOString()}&to=${new Date(to).toISOString()}`;
  };
  const statuses = ['accepted', 'processing', 'delivered', 'held', 'failed'];
  return [
    { name: 'newest first, no filter', urls: () => ['/v1/messages'] },
    { name: 'q = order number', urls: (r) => [`/v1/messages?q=${orderNumberOf(i(r))}`] },
    { name: 'q = channel order id', urls: (r) => [`/v1/messages?q=${channelOrderIdOf(i(r))}`] },
    { name: 'sku', urls: (r) => [`/v1/messages?sku=${skuOf(Math.floor(r() * SKUS))}`] },
    { name: 'sku (hot) + status', urls: (r) => [`/v1/messages?sku=${skuOf(Math.floor(r() * 50))}&status=delivered`] },
    { name: 'customer', urls: (r) => [`/v1/messages?customer=${customerOf(Math.floor(r() * CUSTOMERS))}`] },
    { name: 'customer + time window', urls: (r) => [`/v1/messages?customer=${customerOf(Math.floor(r() * CUSTOMERS))}&${window(r)}`] },
    { name: 'status', urls: (r) => [`/v1/messages?status=${pick(statuses, r)}`] },
    { name: 'channel + time window', urls: (r) => [`/v1/messages?channel=${pick(CHANNELS, r)}&${window(r)}`] },
    { name: 'status + channel + time window', urls: (r) => [`/v1/messages?status=${pick(statuses, r)}&channel=${pick(CHANNELS, r)}&${window(r)}`] },
    { name: 'GET /v1/messages/:id', urls: (r) => [`/v1/messages/${pick(ids, r)}`] },
    { name: 'deep pages: no filter', urls: () => ['/v1/messages'], follow: 50 },
    { name: 'deep pages: status', urls: () => ['/v1/messages?status=delivered'], follow: 50 },
    { name: 'deep pages: sku (hot)', urls: (r) => [`/v1/messages?sku=${skuOf(Math.floor(r() * 50))}`], follow: 50 },
  ];
}

/** Scenario (i): journal search at a million entries, over HTTP, one request at a time. */
export async function runJournalSearch(options: { entries: number; requestsPerShape: number; log: (line: string) => void }): Promise<JournalSearchResult> {
  const { entries, log } = options;
  const home = makeTempDir('crossdock-search');
  try {
    const dataDir = join(home, 'data');
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'crossdock.db');
    const seeded = Date.now();
    const cpu = process.cpuUsage();
    const { ids } = await seedSearchJournal(file, entries, seeded - 60_000, log);
    const seedSeconds = (Date.now() - seeded) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const seedCpuSeconds = (user + system) / 1e6;
    const seedPeakRssMb = peakRssMb('self');
    const reader = new Database(file, { readonly: true });
    const databaseMb = (reader.pragma('page_count', { simple: true }) as number) * (reader.pragma('page_size', { simple: true }) as number) / 2 ** 20;
    reader.close();
    log(`journal search: ${entries} entries seeded in ${fmt(seedSeconds, 1)} s (${fmt(seedCpuSeconds, 1)} s CPU), ${fmt(databaseMb)} MB, bench peak RSS ${fmt(seedPeakRssMb)} MB`);

    const starting = Date.now();
    const child = spawnNode('crossdock', ['--import', 'tsx', 'src/cli/main.ts', 'start', '--port', '0', '--data-dir', dataDir]);
    try {
      const { url } = await child.waitForJson<{ url: string }>((v) => v['msg'] === 'crossdock started' && typeof v['url'] === 'string', 120_000);
      const startSeconds = (Date.now() - starting) / 1000;
      const random = lcg(7);
      const results: SearchShapeResult[] = [];
      const all: number[] = [];
      let errors = 0;
      const get = async (path: string): Promise<{ ms: number; body: { items?: unknown[]; nextCursor?: string | null } }> => {
        const t = performance.now();
        const res = await fetch(`${url}${path}`);
        const body = (await res.json()) as { items?: unknown[]; nextCursor?: string | null };
        const ms = performance.now() - t;
        if (res.status !== 200) errors++;
        return { ms, body };
      };
      for (const shape of shapes(ids, entries, Date.now())) {
        // A few unmeasured requests first: the first of each shape prepares its statement.
        for (let w = 0; w < 3; w++) for (const path of shape.urls(random)) await get(path);
        const samples: number[] = [];
        let items = 0;
        const rounds = shape.follow ? Math.max(2, Math.ceil(options.requestsPerShape / shape.follow)) : options.requestsPerShape;
        for (let n = 0; n < rounds; n++) {
          for (const path of shape.urls(random)) {
            let next: string | null | undefined = undefined;
            for (let page = 0; page <= (shape.follow ?? 0); page++) {
              const cursorPath: string = page === 0 ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next!)}`;
              const { ms, body } = await get(cursorPath);
              samples.push(ms);
              items += body.items?.length ?? 1;
              next = body.nextCursor;
              if (!next) break;
            }
          }
        }
        const latencyMs = summarize(samples);
        all.push(...samples);
        results.push({ shape: shape.name, requests: samples.length, items: items / samples.length, latencyMs, p95Ms: p95(samples) });
        log(`journal search: ${shape.name}: p50 ${fmt(latencyMs.p50, 1)} ms, p99 ${fmt(latencyMs.p99, 1)} ms (${samples.length} requests)`);
      }
      const overall = summarize(all);
      const crossdockPeakRssMb = peakRssMb(child.pid);
      log(`journal search: crossdock peak RSS ${fmt(crossdockPeakRssMb)} MB`);
      return {
        entries, seedSeconds, seedCpuSeconds, seedPeakRssMb, databaseMb, startSeconds, crossdockPeakRssMb, shapes: results, overall, overallP95Ms: p95(all), errors, targets: SEARCH_TARGETS,
        met: errors === 0 && results.every((r) => r.latencyMs.p99 <= SEARCH_TARGETS.p99Ms),
      };
    } finally {
      await child.stop();
    }
  } finally {
    removeTempDir(home);
  }
}

export function journalSearchTargetRows(r: JournalSearchResult): string[] {
  const worst = r.shapes.reduce((a, b) => (b.latencyMs.p99 > a.latencyMs.p99 ? b : a));
  return [
    `| (i) journal search | every search shape on ${r.entries.toLocaleString('en-US')} journal entries, p99 ≤ ${r.targets.p99Ms} ms | overall p99 ${fmt(r.overall.p99, 1)} ms; slowest shape "${worst.shape}" p99 ${fmt(worst.latencyMs.p99, 1)} ms; ${r.errors} errors | ${r.met ? '**met**' : '**not met**'} |`,
  ];
}

export function renderJournalSearch(r: JournalSearchResult): string[] {
  const out = [
    '## (i) Journal search at a million entries', '',
    `**Method.** ${r.entries.toLocaleString('en-US')} orders (1–5 lines, ${SKUS} SKUs of which 50 hot, a third with a channel variant id; ` +
      `${CUSTOMERS} customers; ${CHANNELS.length} channels; 80 % delivered, 5 % processing, 4 % held, 1 % failed, the rest accepted) spread over 30 days ` +
      'are bulk-loaded into a fresh SQLite file migrated by crossdock: the rows the store\'s `acceptOrder` and `transitionOrder` write ' +
      '(messages, search keys, orders, events, finished jobs, idempotency keys, counters — checked on every run against the store\'s own operations), ' +
      `built on ${SEED_THREADS} worker threads, inserted ${BATCH.toLocaleString('en-US')} orders a transaction without journal or fsync, secondary indexes created ` +
      `afterwards from their own DDL: ${fmt(r.seedSeconds, 1)} s (${fmt(r.seedCpuSeconds, 1)} s CPU, peak RSS ${fmt(r.seedPeakRssMb)} MB), ${fmt(r.databaseMb)} MB. ` +
      `Then \`crossdock start\` opens it (ready in ${fmt(r.startSeconds, 1)} s; peak RSS ${fmt(r.crossdockPeakRssMb)} MB by the end) and the bench sends \`GET /v1/messages\` requests one at a time ` +
      '(50 items a page) for each query shape with random values; deep-paging shapes follow `nextCursor` 50 times and time every page. PostgreSQL is not measured here.',
    '',
    '| query shape | requests | items a request | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of r.shapes) {
    out.push(`| ${s.shape} | ${s.requests} | ${fmt(s.items, 1)} | ${fmt(s.latencyMs.p50, 1)} | ${fmt(s.p95Ms, 1)} | ${fmt(s.latencyMs.p99, 1)} | ${fmt(s.latencyMs.max, 1)} |`);
  }
  out.push(`| **overall** | ${r.shapes.reduce((n, s) => n + s.requests, 0)} | | ${fmt(r.overall.p50, 1)} | ${fmt(r.overallP95Ms, 1)} | ${fmt(r.overall.p99, 1)} | ${fmt(r.overall.max, 1)} |`, '');
  return out;
}
