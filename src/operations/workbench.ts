import type { Clock } from '../lib/clock.js';
import type { DiscardResult } from '../store/operations-types.js';
import type { Job, Store } from '../store/types.js';
import { codesOfClass, type DeadLetterClass } from './dead-letter-classes.js';

/** Most dead letters one replay call re-queues; callers loop while `remaining` is above zero. */
export const REPLAY_MAX_PER_CALL = 10_000;
/** Replays sent to the store at once: enough to batch, few enough not to crowd out the worker. */
const REPLAY_CONCURRENCY = 64;

export interface WorkbenchDeps {
  store: Store;
  clock: Clock;
  /** Wakes the local worker so replayed work starts at once. */
  notifyWork: () => void;
  /** Lets go of the stock an order holds (a discarded order). */
  releaseStock?: (orderId: string) => Promise<void>;
}

/** Which dead letters a group replay takes. */
export type ReplaySelection = { ids: readonly string[] } | { class: DeadLetterClass } | { code: string };

export interface GroupReplay {
  replayed: number;
  ids: string[];
  skipped: { id: string; reason: string }[];
  /** Dead letters of the same class or code still waiting (0 for a list of ids). */
  remaining: number;
}

/** Replays one dead letter as `actor`; undefined when it is not (or no longer) dead. */
export async function replayOne(deps: WorkbenchDeps, jobId: string, actor: string): Promise<Job | undefined> {
  const job = await deps.store.replayDeadLetter(jobId, deps.clock.now(), actor);
  if (job) deps.notifyWork();
  return job;
}

/**
 * Replays a group of dead letters — a list of ids, a class or an error code — at most `limit`
 * (≤ REPLAY_MAX_PER_CALL) per call, newest first. Each replay is its own transaction, so a job
 * another operator replayed or discarded meanwhile is skipped, never run twice.
 */
export async function replayGroup(deps: WorkbenchDeps, selection: ReplaySelection, actor: string, limit = REPLAY_MAX_PER_CALL): Promise<GroupReplay> {
  const max = Math.min(limit, REPLAY_MAX_PER_CALL);
  const codes = 'ids' in selection ? undefined : await selectedCodes(deps.store, selection);
  const candidates = 'ids' in selection
    ? [...new Set(selection.ids)].slice(0, max)
    : codes!.length === 0 ? [] : (await deps.store.findDeadLetters({ codes: codes!, limit: max })).map((d) => d.jobId);
  const ids: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (let i = 0; i < candidates.length; i += REPLAY_CONCURRENCY) {
    const batch = candidates.slice(i, i + REPLAY_CONCURRENCY);
    const now = deps.clock.now();
    const jobs = await Promise.all(batch.map((id) => deps.store.replayDeadLetter(id, now, actor)));
    const missing: string[] = [];
    batch.forEach((id, j) => (jobs[j] ? ids.push(id) : missing.push(id)));
    for (const id of missing) skipped.push({ id, reason: await whyNotReplayed(deps.store, id) });
    if (jobs.some(Boolean)) deps.notifyWork();
  }
  if ('ids' in selection) {
    for (const id of [...new Set(selection.ids)].slice(max)) skipped.push({ id, reason: `more than ${max} ids in one call: send it again` });
  }
  const remaining = codes === undefined ? 0 : await countDead(deps.store, codes);
  return { replayed: ids.length, ids, skipped, remaining };
}

async function selectedCodes(store: Store, selection: { class: DeadLetterClass } | { code: string }): Promise<string[]> {
  if ('code' in selection) return [selection.code];
  const present = selection.class === 'other' ? (await store.deadLetterCounts()).map((c) => c.code) : [];
  return codesOfClass(selection.class, present);
}

async function countDead(store: Store, codes: readonly string[]): Promise<number> {
  const wanted = new Set(codes);
  return (await store.deadLetterCounts()).filter((c) => wanted.has(c.code)).reduce((sum, c) => sum + c.count, 0);
}

async function whyNotReplayed(store: Store, id: string): Promise<string> {
  const job = await store.getJob(id);
  return job ? `job is ${job.status}, not dead-lettered` : 'no such job';
}

/**
 * Discards a dead letter for good with the reason; a held or failed order goes to `discarded`
 * (see `OperationsStore.discardDeadLetter`) and lets go of the stock it holds.
 */
export async function discardOne(deps: WorkbenchDeps, jobId: string, reason: string, actor: string): Promise<DiscardResult | undefined> {
  const result = await deps.store.discardDeadLetter({ jobId, reason, actor, now: deps.clock.now() });
  // After the order's move is stored; a stop in between is mended by the reservation
  // reconciliation, which releases what a discarded order still holds.
  if (result?.order) await deps.releaseStock?.(result.order.id);
  return result;
}
