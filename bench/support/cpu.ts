import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU accounting over a measurement, from /proc (Linux): how many cores each process of the
 * bench used (all its threads), and how much of the machine went to other work. On a small
 * shared machine the last figure says how far a result can be trusted.
 */

export interface CpuUsage {
  seconds: number;
  /** Cores the whole machine had busy, on average (0 … cpuCount). */
  machineBusyCores: number;
  /** Cores per watched process, by the name it was given. */
  processes: Record<string, number>;
  /** Of those, the cores of each process's main thread (its JavaScript event loop); the rest are other threads (worker threads, GC, libuv). */
  mainThreads: Record<string, number>;
  /** machineBusyCores minus the watched processes: other tenants of the machine. */
  otherCores: number;
  cpuCount: number;
}

function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    const v = fields.map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function processJiffies(pid: number, thread?: number): number | undefined {
  try {
    const text = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return undefined;
  }
}

export interface CpuMeter {
  stop(): CpuUsage;
}

/** Starts measuring; `watch` maps a name to a PID (e.g. { crossdock: 1234, generator: process.pid }). */
export function startCpuMeter(watch: Record<string, number>): CpuMeter {
  const started = Date.now();
  const machine0 = machineJiffies();
  const proc0 = Object.fromEntries(Object.entries(watch).map(([name, pid]) => [name, processJiffies(pid)]));
  const main0 = Object.fromEntries(Object.entries(watch).map(([name, pid]) => [name, processJiffies(pid, pid)]));
  return {
    stop(): CpuUsage {
      const cpuCount = cpus().length;
      const machine1 = machineJiffies();
      const seconds = (Date.now() - started) / 1000;
      if (!machine0 || !machine1 || machine1.total === machine0.total) {
        return { seconds, machineBusyCores: Number.NaN, processes: {}, mainThreads: {}, otherCores: Number.NaN, cpuCount };
      }
      const totalJiffies = machine1.total - machine0.total;
      const toCores = (jiffies: number) => (jiffies / totalJiffies) * cpuCount;
      const machineBusyCores = toCores(machine1.busy - machine0.busy);
      const processes: Record<string, number> = {};
      const mainThreads: Record<string, number> = {};
      let mine = 0;
      for (const [name, pid] of Object.entries(watch)) {
        const before = proc0[name];
        const after = processJiffies(pid);
        if (before === undefined || after === undefined) continue;
        processes[name] = toCores(after - before);
        mine += after - before;
        const mainBefore = main0[name];
        const mainAfter = processJiffies(pid, pid);
        if (mainBefore !== undefined && mainAfter !== undefined) mainThreads[name] = toCores(mainAfter - mainBefore);
      }
      return { seconds, machineBusyCores, processes, mainThreads, otherCores: Math.max(0, machineBusyCores - toCores(mine)), cpuCount };
    },
  };
}

/** "crossdock 1.62, generator 0.31, others 0.05 (of 2 cores)". */
export function describeCpu(usage: CpuUsage): string {
  if (!Number.isFinite(usage.machineBusyCores)) return 'n/a';
  const parts = Object.entries(usage.processes).map(([name, cores]) => {
    const main = usage.mainThreads[name];
    // Only worth showing where other threads do real work (crossdock's SQLite writer thread).
    return main !== undefined && cores - main > 0.15 ? `${name} ${cores.toFixed(2)} (main thread ${main.toFixed(2)})` : `${name} ${cores.toFixed(2)}`;
  });
  parts.push(`other work ${usage.otherCores.toFixed(2)}`);
  return `${parts.join(', ')} (cores, of ${usage.cpuCount})`;
}
