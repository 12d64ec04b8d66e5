import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { configureSqlite, migrateSqlite } from './migrate.js';
import { operations } from './ops/index.js';
import type { OperationRequest, OperationResult, WriterInit } from './protocol.js';

/**
 * The SQLite writer: the only connection that writes. It runs every request that arrived since
 * its last commit in one transaction (one failure does not undo the others: see flush), commits
 * once with fsync, then answers them all. That is group commit: durability
 * costs one fsync per batch, not per request.
 */
const init = workerData as WriterInit;
const port = parentPort;
if (!port) throw new Error('writer-thread must run as a worker thread');

const db = new Database(init.file);
configureSqlite(db);
migrateSqlite(db);

// Prepared once: parsing these four statements for every operation cost as much as the inserts.
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const savepoint = db.prepare('SAVEPOINT op');
const release = db.prepare('RELEASE op');
const rollbackTo = db.prepare('ROLLBACK TO op');

let pending: OperationRequest[] = [];
let scheduled = false;

port.on('message', (message: OperationRequest | OperationRequest[] | 'close') => {
  if (message === 'close') {
    if (pending.length > 0) flush();
    db.close();
    port.close();
    return;
  }
  if (Array.isArray(message)) pending.push(...message);
  else pending.push(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  // Optimistic first: the whole batch in one transaction with no savepoints (they cost a third
  // of an insert's time). Operations almost never fail; when one does, the batch is rolled back
  // and run again with each operation in its own savepoint, so only the failing one fails.
  // Re-running is safe: operations touch nothing but the database, and nobody hears of the
  // rolled-back run.
  if (runBatch(batch, false) === 'retry-isolated') runBatch(batch, true);
}

/**
 * Runs and commits a batch and answers every request in it, except when an operation fails
 * with no savepoints: then nothing is committed or answered, and the caller runs it isolated.
 */
function runBatch(batch: OperationRequest[], isolated: boolean): 'answered' | 'retry-isolated' {
  const results: OperationResult[] = [];
  begin.run();
  for (const request of batch) {
    if (isolated) savepoint.run();
    try {
      const run = operations[request.op] as (d: Database.Database, ...a: unknown[]) => unknown;
      results.push({ id: request.id, ok: true, value: run(db, ...request.args) });
      if (isolated) release.run();
    } catch (error) {
      if (!isolated) {
        db.exec('ROLLBACK');
        return 'retry-isolated';
      }
      rollbackTo.run();
      release.run();
      const e = error instanceof Error ? error : new Error(String(error));
      results.push({ id: request.id, ok: false, error: { message: e.message, name: e.name, ...(e.stack ? { stack: e.stack } : {}) } });
    }
  }
  try {
    commit.run();
  } catch (error) {
    // Nothing in the batch was committed: every caller must hear so, none may think it is durable.
    if (db.inTransaction) db.exec('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    port!.postMessage(batch.map((r) => ({ id: r.id, ok: false, error: { message: `commit failed: ${message}`, name: 'Error' } })));
    return 'answered';
  }
  port!.postMessage(results);
  return 'answered';
}

port.postMessage({ ready: true });
