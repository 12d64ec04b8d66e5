import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { configureSqlite, migrateSqlite } from './migrate.js';
import { operations } from './ops/index.js';
import type { OperationRequest, OperationResult, WriterInit } from './protocol.js';

/**
 * The SQLite writer: the only connection that writes. It runs every request that arrived since
 * its last commit in one transaction (each in a savepoint, so one failure does not undo the
 * others), commits once with fsync, then answers them all. That is group commit: durability
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
  const results: OperationResult[] = [];
  begin.run();
  for (const request of batch) {
    savepoint.run();
    try {
      const run = operations[request.op] as (d: Database.Database, ...a: unknown[]) => unknown;
      results.push({ id: request.id, ok: true, value: run(db, ...request.args) });
      release.run();
    } catch (error) {
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
    return;
  }
  port!.postMessage(results);
}

port.postMessage({ ready: true });
