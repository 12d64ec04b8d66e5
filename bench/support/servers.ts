import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, spawnNode, type ChildHandle } from './children.js';
import type { SandboxErpStats } from '../../src/connectors/sandbox-erp/stats.js';
export type { SandboxErpStats };

/**
 * The processes a scenario measures, each started as its own child process on 127.0.0.1 with
 * port 0 (the child reports the port it got, so there is no free-port race):
 * - crossdock: `node --import tsx src/cli/main.ts start …` on a fresh data directory;
 * - the sandbox ERP: `… src/cli/main.ts sandbox-erp …`;
 * - the bare Fastify endpoint: `bench/bare-server.ts`.
 *
 * All run from the TypeScript sources under tsx, the same loader for each, so the figures are
 * those of the tree being benchmarked (not of a possibly stale dist/). tsx only transforms at
 * module load; `npm run bench -- --runtime dist` runs crossdock from dist/ instead, to check.
 */
export type Runtime = 'tsx' | 'dist';

export interface RunningServer {
  readonly url: string;
  readonly child: ChildHandle;
  stop(): Promise<void>;
}

let distDir = 'dist';

/** Where `--runtime dist` finds the compiled CLI (`<dir>/cli/main.js`); default dist/. */
export function setDistDir(dir: string): void {
  distDir = dir;
}

function cliArgs(runtime: Runtime, command: readonly string[], nodeArgs: readonly string[]): string[] {
  return runtime === 'dist'
    ? [...nodeArgs, join(distDir, 'cli', 'main.js'), ...command]
    : [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', ...command];
}

export interface CrossdockOptions {
  runtime: Runtime;
  /** YAML written to the data directory's sibling and passed as --config; none = defaults. */
  configYaml?: string;
  /** Base URL of a sandbox ERP child (its apiBaseUrl); none = the in-process sandbox. */
  erpUrl?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunningCrossdock extends RunningServer {
  readonly dataDir: string;
  /** Reads `/metrics` and returns the sum of one counter or gauge over its labels (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** `crossdock start` on a fresh SQLite data directory (the default durable store). */
export async function startCrossdock(options: CrossdockOptions): Promise<RunningCrossdock> {
  const home = makeTempDir('crossdock');
  const dataDir = join(home, 'data');
  const command = ['start', '--port', '0', '--data-dir', dataDir];
  if (options.configYaml !== undefined) {
    const configFile = join(home, 'crossdock.yaml');
    writeFileSync(configFile, options.configYaml);
    command.push('--config', configFile);
  }
  if (options.erpUrl) command.push('--erp-url', options.erpUrl);
  const child = spawnNode('crossdock', cliArgs(options.runtime, command, options.nodeArgs ?? []), options.env);
  try {
    // The one info line crossdock logs at start: `{"msg":"crossdock started","url":…}`.
    const started = await child.waitForJson<{ url: string }>((v) => v['msg'] === 'crossdock started' && typeof v['url'] === 'string', 60_000);
    const url = started.url;
    return {
      url,
      child,
      dataDir,
      metric: (name, labels) => readMetric(url, name, labels),
      async stop() {
        await child.stop();
        removeTempDir(home);
      },
    };
  } catch (error) {
    await child.stop();
    removeTempDir(home);
    throw error;
  }
}

export interface RunningSandboxErp extends RunningServer {
  /** What `--erp-url` takes: url + /sandbox/erp. */
  readonly apiBaseUrl: string;
  stats(): Promise<SandboxErpStats>;
  resetStats(): Promise<void>;
  salesOrderCount(): Promise<number>;
}


/** `crossdock sandbox-erp` as its own process, optionally with a rate cap (429 above it). */
export async function startSandboxErp(options: { runtime: Runtime; rateCap?: number }): Promise<RunningSandboxErp> {
  const dataDir = makeTempDir('erp');
  const command = ['sandbox-erp', '--port', '0', '--data-dir', dataDir];
  if (options.rateCap !== undefined) command.push('--rate-cap', String(options.rateCap));
  const child = spawnNode('sandbox-erp', cliArgs(options.runtime, command, []));
  try {
    const ready = await child.waitForJson<{ url: string; apiBaseUrl: string }>((v) => typeof v['apiBaseUrl'] === 'string', 60_000);
    const admin = ready.apiBaseUrl;
    return {
      url: ready.url,
      apiBaseUrl: ready.apiBaseUrl,
      child,
      stats: async () => (await getJson(`${admin}/stats`)) as SandboxErpStats,
      resetStats: async () => {
        const response = await fetch(`${admin}/reset-stats`, { method: 'POST' });
        if (response.status !== 204) throw new Error(`reset-stats answered ${response.status}`);
      },
      salesOrderCount: async () => ((await getJson(`${admin}/orders`)) as { count: number }).count,
      async stop() {
        await child.stop();
        removeTempDir(dataDir);
      },
    };
  } catch (error) {
    await child.stop();
    removeTempDir(dataDir);
    throw error;
  }
}

/** The bare Fastify endpoint (bench/bare-server.ts) as its own process. */
export async function startBare(): Promise<RunningServer> {
  const child = spawnNode('bare-endpoint', ['--import', 'tsx', 'bench/bare-server.ts', '0']);
  try {
    const ready = await child.waitForJson<{ url: string }>((v) => typeof v['url'] === 'string', 60_000);
    return { url: ready.url, child, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

/** One Prometheus sample: its labels and value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of one metric name (a counter's or gauge's series, each with its labels). */
export async function readMetricSamples(baseUrl: string, name: string): Promise<MetricSample[]> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const match = /^([^{ ]+)(?:\{([^}]*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of a Prometheus sample family, filtered by labels. */
export async function readMetric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const samples = await readMetricSamples(baseUrl, name);
  return samples
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
