import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads V8 `.cpuprofile` files (as written by `node --cpu-prof`) and ranks where the time went:
 * self time per function and per source area, so a slow scenario can be explained with numbers.
 *
 * `node --import tsx bench/support/profile.ts <dir-or-file…>` prints the ranking.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileRanking {
  file: string;
  totalMs: number;
  idleMs: number;
  topFunctions: { name: string; where: string; selfMs: number; share: number }[];
  areas: { area: string; selfMs: number; share: number }[];
  /** Time with the function anywhere on the stack (crossdock's own functions only). */
  inclusive: { name: string; where: string; totalMs: number; share: number }[];
}

const REPO = /\/work\/[^/]+\/|.*\/crossdock\//;

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(REPO, '').replace(/^.*node_modules\//, 'node_modules/');
}

/** Where a frame belongs: a crossdock source folder, a package, node internals, GC, idle. */
function areaOf(frame: ProfileNode['callFrame']): string {
  const url = shortUrl(frame.url);
  if (!url) {
    if (frame.functionName === '(idle)') return '(idle)';
    if (frame.functionName === '(garbage collector)') return '(garbage collector)';
    if (frame.functionName === '(program)') return '(program)';
    return `(native) ${frame.functionName || 'anonymous'}`;
  }
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = /^(src\/[^/]+(?:\/[^/.]+)?)/.exec(url);
  if (src) return src[1]!;
  return url.split('/').slice(0, 2).join('/');
}

/**
 * A window of the monotonic clock in microseconds (`process.hrtime.bigint() / 1000n`), which
 * is the clock V8 stamps profile samples with on Linux: it keeps only the samples taken while
 * the load ran, leaving out start-up (module loading) and shutdown.
 */
export interface SampleWindow {
  fromUs: number;
  toUs: number;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function rankProfile(file: string, options: { top?: number; window?: SampleWindow } = {}): ProfileRanking {
  const top = options.top ?? 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i] ?? 0;
      t += delta;
      if (options.window && (t < options.window.fromUs || t > options.window.toUs)) continue;
      const id = profile.samples[i]!;
      self.set(id, (self.get(id) ?? 0) + delta / 1000);
    }
  }
  let totalMs = 0;
  let idleMs = 0;
  const fns = new Map<string, { name: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    totalMs += ms;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') idleMs += ms;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = fns.get(key) ?? { name: frame.functionName || '(anonymous)', where, selfMs: 0 };
    entry.selfMs += ms;
    fns.set(key, entry);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busy = Math.max(1e-9, totalMs - idleMs);
  const inclusive = new Map<string, { name: string; where: string; totalMs: number }>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !/\/src\//.test(frame.url)) continue;
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: frame.functionName || '(anonymous)', where, totalMs: 0 };
      entry.totalMs += ms;
      inclusive.set(key, entry);
    }
  }
  return {
    inclusive: [...inclusive.values()]
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top)
      .map((f) => ({ ...f, share: f.totalMs / busy })),
    file,
    totalMs,
    idleMs,
    topFunctions: [...fns.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, share: f.selfMs / busy })),
    areas: [...areas]
      .filter(([a]) => a !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, selfMs]) => ({ area, selfMs, share: selfMs / busy })),
  };
}

export function formatRanking(r: ProfileRanking): string {
  const lines = [
    `${r.file}`,
    `  sampled ${(r.totalMs / 1000).toFixed(1)} s, idle ${(r.idleMs / 1000).toFixed(1)} s, busy ${((r.totalMs - r.idleMs) / 1000).toFixed(1)} s`,
    '  self time by area (share of busy time):',
    ...r.areas.map((a) => `    ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.selfMs.toFixed(0).padStart(6)} ms  ${a.area}`),
    '  top functions by self time:',
    ...r.topFunctions.map((f) => `    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`),
    '  crossdock functions by inclusive time:',
    ...r.inclusive.map((f) => `    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.totalMs.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  // Optional `--window <fromUs>:<toUs>` (monotonic µs) keeps only the samples of that span.
  const args = process.argv.slice(2);
  const at = args.indexOf('--window');
  const window = at >= 0 ? (([fromUs, toUs]) => ({ fromUs: Number(fromUs), toUs: Number(toUs) }))(args.splice(at, 2)[1]!.split(':')) : undefined;
  for (const arg of args) {
    let files: string[];
    try {
      files = readdirSync(arg).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(arg, f));
    } catch {
      files = [arg];
    }
    for (const file of files) process.stdout.write(`${formatRanking(rankProfile(file, window ? { window } : {}))}\n\n`);
  }
}
