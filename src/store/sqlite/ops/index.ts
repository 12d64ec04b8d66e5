import type Database from 'better-sqlite3';
import { acceptOrder } from './intake.js';
import { acceptOrderVersion, getCursor, recordInbound, setCursor } from './channel.js';
import { listOverdueGroups, nextControlNumber, recordGroupAck, recordSentGroup } from './edi.js';
import { getOrder, transitionOrder } from './orders.js';
import { appendEvent, getMessage, listEvents, searchMessages } from './journal.js';
import {
  claimJobs, completeJob, deadLetterJob, enqueue, extendLease, getJob, listDeadLetters, queueStats, releaseLeases,
  replayDeadLetter, retryJob,
} from './queue.js';
import { deferRate, reserveRateSlot } from './rate.js';
import { countersSnapshot } from './counters.js';
import {
  deleteReservations, loadInventoryLevels, loadPublishedAvailability, loadReservations, markReservationsPosted, pendingInventoryBatches,
  replaceReservations, saveInventoryLevels, savePublishedAvailability,
} from './inventory.js';
import { deletePriceRules, loadPriceRules, priceRulesVersion, replacePriceRulesOf, upsertPriceRules } from './prices.js';
import { appendAudit, listAudit } from './audit.js';
import * as access from './access.js';
import {
  countOrders, deadLetterCounts, deleteCrossReference, discardDeadLetter, findDeadLetters, listCrossReferences, listTargetPauses, pauseTarget,
  putCrossReference, remapOrder, resumeTarget,
} from './operations.js';
import { sql } from '../statements.js';
import type { OutboxEvent } from '../../types.js';

function listOutbox(db: Database.Database, afterSeq: number, limit: number): OutboxEvent[] {
  const rows = sql(db, 'SELECT seq, topic, key, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as
    { seq: number; topic: string; key: string; payload: string; created_at: number }[];
  return rows.map((r) => ({ seq: r.seq, topic: r.topic, key: r.key, payload: JSON.parse(r.payload), createdAt: r.created_at }));
}

/**
 * Every store operation as a synchronous function of the connection. The writer thread runs
 * them; the names are the message protocol between the store proxy and the thread.
 */
export const operations = {
  acceptOrder,
  acceptOrderVersion,
  recordInbound,
  getCursor,
  setCursor,
  nextControlNumber,
  recordSentGroup,
  recordGroupAck,
  listOverdueGroups,
  getOrder,
  transitionOrder,
  appendEvent,
  getMessage,
  listEvents,
  searchMessages,
  enqueue,
  claimJobs,
  completeJob,
  retryJob,
  deadLetterJob,
  releaseLeases,
  extendLease,
  getJob,
  queueStats,
  listDeadLetters,
  replayDeadLetter,
  listOutbox,
  reserveRateSlot,
  deferRate,
  countersSnapshot,
  saveInventoryLevels,
  loadInventoryLevels,
  pendingInventoryBatches,
  replaceReservations,
  markReservationsPosted,
  deleteReservations,
  loadReservations,
  savePublishedAvailability,
  loadPublishedAvailability,
  upsertPriceRules,
  deletePriceRules,
  replacePriceRulesOf,
  loadPriceRules,
  priceRulesVersion,
  appendAudit,
  listAudit,
  countOrders,
  deadLetterCounts,
  findDeadLetters,
  discardDeadLetter,
  remapOrder,
  listCrossReferences,
  putCrossReference,
  deleteCrossReference,
  listTargetPauses,
  pauseTarget,
  resumeTarget,
  ...access,
} satisfies Record<string, (db: Database.Database, ...args: never[]) => unknown>;

export type OperationName = keyof typeof operations;
