import { parentPort, workerData } from 'node:worker_threads';
import { seedRows } from './journal-seed.js';
import { arrivals, seedOrder } from './search-journal.js';

/**
 * Builds rows of the search journal off the writer's thread (`seedSearchJournal`): each message
 * asks for orders `from` to `to` (each batch later than the last this thread built, as ids carry
 * their time) and is answered with their rows, while the writer inserts an earlier batch.
 */
const { entries, end } = workerData as { entries: number; end: number };
const { at } = arrivals(entries, end);
parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  const orders = [];
  for (let i = from; i < to; i++) orders.push(seedOrder(i, at(i)));
  // Every 997th message id, for the by-id shape.
  const ids = orders.filter((_, k) => (from + k) % 997 === 0).map((o) => o.input.messageId);
  parentPort!.postMessage({ rows: seedRows(orders), ids });
});
