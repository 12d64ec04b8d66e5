import { closedLoop, type LoadSummary } from '../support/load.js';
import { spawnNode } from '../support/children.js';
import { BENCH_CUSTOMERS, BENCH_SKUS } from '../prices-server.js';

export interface PricesBenchResult {
  rules: number;
  /** Writing the book to SQLite, and reading it back into memory as crossdock does at start (ms). */
  storeMs: number;
  loadMs: number;
  heapMb: number;
  linesPerQuote: number;
  connections: number;
  crossdock: LoadSummary;
  bare: LoadSummary;
  /** crossdock's quotes per second ÷ the bare endpoint's. */
  ratio: number;
  targets: { p99Ms: number };
  met: { p99: boolean; noErrors: boolean };
}

/** A 20-line quote answered in at most this much at p99, over HTTP on this machine. */
export const PRICES_TARGETS = { p99Ms: 5 } as const;

/**
 * Scenario (g): `POST /v1/prices/quote` of 20 lines (random SKUs, quantities and customers, so
 * contracts, tiers, breaks and promotions all win somewhere) against crossdock's price routes on
 * a book of about 100,000 rules (`bench/prices-server.ts`), closed loop, then the same load on a
 * bare Fastify endpoint answering a canned quote of the same size (the baseline of the same run).
 */
export async function runPrices(options: { durationSec: number; connections: number; log?: (line: string) => void }): Promise<PricesBenchResult> {
  const linesPerQuote = 20;
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const nextRequest = () => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      customer: `C-${random(BENCH_CUSTOMERS)}`, currency: 'USD', ...(random(2) === 0 ? { channel: 'web' } : {}),
      lines: Array.from({ length: linesPerQuote }, () => ({ sku: `SKU-${random(BENCH_SKUS)}`, quantity: 1 + random(150) })),
    }),
  });
  const run = async (mode: 'crossdock' | 'bare') => {
    const child = spawnNode(`prices-${mode}`, ['--import', 'tsx', 'bench/prices-server.ts', mode]);
    try {
      const ready = await child.waitForJson<{ url: string; rules?: number; storeMs?: number; loadMs?: number; heapMb?: number }>((v) => typeof v['url'] === 'string', 180_000);
      // A short warm-up, so the JIT has seen the route before it is measured.
      await closedLoop({ url: ready.url, connections: options.connections, durationSec: 1, idPrefix: 'warm', path: '/v1/prices/quote', nextRequest });
      const summary = await closedLoop({ url: ready.url, connections: options.connections, durationSec: options.durationSec, idPrefix: mode, path: '/v1/prices/quote', nextRequest });
      return { ready, summary };
    } finally {
      await child.stop();
    }
  };
  const crossdock = await run('crossdock');
  options.log?.(`prices: book of ${crossdock.ready.rules} rules (store ${crossdock.ready.storeMs} ms, load ${crossdock.ready.loadMs} ms); ${crossdock.summary.acceptedPerSec.toFixed(0)} quotes/s, p50 ${crossdock.summary.latencyMs.p50} ms, p99 ${crossdock.summary.latencyMs.p99} ms`);
  const bare = await run('bare');
  options.log?.(`prices: bare endpoint ${bare.summary.acceptedPerSec.toFixed(0)} answers/s, p99 ${bare.summary.latencyMs.p99} ms`);
  return {
    rules: crossdock.ready.rules ?? 0, storeMs: crossdock.ready.storeMs ?? 0, loadMs: crossdock.ready.loadMs ?? 0, heapMb: crossdock.ready.heapMb ?? 0,
    linesPerQuote, connections: options.connections, crossdock: crossdock.summary, bare: bare.summary,
    ratio: crossdock.summary.acceptedPerSec / bare.summary.acceptedPerSec,
    targets: { ...PRICES_TARGETS },
    met: { p99: crossdock.summary.latencyMs.p99 <= PRICES_TARGETS.p99Ms, noErrors: crossdock.summary.non2xx === 0 && crossdock.summary.errors === 0 },
  };
}
