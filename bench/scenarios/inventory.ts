import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app/build-app.js';
import { resolveConfig } from '../../src/config/config.js';
import type { InventoryEngine } from '../../src/inventory/engine.js';
import { startShopifyFake, type ShopifyFake } from '../../test/fakes/shopify/server.js';
import { REPO_ROOT } from '../support/children.js';
import { summarize, type LatencySummary } from '../support/stats.js';

export const INVENTORY_TARGETS = { peakRssMb: 1024, lagP99Ms: 1000, callReduction: 10 } as const;

export interface InventoryBenchResult {
  load: {
    levels: number; loadSeconds: number; restartSeconds: number; bareSeconds: number; levelsPerSec: number; ratioToBare: number;
    peakRssMb: number; met: boolean;
  };
  lag: {
    skus: number; offeredPerSec: number; ingestedPerSec: number; deltas: number; resolved: number; freshnessMs: number;
    latencyMs: LatencySummary; channelCalls: number; met: boolean;
  };
  burst: {
    hotSkus: number; deltas: number; batches: number; channelCalls: number; perDeltaCalls: number; reduction: number; met: boolean;
  };
  targets: typeof INVENTORY_TARGETS;
}

/**
 * Scenario (g), inventory: (1) a million SKU-locations loaded into the engine on SQLite and loaded
 * again at a restart, in a child process so its peak RSS is the engine's alone, beside the same
 * rows inserted into a bare table; (2) 10,000 stock deltas a second over `skus` SKUs into a
 * crossdock publishing to a Shopify store (the documented GraphQL API, served by the local fake),
 * timing each delta from its ingestion to the call that carried it; (3) a hot-SKU burst, counting
 * the channel calls beside the one call per delta that publishing every delta would make.
 */
export async function runInventory(options: { levels: number; skus: number; seconds: number; log: (line: string) => void }): Promise<InventoryBenchResult> {
  const load = await runLoad(options.levels, options.log);
  const { lag, burst } = await runPublishing(options);
  return { load, lag, burst, targets: INVENTORY_TARGETS };
}

async function runLoad(levels: number, log: (line: string) => void): Promise<InventoryBenchResult['load']> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/inventory-load.ts', String(levels)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench/inventory-load.ts exited with ${code}`);
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as { levels: number; loadSeconds: number; restartSeconds: number; bareSeconds: number; peakRssMb: number; maxRssMb: number };
  const peakRssMb = Math.max(r.peakRssMb, r.maxRssMb);
  const result = {
    levels: r.levels, loadSeconds: r.loadSeconds, restartSeconds: r.restartSeconds, bareSeconds: r.bareSeconds, levelsPerSec: r.levels / r.loadSeconds,
    ratioToBare: r.loadSeconds / r.bareSeconds, peakRssMb, met: peakRssMb <= INVENTORY_TARGETS.peakRssMb && r.levels === levels,
  };
  log(`inventory load: ${r.levels} levels in ${r.loadSeconds.toFixed(1)} s (bare table ${r.bareSeconds.toFixed(1)} s), restart ${r.restartSeconds.toFixed(1)} s, peak RSS ${peakRssMb.toFixed(0)} MB`);
  return result;
}

const item = (n: number) => `gid://shopify/InventoryItem/${900_000 + n}`;

async function runPublishing(options: { skus: number; seconds: number; log: (line: string) => void }): Promise<Pick<InventoryBenchResult, 'lag' | 'burst'>> {
  const freshnessMs = 500;
  const shopify: ShopifyFake = await startShopifyFake({ shopDomain: 'bench.myshopify.com', graphqlBucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  shopify.seedVariants(Array.from({ length: options.skus }, (_, n) => ({ sku: `V-${n}`, inventoryItemId: item(n) })));
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-inventory-'));
  const config = resolveConfig({
    server: { port: 0 },
    log: { level: 'silent' },
    worker: { pollMs: 10 },
    // The bench's own stock at its own location: no sandbox ERP snapshot of WH1/WH2 in between.
    erp: { stockSnapshotMinutes: 0 },
    inventory: { freshnessMs },
    protection: { shop: { ratePerSecond: 1000, concurrency: 8 }, 'shop.graphql': { ratePerSecond: 1000, concurrency: 8 } },
    channels: [{
      id: 'shop', type: 'shopify', pollIntervalSeconds: 86_400,
      settings: { shopDomain: 'bench.myshopify.com', apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: 'bench', defaultLocation: 'gid://shopify/Location/1' },
      skus: Object.fromEntries(Array.from({ length: options.skus }, (_, n) => [`V-${n}`, `SKU-${n}`])),
    }],
  }, { dataDir }, {});
  const app = await buildApp(config, { logger: false });
  await app.start();
  const engine: InventoryEngine = app.inventory;

  // Arrival time of every quantity the store was sent, sampled as the calls land.
  const arrivals: { at: number; itemId: string; quantity: number }[] = [];
  let seen = 0;
  const watcher = setInterval(() => {
    const now = performance.now();
    for (; seen < shopify.state.inventorySets.length; seen += 1) {
      for (const q of shopify.state.inventorySets[seen]!) arrivals.push({ at: now, itemId: q.inventoryItemId, quantity: q.quantity });
    }
  }, 2);
  const callsSoFar = () => shopify.state.inventorySets.length;
  const waitQuiet = async (ms: number) => {
    let last = -1;
    while (last !== callsSoFar()) {
      last = callsSoFar();
      await new Promise((r) => setTimeout(r, ms));
    }
  };
  const ingest = (sku: number, onHand: number | undefined, delta: number | undefined, correlationId: string, changes?: { sku: string; location: string; onHand: number }[]) =>
    engine.ingest({
      source: 'wms', sourceTimestamp: new Date().toISOString(), mode: changes ? 'set' : 'delta',
      changes: changes ?? [{ sku: `SKU-${sku}`, location: 'BENCH', ...(onHand !== undefined ? { onHand } : { onHand: delta! }) }],
    }, { correlationId, raw: '' });

  try {
    // Warm-up: every SKU counted once and published (the store's variant ids are looked up once).
    await ingest(0, 0, undefined, 'warm', Array.from({ length: options.skus }, (_, n) => ({ sku: `SKU-${n}`, location: 'BENCH', onHand: 1000 })));
    await new Promise((r) => setTimeout(r, freshnessMs * 2));
    await waitQuiet(1_500);

    // (2) 10,000 deltas a second: +1 each, so every quantity a SKU shows is new and names the deltas it carries.
    const perTick = 100;
    const ticks = options.seconds * 100;
    const level = new Array<number>(options.skus).fill(1000);
    const pending = new Map<string, { sentAt: number; quantity: number }[]>();
    const lags: number[] = [];
    let deltas = 0;
    const callsBefore = callsSoFar();
    const started = performance.now();
    for (let tick = 0; tick < ticks; tick += 1) {
      const due = started + tick * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const changes = new Map<number, number>();
      for (let k = 0; k < perTick; k += 1) {
        const sku = Math.floor(Math.random() * options.skus);
        changes.set(sku, (changes.get(sku) ?? 0) + 1);
      }
      const sentAt = performance.now();
      for (const [sku, n] of changes) {
        for (let k = 0; k < n; k += 1) {
          level[sku]! += 1;
          const list = pending.get(item(sku)) ?? [];
          list.push({ sentAt, quantity: level[sku]! });
          pending.set(item(sku), list);
        }
      }
      deltas += perTick;
      void engine.ingest({
        source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'delta',
        changes: [...changes].map(([sku, n]) => ({ sku: `SKU-${sku}`, location: 'BENCH', onHand: n })),
      }, { correlationId: `lag-${tick}`, raw: '' });
    }
    const ingestedPerSec = deltas / ((performance.now() - started) / 1000);
    await new Promise((r) => setTimeout(r, freshnessMs * 2));
    await waitQuiet(1_500);
    const lagCalls = callsSoFar() - callsBefore;
    // A quantity that reached the store carries every delta that led to it.
    let resolved = 0;
    for (const a of arrivals) {
      const list = pending.get(a.itemId);
      if (!list) continue;
      while (list.length > 0 && list[0]!.quantity <= a.quantity) {
        lags.push(a.at - list.shift()!.sentAt);
        resolved += 1;
      }
    }
    arrivals.length = 0;
    const latencyMs = summarize(lags);
    const lag = {
      skus: options.skus, offeredPerSec: perTick * 100, ingestedPerSec, deltas, resolved, freshnessMs, latencyMs, channelCalls: lagCalls,
      met: latencyMs.p99 <= INVENTORY_TARGETS.lagP99Ms && resolved === deltas,
    };
    options.log(`inventory lag: ${deltas} deltas at ${ingestedPerSec.toFixed(0)}/s over ${options.skus} SKUs, ${resolved} reached the store; p50 ${latencyMs.p50.toFixed(0)} ms, p99 ${latencyMs.p99.toFixed(0)} ms; ${lagCalls} calls`);

    // (3) A hot-SKU burst: 10,000 deltas on 10 SKUs within a second, in batches of 100.
    const hot = 10;
    const burstBefore = callsSoFar();
    const batches = 100;
    const burstStarted = performance.now();
    for (let b = 0; b < batches; b += 1) {
      const due = burstStarted + b * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // 100 deltas of one unit each, ten per hot SKU: every one a pick, so each SKU's availability keeps moving.
      void engine.ingest({
        source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'delta',
        changes: Array.from({ length: 100 }, (_, k) => ({ sku: `SKU-${k % hot}`, location: 'BENCH', onHand: -1 })),
      }, { correlationId: `burst-${b}`, raw: '' });
    }
    await new Promise((r) => setTimeout(r, freshnessMs * 2));
    await waitQuiet(1_500);
    const burstDeltas = batches * 100;
    const channelCalls = callsSoFar() - burstBefore;
    const reduction = burstDeltas / Math.max(1, channelCalls);
    if (channelCalls === 0) throw new Error('the burst reached no channel call: nothing was measured');
    const burst = { hotSkus: hot, deltas: burstDeltas, batches, channelCalls, perDeltaCalls: burstDeltas, reduction, met: reduction >= INVENTORY_TARGETS.callReduction };
    options.log(`inventory burst: ${burstDeltas} deltas on ${hot} SKUs in ${batches} batches → ${channelCalls} channel calls (${reduction.toFixed(0)}× fewer than one per delta)`);
    return { lag, burst };
  } finally {
    clearInterval(watcher);
    await app.stop();
    await shopify.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
