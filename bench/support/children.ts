import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Child processes and temporary directories of a bench run. Everything started here is
 * registered, stopped by its own PID (never by name) and removed when the run ends, whether it
 * ends normally, by an exception or by Ctrl-C.
 */

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** Resolves with the first stdout line that parses as JSON and satisfies `match`. */
  waitForJson<T>(match: (value: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still running. Resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Map<number, ChildProcess>();
const tempDirs = new Set<string>();

/** The repository root: bench/ lives directly under it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts `node <args…>` in the repository root. No shell in between, so the PID is the Node
 * process itself and stopping it by PID stops exactly what was started.
 */
export function spawnNode(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildHandle {
  const child = spawn(process.execPath, [...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C at the terminal reaches only the bench, which finishes the
    // scenario in hand with its servers still up, then stops them by PID.
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const pid = child.pid;
  live.set(pid, child);

  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  const waiters = new Set<(value: Record<string, unknown>) => boolean>();
  const out = createInterface({ input: child.stdout! });
  out.on('line', (line) => {
    remember(line);
    if (waiters.size === 0 || !line.startsWith('{')) return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const waiter of [...waiters]) if (waiter(value)) waiters.delete(waiter);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => remember(`[stderr] ${line}`));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(pid);
      resolve({ code, signal });
    });
  });
  const tail = () => lines.join('\n');

  return {
    name,
    pid,
    tail,
    exited,
    waitForJson<T>(match: (value: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name} (pid ${pid}) did not report ready within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        const waiter = (value: Record<string, unknown>): boolean => {
          if (!match(value)) return false;
          clearTimeout(timer);
          resolve(value as T);
          return true;
        };
        waiters.add(waiter);
        void exited.then(({ code, signal }) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${name} (pid ${pid}) exited (code ${code}, signal ${signal}) before it was ready:\n${tail()}`));
        });
      });
    },
    async stop(graceMs = 3_000): Promise<void> {
      if (!live.has(pid)) return;
      signalPid(pid, 'SIGTERM');
      const timer = setTimeout(() => signalPid(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** A fresh directory under the system temp folder, removed by `cleanupAll`. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `crossdock-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Synchronous last resort: kills every child still registered (by PID) and removes temp dirs. */
export function cleanupAll(): void {
  for (const pid of live.keys()) signalPid(pid, 'SIGKILL');
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;

/** Cleans up on exit and on SIGINT/SIGTERM, so an interrupted bench leaves nothing behind. */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanupAll();
      process.exit(130);
    });
  }
}
