import type { Order, OrderSubmission } from '../canonical/order.js';
import { parseOrder } from '../canonical/validate.js';
import { acceptShipment } from '../channels/shipment-intake.js';
import type { CallContext } from '../connectors/capabilities.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { orderAcceptance } from '../intake/order-intake.js';
import { sha256 } from '../lib/canonical-json.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { InventoryIntake } from '../inventory/model.js';
import type { Metrics } from '../observability/metrics.js';
import type { GroupAckStatus, InboundRecordResult, MessageRecord, Store } from '../store/types.js';
import type { JobContext, JobHandler } from '../worker/types.js';
import { acknowledgmentFor } from './acknowledge.js';
import type { EdiPartner } from './partners.js';
import { readInterchange, type InterchangeReading, type SetReading } from './read-interchange.js';
import { x12ChangeOrderToRevision, type SetContext, type SetProblem } from './sets/index.js';
import { parseX12WithErrors, writeX12, type Delimiters, type Interchange, type TransactionSet, type X12Error } from './x12/index.js';

export const EDI_RECEIVE_QUEUE = 'edi.receive';
export const EDI_SEND_QUEUE = 'edi.send';
export const EDI_POLL_QUEUE = 'edi.poll';

export interface EdiDeps {
  store: Store;
  clock: Clock;
  maxAttempts: number;
  partners: ReadonlyMap<string, EdiPartner>;
  /** crossdock's own ISA/GS identity. */
  identity: { isaQualifier: string; isaId: string; gsId: string };
  metrics?: Metrics;
  notifyWork?: () => void;
  /** Takes partners' 846 stock advice; absent: an 846 is journaled only. */
  inventory?: InventoryIntake;
}

/**
 * Journals an X12 file exactly as received (bytes kept one to one as latin1 text) with a job to
 * read it, once per partner and content: a file dropped twice, or uploaded again after a lost
 * answer, is recognised by its hash.
 */
export async function journalEdiFile(
  deps: EdiDeps,
  partner: EdiPartner,
  bytes: Buffer,
  origin: { via: 'http' | 'sftp' | 'directory'; name?: string; correlationId: string },
): Promise<InboundRecordResult> {
  const now = deps.clock.now();
  const result = await deps.store.recordInbound({
    messageId: newId('msg', now), correlationId: origin.correlationId, source: partner.id, kind: 'edi-file',
    ...(origin.name ? { channelRef: origin.name } : {}),
    raw: bytes.toString('latin1'), status: 'accepted',
    idempotencyKey: `edi-file:${partner.id}:${sha256(bytes.toString('latin1'))}`,
    job: { id: newId('job', now), queue: EDI_RECEIVE_QUEUE, payload: { partner: partner.id, via: origin.via }, correlationId: origin.correlationId, runAt: now, maxAttempts: deps.maxAttempts, now },
    now,
  });
  if (result.outcome === 'accepted') deps.notifyWork?.();
  return result;
}

function partnerOf(deps: EdiDeps, id: unknown): EdiPartner {
  const partner = typeof id === 'string' ? deps.partners.get(id) : undefined;
  if (!partner) throw new CrossdockError('channel.not-found', `EDI partner ${String(id)} is not configured in this process`);
  return partner;
}

/** An interchange that names other parties than the partner and crossdock is not read at all. */
function partiesProblem(interchange: Interchange, partner: EdiPartner, identity: EdiDeps['identity']): X12Error | undefined {
  const { isa } = interchange;
  const sender = `${isa.senderQualifier}/${isa.senderId.trim()}`;
  const receiver = `${isa.receiverQualifier}/${isa.receiverId.trim()}`;
  const problem = (ta1: string, message: string): X12Error =>
    ({ code: 'isa.invalid-value', level: 'interchange', ta1, message, interchangeControlNumber: isa.controlNumber, position: { index: 1, byteOffset: 0, setIndex: 0 } }) as X12Error;
  if (sender !== `${partner.settings.isaQualifier}/${partner.settings.isaId}`) {
    return problem('006', `interchange ${isa.controlNumber}: sender ${sender} is not partner ${partner.id} (${partner.settings.isaQualifier}/${partner.settings.isaId}) (ISA05/ISA06)`);
  }
  if (receiver !== `${identity.isaQualifier}/${identity.isaId}`) {
    return problem('008', `interchange ${isa.controlNumber}: receiver ${receiver} is not crossdock (${identity.isaQualifier}/${identity.isaId}) (ISA07/ISA08)`);
  }
  return undefined;
}

/** The set as X12 text, to journal each order with the bytes it came from. */
function setText(set: TransactionSet, d: Delimiters): string {
  return set.segments.map((s) => [s.tag, ...s.elements].join(d.element)).join(d.segment + d.lineEnding) + d.segment;
}

/**
 * Reads a journaled file: every interchange is checked (envelope, parties), each accepted set is
 * applied (850 → order, 860 → a new version of its order, 945 → shipment, 997 → acknowledgment
 * of what crossdock sent), each bad set rejected, and the partner gets a 997 per group — or a
 * TA1 when an interchange is rejected whole, in which case nothing from it is applied.
 * Re-running after a crash applies nothing twice: orders and shipments are idempotent, and the
 * acknowledgment is journaled once per interchange.
 */
export function ediReceiveHandler(deps: EdiDeps): JobHandler {
  return {
    queue: EDI_RECEIVE_QUEUE,
    async run(job) {
      const payload = job.payload as { partner?: unknown; messageId?: unknown };
      const partner = partnerOf(deps, payload.partner);
      const message = typeof payload.messageId === 'string' ? await deps.store.getMessage(payload.messageId) : undefined;
      if (!message) throw new CrossdockError('internal.defect', `job ${job.id} names no journaled file`);
      const { interchanges, errors } = parseX12WithErrors(Buffer.from(message.raw, 'latin1'));
      const at = () => deps.clock.now();
      if (interchanges.length === 0) {
        await deps.store.appendEvent({
          messageId: message.id, at: at(), step: 'rejected', outcome: 'error',
          detail: { why: 'no interchange in the file', errors: errors.slice(0, 20).map((e) => `[${e.code}] ${e.message}`) },
        });
        return 'done';
      }
      for (const interchange of interchanges) {
        const parties = partiesProblem(interchange, partner, deps.identity);
        const reading = parties
          ? { interchangeControlNumber: interchange.isa.controlNumber, rejected: [parties], sets: [], groups: [] }
          : readInterchange(interchange, errors, partner.profile);
        if (reading.rejected.length === 0) await applyReading(deps, partner, interchange, reading, message);
        await deps.store.appendEvent({
          messageId: message.id, at: at(), step: reading.rejected.length > 0 ? 'interchange.rejected' : 'interchange.read', outcome: reading.rejected.length > 0 ? 'error' : 'ok',
          detail: {
            interchange: reading.interchangeControlNumber,
            rejected: reading.rejected.map((e) => `[${e.code}] ${e.message}`),
            sets: reading.sets.map((s) => ({ id: s.setId, controlNumber: s.controlNumber, status: s.status, problems: s.problems.map((p) => p.message) })),
          },
        });
        if (partner.settings.send997) await queueAcknowledgment(deps, partner, interchange, reading, message);
      }
      return 'done';
    },
  };
}

async function applyReading(deps: EdiDeps, partner: EdiPartner, interchange: Interchange, reading: InterchangeReading, message: MessageRecord): Promise<void> {
  for (const [i, set] of reading.sets.entries()) {
    if (set.status !== 'accepted' || !set.document) continue;
    const group = interchange.groups.find((g) => g.controlNumber === set.groupControlNumber)!;
    const raw = group.sets.find((s) => s.controlNumber === set.controlNumber)!;
    const problem = await applySet(deps, partner, interchange, group, raw, set, message);
    if (problem) reject(reading, i, problem);
  }
}

/** A set found wrong while applying it (an 860 for an unknown PO): rejected in its 997 after all. */
function reject(reading: InterchangeReading, index: number, problem: SetProblem): void {
  const set = reading.sets[index]!;
  set.status = 'rejected';
  set.problems.push(problem);
  reading.groups = reading.groups.map((g) => g.groupControlNumber !== set.groupControlNumber ? g : {
    ...g, sets: g.sets.map((s) => (s.controlNumber === set.controlNumber ? { ...s, problems: [...s.problems, problem] } : s)),
  });
}

async function applySet(
  deps: EdiDeps, partner: EdiPartner, interchange: Interchange, group: Interchange['groups'][number], raw: TransactionSet, set: SetReading, message: MessageRecord,
): Promise<SetProblem | undefined> {
  const document = set.document!;
  const now = deps.clock.now();
  const correlationId = message.correlationId;
  const text = setText(raw, interchange.delimiters);
  switch (document.kind) {
    case 'order': {
      const submission: OrderSubmission = { ...document.order, channel: partner.id };
      // An 850 is versioned by its PO date: the same PO sent again is a duplicate, and only an
      // 860 (stamped with when it was sent) changes the order.
      const input = orderAcceptance(deps, { submission, raw: text, correlationId, now });
      const result = await deps.store.acceptOrderVersion({ ...input, channelUpdatedAt: submission.channelUpdatedAt ?? submission.orderedAt });
      if (result.outcome === 'accepted') deps.metrics?.ordersAccepted.inc({ channel: partner.id });
      if (result.outcome !== 'stale') deps.notifyWork?.();
      return undefined;
    }
    case 'order-change': {
      const original = await findOrder(deps.store, partner.id, document.poNumber);
      if (!original) return { segmentTag: 'BCH', segmentPosition: 2, segmentCode: '8', elementPosition: 3, value: document.poNumber, message: `860 changes PO ${document.poNumber}, which crossdock has not received from ${partner.id}` };
      const ctx: SetContext = { componentSeparator: interchange.delimiters.component, version: group.version.startsWith('005010') ? '005010' : '004010', partner: partner.profile };
      const changedAt = gsTime(group.date, group.time);
      const revision = x12ChangeOrderToRevision(raw.segments, submissionOf(original), ctx, { changedAt });
      if (!revision.ok) return revision.problems[0];
      const input = orderAcceptance(deps, { submission: { ...revision.document.order, channel: partner.id }, raw: text, correlationId, now });
      await deps.store.acceptOrderVersion({ ...input, channelUpdatedAt: changedAt });
      deps.notifyWork?.();
      return undefined;
    }
    case 'shipment': {
      // W0602 quotes the 940's depositor order number: the order the 940 was sent for.
      const orderId = (await orderFor940(deps.store, partner.id, document.shipment.orderId)) ?? document.shipment.orderId;
      const order = await deps.store.getOrder(orderId);
      if (!order) return { segmentTag: 'W06', segmentPosition: 2, segmentCode: '8', elementPosition: 2, value: document.shipment.orderId, message: `945 names order ${document.shipment.orderId}, which crossdock does not know` };
      await acceptShipment(deps, { ...document.shipment, orderId }, { source: partner.id, raw: text, correlationId, now });
      deps.notifyWork?.();
      return undefined;
    }
    case 'functional-ack': {
      const ack = document.ack;
      const status = ACK_STATUS[ack.status] ?? 'rejected';
      const matched = await deps.store.recordGroupAck(partner.id, ack.groupControlNumber, status, message.id, now);
      await deps.store.appendEvent({
        messageId: message.id, at: now, step: '997.received', outcome: matched ? 'ok' : 'error',
        detail: { group: ack.groupControlNumber, status, matched: matched !== undefined, ...(matched ? {} : { why: `${partner.id} acknowledged a group crossdock did not send` }) },
      });
      return undefined;
    }
    case 'availability': {
      // A 3PL's 846: what it has for sale at each location (its own allocations taken out), as
      // of the group's date; the inventory engine journals and applies it once per set.
      const result = deps.inventory && document.updates.length > 0
        ? await deps.inventory.ingest(
          {
            source: `edi:${partner.id}`, sourceTimestamp: gsTime(group.date, group.time), mode: 'set',
            changes: document.updates.map((u) => ({ sku: u.sku, location: u.location ?? partner.id, onHand: u.available })),
          },
          { correlationId, raw: text, idempotencyKey: `846:${message.id}:${set.controlNumber}`, kind: 'inventory-846' },
        )
        : undefined;
      await deps.store.appendEvent({
        messageId: message.id, at: now, step: '846.received', outcome: 'info',
        detail: { updates: document.updates.length, ...(result ? { inventoryMessageId: result.messageId, changed: result.changed, stale: result.stale } : {}) },
      });
      return undefined;
    }
  }
}

const ACK_STATUS: Record<string, Exclude<GroupAckStatus, 'pending'>> = { A: 'accepted', E: 'accepted-with-errors', P: 'partially-accepted', R: 'rejected' };

/** GS04 (CCYYMMDD) and GS05 (HHMM[SS]) as an ISO instant, taken as UTC. */
function gsTime(date: string, time: string): string {
  const t = time.padEnd(6, '0');
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
}

/** The order a 940 with this depositor order number was sent to `partner` for. */
async function orderFor940(store: Store, partner: string, depositorNumber: string): Promise<string | undefined> {
  const page = await store.searchMessages({ text: depositorNumber, channel: partner, limit: 10 });
  return page.items.find((m) => m.kind === 'edi-940' && m.subjectId)?.subjectId ?? undefined;
}

async function findOrder(store: Store, channel: string, poNumber: string): Promise<Order | undefined> {
  const page = await store.searchMessages({ text: poNumber, channel, limit: 50 });
  const id = page.items.find((m) => m.kind === 'order' && m.subjectId)?.subjectId;
  const record = id ? await store.getOrder(id) : undefined;
  return record ? parseOrder(record.canonical) : undefined;
}

/** The submission part of a canonical order (what the 860 mapping revises). */
function submissionOf(order: Order): OrderSubmission {
  const { id: _id, version: _version, source: _source, receivedAt: _receivedAt, ...submission } = order;
  return submission;
}

/**
 * Journals the partner's 997s (or TA1) for one interchange, once: the idempotency key is the
 * interchange, so a re-run of the receive job does not send a second acknowledgment with new
 * control numbers. The bytes are written here, with control numbers from the partner's
 * sequences; the send job only uploads them.
 */
async function queueAcknowledgment(deps: EdiDeps, partner: EdiPartner, interchange: Interchange, reading: InterchangeReading, message: MessageRecord): Promise<void> {
  const now = deps.clock.now();
  const key = `edi-ack:${partner.id}:${interchange.isa.senderId.trim()}:${interchange.isa.controlNumber}`;
  const numbers = {
    interchange: await deps.store.nextControlNumber(`${partner.id}:isa`, now),
    group: await deps.store.nextControlNumber(`${partner.id}:gs`, now),
    firstSet: await deps.store.nextControlNumber(`${partner.id}:st`, now),
  };
  const ack = acknowledgmentFor(interchange, reading, numbers, { delimiters: partnerDelimiters(partner), at: new Date(now) });
  if (!ack) return;
  const text = writeX12(ack);
  const name = `${partner.id}-${reading.rejected.length > 0 ? 'TA1' : '997'}-${String(numbers.interchange).padStart(9, '0')}.x12`;
  await deps.store.recordInbound({
    messageId: newId('msg', now), direction: 'outbound', correlationId: message.correlationId, source: partner.id, kind: 'edi-out',
    channelRef: name, subjectId: message.id, raw: text, status: 'accepted', idempotencyKey: key,
    job: { id: newId('job', now), queue: EDI_SEND_QUEUE, payload: { partner: partner.id, name }, correlationId: message.correlationId, runAt: now, maxAttempts: deps.maxAttempts, now },
    now,
  });
  deps.notifyWork?.();
}

export function partnerDelimiters(partner: EdiPartner): Delimiters {
  const d = partner.settings.delimiters;
  return { element: d.element, component: d.component, segment: d.segment, lineEnding: d.lineEnding, ...(d.repetition ? { repetition: d.repetition } : {}) };
}

/** Uploads a journaled outbound file to the partner's transport (a no-op when the same file is already there). */
export function ediSendHandler(deps: EdiDeps): JobHandler {
  return {
    queue: EDI_SEND_QUEUE,
    async run(job, jobCtx: JobContext) {
      const payload = job.payload as { partner?: unknown; name?: unknown; messageId?: unknown };
      const partner = partnerOf(deps, payload.partner);
      const message = typeof payload.messageId === 'string' ? await deps.store.getMessage(payload.messageId) : undefined;
      if (!message || typeof payload.name !== 'string') throw new CrossdockError('internal.defect', `job ${job.id} names no outbound file`);
      if (!partner.transport) {
        await deps.store.appendEvent({ messageId: message.id, at: deps.clock.now(), step: 'kept', outcome: 'info', detail: { why: `${partner.id} has no file transport: the file stays in the journal` } });
        return 'done';
      }
      const ctx: CallContext = { correlationId: message.correlationId, signal: jobCtx.signal };
      await partner.transport.put(payload.name, message.raw, ctx);
      await deps.store.appendEvent({ messageId: message.id, at: deps.clock.now(), step: 'sent', outcome: 'ok', target: `edi:${partner.id}`, detail: { name: payload.name } });
      return 'done';
    },
  };
}

/**
 * One poll of a partner's inbound folder: each settled file is journaled (the durable copy) and
 * only then moved — to `rejected` when its interchange cannot even be read, else `processed`.
 * A crash between the two leaves the file to be journaled again, recognised by its hash.
 */
export function ediPollHandler(deps: EdiDeps): JobHandler {
  return {
    queue: EDI_POLL_QUEUE,
    async run(job, jobCtx: JobContext) {
      const partner = partnerOf(deps, (job.payload as { partner?: unknown }).partner);
      if (!partner.transport) return 'done';
      const ctx: CallContext = { correlationId: job.correlationId, signal: jobCtx.signal };
      const via = (partner.settings.transport?.['type'] as 'sftp' | 'directory' | undefined) ?? 'directory';
      for (const file of await partner.transport.list(ctx)) {
        const bytes = await partner.transport.read(file, ctx);
        await journalEdiFile(deps, partner, bytes, { via, name: file.name, correlationId: newId('cor', deps.clock.now()) });
        const { interchanges, errors } = parseX12WithErrors(bytes);
        const unreadable = interchanges.length === 0 || errors.some((e) => e.level === 'interchange');
        await partner.transport.markProcessed(file, unreadable ? 'rejected' : 'processed', ctx);
        if (jobCtx.signal.aborted) break;
      }
      return 'done';
    },
  };
}
