import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigFile } from '../../src/config/schema.js';

/** The repository root: children run `src/cli/main.ts` from here, through tsx. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How much of a child's stderr (and unparsed stdout) is kept for failure messages. */
const KEEP_CHARS = 20_000;

/** Children of this test process still running; killed outright if the test process exits first. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `crossdock …` command running as a child process of the test. */
export interface CliProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** Whether the process is still running. */
  running(): boolean;
  /** The JSON log lines seen on stdout so far (the last few thousand). */
  jsonLines(): readonly Record<string, unknown>[];
  /** The tail of stderr and of non-JSON stdout, for failure messages. */
  output(): string;
  /** Resolves with the first JSON stdout line (past or future) that matches, or rejects on timeout or exit. */
  waitForJson(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Sends `signal` to this process (by its PID) and waits for it to exit, at most `timeoutMs`. */
  kill(signal: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call on an exited process. */
  stop(graceMs?: number): Promise<Exit>;
}

/** Runs `node --import tsx src/cli/main.ts <args>` from the repository root. */
export function spawnCli(name: string, args: readonly string[], env: Record<string, string | undefined> = {}): CliProcess {
  installExitHook();
  // An `undefined` value removes the variable, so the test's own environment cannot leak in.
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${args.join(' ')}`);
  const pid = child.pid;
  live.add(child);

  const json: Record<string, unknown>[] = [];
  const waiters = new Set<{ match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }>();
  let text = '';
  const keep = (chunk: string) => {
    text = (text + chunk).slice(-KEEP_CHARS);
  };

  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        keep(`${line}\n`);
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
      const record = parsed as Record<string, unknown>;
      json.push(record);
      if (json.length > 5_000) json.splice(0, json.length - 5_000);
      if (typeof record.level === 'number' && record.level >= 40) keep(`${line}\n`);
      for (const waiter of waiters) {
        if (waiter.match(record)) {
          waiters.delete(waiter);
          waiter.resolve(record);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => keep(chunk));

  const exited = new Promise<Exit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    });
    child.once('error', (error) => {
      keep(`spawn error: ${error.message}\n`);
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;

  const handle: CliProcess = {
    name,
    pid,
    exited,
    running,
    jsonLines: () => json,
    output: () => text,
    waitForJson(match, timeoutMs) {
      const seen = json.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        const waiter = {
          match,
          resolve: (line: Record<string, unknown>) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        };
        const fail = (why: string) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${name} (pid ${pid}) ${why}; its output:\n${text || '(none)'}`));
        };
        const timer = setTimeout(() => fail(`printed no matching line within ${timeoutMs} ms`), timeoutMs);
        waiters.add(waiter);
        void exited.then((exit) => {
          if (waiters.has(waiter)) fail(`exited (code ${exit.code}, signal ${exit.signal}) before printing the expected line`);
        });
      });
    },
    async kill(signal, timeoutMs = 15_000) {
      if (running()) {
        try {
          process.kill(pid, signal);
        } catch {
          // Exited in between.
        }
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} (pid ${pid}) did not exit within ${timeoutMs} ms of ${signal}`)), timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(graceMs = 15_000) {
      if (!running()) return exited;
      try {
        return await handle.kill('SIGTERM', graceMs);
      } catch {
        return handle.kill('SIGKILL', 5_000);
      }
    },
  };
  return handle;
}

export interface SandboxErpProcess {
  process: CliProcess;
  /** Origin, e.g. http://127.0.0.1:41234. */
  url: string;
  /** `url` + `/sandbox/erp`: crossdock's `--erp-url`, and the admin API's base. */
  apiBaseUrl: string;
}

/** `crossdock sandbox-erp` on a free port, once it prints its "listening" line. */
export async function startSandboxErp(options: { dataDir: string; rateCap?: number; knobs?: Record<string, unknown>; timeoutMs?: number }): Promise<SandboxErpProcess> {
  const args = ['sandbox-erp', '--port', '0', '--data-dir', options.dataDir];
  if (options.rateCap !== undefined) args.push('--rate-cap', String(options.rateCap));
  if (options.knobs !== undefined) args.push('--knobs', JSON.stringify(options.knobs));
  const child = spawnCli('sandbox-erp', args);
  try {
    const line = await child.waitForJson((l) => l.msg === 'sandbox ERP listening', options.timeoutMs ?? 60_000);
    return { process: child, url: String(line.url), apiBaseUrl: String(line.apiBaseUrl) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export interface CrossdockProcess {
  process: CliProcess;
  /** Base URL of its API, from its "crossdock started" log line. */
  url: string;
}

/** `crossdock start …` as a child, once it logs "crossdock started". */
export async function startCrossdock(options: {
  port: number;
  dataDir: string;
  configFile?: string;
  erpUrl?: string;
  databaseUrl?: string;
  name?: string;
  timeoutMs?: number;
}): Promise<CrossdockProcess> {
  const args = ['start', '--port', String(options.port), '--data-dir', options.dataDir];
  if (options.configFile) args.push('--config', options.configFile);
  if (options.erpUrl) args.push('--erp-url', options.erpUrl);
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  // The environment must not pick a database, port or log level for the child behind the test's back.
  const child = spawnCli(options.name ?? 'crossdock', args, {
    CROSSDOCK_DATABASE_URL: undefined, CROSSDOCK_PORT: undefined, CROSSDOCK_DATA_DIR: undefined, CROSSDOCK_HOST: undefined,
    CROSSDOCK_LOG_LEVEL: 'info',
  });
  try {
    const line = await child.waitForJson((l) => l.msg === 'crossdock started', options.timeoutMs ?? 60_000);
    return { process: child, url: String(line.url) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** A TCP port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `crossdock-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a crossdock configuration file (JSON is YAML) into `dir` and returns its path. */
export function writeConfigFile(dir: string, config: ConfigFile, name = 'crossdock.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** Reads one metric's value (summed over its label sets matching `labels`) from a `/metrics` text. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([^ ]+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** GET `<baseUrl>/metrics` and read one metric from it. */
export async function readMetric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`);
  return metricValue(await res.text(), name, labels);
}
