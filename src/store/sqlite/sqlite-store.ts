import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Store } from '../types.js';
import { decodeCursor } from '../search-cursor.js';
import { orderSearchKeys } from '../search-keys.js';
import type { StoredPriceRule } from '../price-types.js';
import type { PriceRuleRow } from './ops/prices.js';
import type { OperationName, operations } from './ops/index.js';
import type { CheckpointerInit, OperationRequest, OperationResult, WriterInit } from './protocol.js';

type Ops = typeof operations;
type Args<K extends OperationName> = Ops[K] extends (db: never, ...args: infer A) => unknown ? A : never;
type Result<K extends OperationName> = Ops[K] extends (...args: never[]) => infer R ? R : never;

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created when missing. */
  file: string;
  /** How often the background checkpoint copies the WAL into the database file (ms). */
  checkpointIntervalMs?: number;
}

/** Often enough that the writer's own checkpoint finds little left to copy; idle ticks cost ~0.1 ms. */
const DEFAULT_CHECKPOINT_INTERVAL_MS = 100;

/**
 * Opens the embedded store: a proxy on this thread, a writer thread that owns the writing
 * connection and group-commits, and a checkpointer thread that keeps checkpoints out of the
 * writer's commits (checkpointer-thread.ts). Requests made in the same tick travel in one message.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.file), { recursive: true });
  const worker = startThread('writer-thread', { file: options.file } satisfies WriterInit);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let outgoing: OperationRequest[] = [];
  let closed = false;
  let exitError: Error | undefined;

  await threadReady(worker);
  // After the writer is ready: it has put the database in WAL mode and migrated it.
  const checkpointer = startThread('checkpointer-thread', {
    file: options.file,
    intervalMs: options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
  } satisfies CheckpointerInit);
  try {
    await threadReady(checkpointer);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // Should the checkpointer ever fail, the writer's autocheckpoint still does all the copying
  // (in its commits, as SQLite does by default): slower, nothing lost, so not worth a crash.
  let checkpointerRunning = true;
  checkpointer.on('error', () => {});
  const checkpointerExited = new Promise<void>((resolve) =>
    checkpointer.once('exit', () => {
      checkpointerRunning = false;
      resolve();
    }),
  );

  worker.on('message', (results: OperationResult[]) => {
    for (const r of results) {
      const w = waiting.get(r.id);
      if (!w) continue;
      waiting.delete(r.id);
      if (r.ok) w.resolve(r.value);
      else w.reject(Object.assign(new Error(r.error.message), { name: r.error.name, stack: r.error.stack }));
    }
  });
  worker.on('error', (error) => {
    exitError = error;
  });
  worker.on('exit', () => {
    const error = exitError ?? new Error('the SQLite writer stopped');
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  });

  function call<K extends OperationName>(op: K, ...args: Args<K>): Promise<Result<K>> {
    if (closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A microtask, not setImmediate: the request leaves as soon as this callback ends, so the
      // writer starts on it while this thread goes on with the next requests (the two overlap).
      if (outgoing.length === 0) queueMicrotask(sendOutgoing);
      outgoing.push({ id, op, args });
    });
  }
  function sendOutgoing(): void {
    const batch = outgoing;
    outgoing = [];
    worker.postMessage(batch);
  }

  const store: Store = {
    dialect: 'sqlite',
    migrate: async () => {
      // The writer thread migrates before it reports ready.
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // The checkpointer first, so that the writer's connection is the last one: closing it
      // checkpoints what is left and removes the WAL.
      if (checkpointerRunning) checkpointer.postMessage('close');
      await checkpointerExited;
      // The writer answers everything it was sent before it closes the connection.
      if (outgoing.length > 0) sendOutgoing();
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
    // A JSON string crosses to the writer thread far more cheaply than the object graph.
    // Search keys are read off the canonical object here, so the writer never parses it back.
    acceptOrder: (input) => call('acceptOrder', { ...input, canonical: JSON.stringify(input.canonical), searchKeys: orderSearchKeys(input.canonical, input.customerAccount) }),
    acceptOrderVersion: (input) => call('acceptOrderVersion', { ...input, canonical: JSON.stringify(input.canonical), searchKeys: orderSearchKeys(input.canonical, input.customerAccount) }),
    recordInbound: (input) => call('recordInbound', input),
    getCursor: (name) => call('getCursor', name),
    setCursor: (name, value, now) => call('setCursor', name, value, now),
    nextControlNumber: (sequence, now) => call('nextControlNumber', sequence, now),
    recordSentGroup: (group) => call('recordSentGroup', group),
    recordGroupAck: (partner, gcn, status, ackMessageId, at) => call('recordGroupAck', partner, gcn, status, ackMessageId, at),
    listOverdueGroups: (now, limit) => call('listOverdueGroups', now, limit),
    getOrder: (id) => call('getOrder', id),
    transitionOrder: (t) => call('transitionOrder', t),
    appendEvent: (e) => call('appendEvent', e),
    getMessage: (id) => call('getMessage', id),
    listEvents: (id) => call('listEvents', id),
    // A bad cursor is refused here, as a CrossdockError: errors from the writer thread arrive as plain Errors.
    searchMessages: async (q) => {
      if (q.cursor !== undefined) decodeCursor(q.cursor);
      return call('searchMessages', q);
    },
    enqueue: (job) => call('enqueue', job),
    claimJobs: (c) => call('claimJobs', c),
    completeJob: (id, token) => call('completeJob', id, token, Date.now()),
    retryJob: (id, token, r) => call('retryJob', id, token, r),
    deadLetterJob: (id, token, error, now) => call('deadLetterJob', id, token, error, now),
    releaseLeases: (workerId, now) => call('releaseLeases', workerId, now),
    extendLease: (id, token, until) => call('extendLease', id, token, until),
    getJob: (id) => call('getJob', id),
    queueStats: (now) => call('queueStats', now),
    listDeadLetters: (q) => call('listDeadLetters', q),
    replayDeadLetter: (id, now, actor) => call('replayDeadLetter', id, now, actor),
    listOutbox: (after, limit) => call('listOutbox', after, limit),
    reserveRateSlot: (r) => call('reserveRateSlot', r),
    deferRate: (target, until) => call('deferRate', target, until),
    countersSnapshot: () => call('countersSnapshot'),
    saveInventoryLevels: (levels, applied, now) => call('saveInventoryLevels', levels, applied, now),
    loadInventoryLevels: (after, limit) => call('loadInventoryLevels', after, limit),
    pendingInventoryBatches: () => call('pendingInventoryBatches'),
    replaceReservations: (orderId, reservations, event) => call('replaceReservations', orderId, reservations, event),
    markReservationsPosted: (orderId, at) => call('markReservationsPosted', orderId, at),
    deleteReservations: (orderIds) => call('deleteReservations', orderIds),
    loadReservations: () => call('loadReservations'),
    savePublishedAvailability: (channel, entries, now) => call('savePublishedAvailability', channel, entries, now),
    loadPublishedAvailability: (channel) => call('loadPublishedAvailability', channel),
    // Bodies cross the thread boundary as JSON text, as canonical orders do.
    upsertPriceRules: (rules, now) => call('upsertPriceRules', rules.map(priceRuleRow), now),
    deletePriceRules: (ids, now) => call('deletePriceRules', ids, now),
    replacePriceRulesOf: (source, rules, now) => call('replacePriceRulesOf', source, rules.map(priceRuleRow), now),
    loadPriceRules: async () => (await call('loadPriceRules')).map((r) => ({ id: r.id, source: r.source, body: JSON.parse(r.body) as unknown })),
    priceRulesVersion: () => call('priceRulesVersion'),
    appendAudit: (entry) => call('appendAudit', entry),
    listAudit: (q) => call('listAudit', q),
    createUser: (user) => call('createUser', user),
    getUser: (username) => call('getUser', username),
    listUsers: () => call('listUsers'),
    countUsers: () => call('countUsers'),
    updateUser: (username, changes, now) => call('updateUser', username, changes, now),
    deleteUser: (username) => call('deleteUser', username),
    createSession: (session) => call('createSession', session),
    getSession: (idHash, now) => call('getSession', idHash, now),
    touchSession: (idHash, lastSeenAt, expiresAt) => call('touchSession', idHash, lastSeenAt, expiresAt),
    deleteSession: (idHash) => call('deleteSession', idHash),
    deleteSessionsOf: (username, exceptIdHash) => call('deleteSessionsOf', username, exceptIdHash),
    deleteExpiredSessions: (now) => call('deleteExpiredSessions', now),
    createApiClient: (client) => call('createApiClient', client),
    getApiClient: (id) => call('getApiClient', id),
    listApiClients: () => call('listApiClients'),
    updateApiClient: (id, changes, now) => call('updateApiClient', id, changes, now),
    addApiKey: (input) => call('addApiKey', input),
    listApiKeys: (clientId) => call('listApiKeys', clientId),
    revokeApiKey: (clientId, keyId, now) => call('revokeApiKey', clientId, keyId, now),
    findApiKey: (keyHash) => call('findApiKey', keyHash),
    touchApiKey: (keyId, at) => call('touchApiKey', keyId, at),
    countOrders: (query) => call('countOrders', query),
    deadLetterCounts: () => call('deadLetterCounts'),
    findDeadLetters: (q) => call('findDeadLetters', q),
    discardDeadLetter: (r) => call('discardDeadLetter', r),
    remapOrder: (m) => call('remapOrder', m),
    listCrossReferences: (q) => call('listCrossReferences', q),
    putCrossReference: (ref) => call('putCrossReference', ref),
    deleteCrossReference: (channel, kind, key) => call('deleteCrossReference', channel, kind, key),
    listTargetPauses: () => call('listTargetPauses'),
    pauseTarget: (p) => call('pauseTarget', p),
    resumeTarget: (target, now) => call('resumeTarget', target, now),
  };
  return store;
}

function priceRuleRow(rule: StoredPriceRule): PriceRuleRow {
  return { id: rule.id, source: rule.source, body: JSON.stringify(rule.body) };
}

/** Runs a thread of this folder from compiled JavaScript, or from TypeScript source under tsx (tests). */
function startThread(name: 'writer-thread' | 'checkpointer-thread', workerData: WriterInit | CheckpointerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Resolves when the thread posts `{ ready: true }`; rejects if it fails before. */
function threadReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { ready?: boolean }).ready) {
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
