import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointerInit } from './protocol.js';

/**
 * Copies committed WAL frames into the database file, off the commit path.
 *
 * A checkpoint writes the new pages into the database file and fsyncs it. Run by the writer (the
 * autocheckpoint), that happens inside a commit, so every request in that group and the next
 * waits for it: tens of milliseconds once a second or so, the whole tail of intake latency.
 * Here a connection of its own runs PASSIVE checkpoints (they never wait for the writer nor
 * block it) every few hundred milliseconds. The writer's autocheckpoint stays on but finds
 * almost everything copied already; it is what resets the WAL to its start, which a background
 * checkpoint cannot do while commits keep arriving.
 */
const init = workerData as CheckpointerInit;
const port = parentPort;
if (!port) throw new Error('checkpointer-thread must run as a worker thread');

const db = new Database(init.file);
// PASSIVE takes what it can get: another checkpoint already running is not worth waiting for.
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // SQLITE_BUSY (the writer's own checkpoint is running) or a transient error: the next tick,
    // or the writer's autocheckpoint, copies the frames instead. Nothing is lost by skipping one.
  }
}, init.intervalMs);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});

port.postMessage({ ready: true });
