import { postgresMigrations } from '../migrations/postgres.js';
import type { Store } from '../types.js';
import { countersSnapshot } from './counters.js';
import {
  deleteReservations, loadInventoryLevels, loadPublishedAvailability, loadReservations, markReservationsPosted, pendingInventoryBatches,
  replaceReservations, saveInventoryLevels, savePublishedAvailability,
} from './inventory.js';
import { appendAudit, listAudit } from './audit.js';
import {
  countOrders, deadLetterCounts, deleteCrossReference, discardDeadLetter, findDeadLetters, listCrossReferences, listTargetPauses, pauseTarget,
  putCrossReference, remapOrder, resumeTarget,
} from './operations.js';
import * as access from './access.js';
import { deletePriceRules, loadPriceRules, priceRulesVersion, replacePriceRulesOf, upsertPriceRules } from './prices.js';
import { listDeadLetters, replayDeadLetter } from './dead-letters.js';
import { acceptOrder } from './intake.js';
import { acceptOrderVersion, getCursor, recordInbound, setCursor } from './channel.js';
import { listOverdueGroups, nextControlNumber, recordGroupAck, recordSentGroup } from './edi.js';
import { appendEvent, getMessage, listEvents } from './journal.js';
import { migrate } from './migrate.js';
import { getOrder, transitionOrder } from './orders.js';
import { listOutbox } from './outbox.js';
import { createPool } from './pool.js';
import {
  claimJobs, completeJob, deadLetterJob, enqueue, extendLease, getJob, queueStats, releaseLeases, retryJob,
} from './queue.js';
import { deferRate, reserveRateSlot } from './rate.js';
import { searchMessages } from './search.js';

export interface PostgresStoreOptions {
  /** Connection string, e.g. `postgres://crossdock@db:5432/crossdock`. */
  url: string;
  /**
   * Connections this process keeps open.
   * @default 10
   */
  poolSize?: number;
}

/**
 * Opens the shared store: many crossdock processes on one database share its journal, queue,
 * idempotency keys, counters and rate budgets. Each method is one transaction — a single
 * statement where possible, BEGIN … COMMIT on one pooled client otherwise. Call `migrate()`
 * before use; it is safe when several processes start together.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = createPool(options.url, options.poolSize ?? 10);
  // Fail at start-up, not on the first request, when the database cannot be reached.
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;

  return {
    dialect: 'postgres',
    migrate: () => migrate(pool, postgresMigrations),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
    acceptOrder: (input) => acceptOrder(pool, input),
    acceptOrderVersion: (input) => acceptOrderVersion(pool, input),
    recordInbound: (input) => recordInbound(pool, input),
    getCursor: (name) => getCursor(pool, name),
    setCursor: (name, value, now) => setCursor(pool, name, value, now),
    nextControlNumber: (sequence, now) => nextControlNumber(pool, sequence, now),
    recordSentGroup: (group) => recordSentGroup(pool, group),
    recordGroupAck: (partner, gcn, status, ackMessageId, at) => recordGroupAck(pool, partner, gcn, status, ackMessageId, at),
    listOverdueGroups: (now, limit) => listOverdueGroups(pool, now, limit),
    getOrder: (id) => getOrder(pool, id),
    transitionOrder: (t) => transitionOrder(pool, t),
    appendEvent: (e) => appendEvent(pool, e),
    getMessage: (id) => getMessage(pool, id),
    listEvents: (messageId) => listEvents(pool, messageId),
    searchMessages: (q) => searchMessages(pool, q),
    enqueue: (job) => enqueue(pool, job),
    claimJobs: (c) => claimJobs(pool, c),
    completeJob: (jobId, token) => completeJob(pool, jobId, token),
    retryJob: (jobId, token, r) => retryJob(pool, jobId, token, r),
    deadLetterJob: (jobId, token, error, now) => deadLetterJob(pool, jobId, token, error, now),
    releaseLeases: (workerId, now) => releaseLeases(pool, workerId, now),
    extendLease: (jobId, token, until) => extendLease(pool, jobId, token, until),
    getJob: (jobId) => getJob(pool, jobId),
    queueStats: (now) => queueStats(pool, now),
    listDeadLetters: (q) => listDeadLetters(pool, q),
    replayDeadLetter: (jobId, now, actor) => replayDeadLetter(pool, jobId, now, actor),
    listOutbox: (afterSeq, limit) => listOutbox(pool, afterSeq, limit),
    reserveRateSlot: (r) => reserveRateSlot(pool, r),
    deferRate: (target, until) => deferRate(pool, target, until),
    countersSnapshot: () => countersSnapshot(pool),
    saveInventoryLevels: (levels, applied, now) => saveInventoryLevels(pool, levels, applied, now),
    loadInventoryLevels: (after, limit) => loadInventoryLevels(pool, after, limit),
    pendingInventoryBatches: () => pendingInventoryBatches(pool),
    replaceReservations: (orderId, reservations, event) => replaceReservations(pool, orderId, reservations, event),
    markReservationsPosted: (orderId, at) => markReservationsPosted(pool, orderId, at),
    deleteReservations: (orderIds) => deleteReservations(pool, orderIds),
    loadReservations: () => loadReservations(pool),
    savePublishedAvailability: (channel, entries, now) => savePublishedAvailability(pool, channel, entries, now),
    loadPublishedAvailability: (channel) => loadPublishedAvailability(pool, channel),
    upsertPriceRules: (rules, now) => upsertPriceRules(pool, rules, now),
    deletePriceRules: (ids, now) => deletePriceRules(pool, ids, now),
    replacePriceRulesOf: (source, rules, now) => replacePriceRulesOf(pool, source, rules, now),
    loadPriceRules: () => loadPriceRules(pool),
    priceRulesVersion: () => priceRulesVersion(pool),
    appendAudit: (entry) => appendAudit(pool, entry),
    listAudit: (q) => listAudit(pool, q),
    countOrders: (query) => countOrders(pool, query),
    deadLetterCounts: () => deadLetterCounts(pool),
    findDeadLetters: (q) => findDeadLetters(pool, q),
    discardDeadLetter: (r) => discardDeadLetter(pool, r),
    remapOrder: (m) => remapOrder(pool, m),
    listCrossReferences: (q) => listCrossReferences(pool, q),
    putCrossReference: (ref) => putCrossReference(pool, ref),
    deleteCrossReference: (channel, kind, key) => deleteCrossReference(pool, channel, kind, key),
    listTargetPauses: () => listTargetPauses(pool),
    pauseTarget: (p) => pauseTarget(pool, p),
    resumeTarget: (target, now) => resumeTarget(pool, target, now),
    createUser: (user) => access.createUser(pool, user),
    getUser: (username) => access.getUser(pool, username),
    listUsers: () => access.listUsers(pool),
    countUsers: () => access.countUsers(pool),
    updateUser: (username, changes, now) => access.updateUser(pool, username, changes, now),
    deleteUser: (username) => access.deleteUser(pool, username),
    createSession: (session) => access.createSession(pool, session),
    getSession: (idHash, now) => access.getSession(pool, idHash, now),
    touchSession: (idHash, lastSeenAt, expiresAt) => access.touchSession(pool, idHash, lastSeenAt, expiresAt),
    deleteSession: (idHash) => access.deleteSession(pool, idHash),
    deleteSessionsOf: (username, exceptIdHash) => access.deleteSessionsOf(pool, username, exceptIdHash),
    deleteExpiredSessions: (now) => access.deleteExpiredSessions(pool, now),
    createApiClient: (client) => access.createApiClient(pool, client),
    getApiClient: (id) => access.getApiClient(pool, id),
    listApiClients: () => access.listApiClients(pool),
    updateApiClient: (id, changes, now) => access.updateApiClient(pool, id, changes, now),
    addApiKey: (input) => access.addApiKey(pool, input),
    listApiKeys: (clientId) => access.listApiKeys(pool, clientId),
    revokeApiKey: (clientId, keyId, now) => access.revokeApiKey(pool, clientId, keyId, now),
    findApiKey: (keyHash) => access.findApiKey(pool, keyHash),
    touchApiKey: (keyId, at) => access.touchApiKey(pool, keyId, at),
  };
}
