import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App, type BuildOptions } from '../../src/app/build-app.js';
import { resolveConfig } from '../../src/config/config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { sampleOrder } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/** A quick worker and ERP policy, so an order is posted within a fraction of a second. */
const QUICK: ConfigFile = {
  worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 },
  protection: { erp: { backoffMs: 10, ratePerSecond: 1000 } },
};

export interface RunningApp {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/** A started crossdock on SQLite in a temporary directory, with the in-process sandbox ERP. */
export async function startApp(
  file: ConfigFile = {}, options: BuildOptions = {}, beforeStart?: (app: App) => void, env: NodeJS.ProcessEnv = {},
): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-obs-'));
  const config = resolveConfig({ ...QUICK, ...file, server: { port: 0, ...file.server } }, { dataDir }, env);
  const app = await buildApp(config, { logger: false, ...options });
  beforeStart?.(app);
  const url = await app.start();
  return {
    app, url,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Submits the sample order as `channelOrderId` and returns its id. */
export async function submitOrder(url: string, channelOrderId: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/v1/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(sampleOrder({ channelOrderId })),
  });
  if (response.status !== 202) throw new Error(`intake answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** Waits until the order has been posted to the ERP. */
export async function untilPosted(url: string, orderId: string): Promise<void> {
  await waitFor(async () => ((await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string }).state, (s) => s === 'posted', 10_000, 20);
}

/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (`name{label="value",…} number`), comments skipped. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
