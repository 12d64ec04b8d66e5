import Database from 'better-sqlite3';
import { join } from 'node:path';

/**
 * Reads crossdock's own journal (read-only, beside the running process: SQLite WAL allows it)
 * for the ERP calls crossdock made: each attempt is journaled when it ends, with its latency,
 * so `at − latency_ms` is when crossdock started the call. Used to tell whether calls left
 * crossdock too close together, or only arrived at the ERP so.
 */
export function erpCallStarts(dataDir: string): number[] {
  const db = new Database(join(dataDir, 'crossdock.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT at - COALESCE(latency_ms, 0) AS started FROM message_events WHERE target = 'erp' ORDER BY started`).all() as { started: number }[];
    return rows.map((r) => r.started);
  } finally {
    db.close();
  }
}

/** Most events in any window (t − widthMs, t] — the same measure as the sandbox ERP's peak. */
export function peakInSlidingWindow(sortedTimes: readonly number[], widthMs = 1000): { peak: number; at: number } {
  let best = 0;
  let at = Number.NaN;
  let j = 0;
  for (let i = 0; i < sortedTimes.length; i++) {
    while (sortedTimes[i]! - sortedTimes[j]! >= widthMs) j++;
    if (i - j + 1 > best) {
      best = i - j + 1;
      at = sortedTimes[i]!;
    }
  }
  return { peak: best, at };
}
