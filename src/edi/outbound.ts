import type { AvailabilityUpdate } from '../canonical/availability.js';
import type { InvoiceSubmission } from '../canonical/invoice.js';
import type { Order } from '../canonical/order.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import type { AvailabilitySink, PublishResult, ShipmentSink } from '../channels/types.js';
import type { CallContext, ExternalRef } from '../connectors/capabilities.js';
import { newId } from '../lib/ids.js';
import type { EdiPartner } from './partners.js';
import { EDI_SEND_QUEUE, partnerDelimiters, type EdiDeps } from './runtime.js';
import {
  availabilityToX12InventoryAdvice, invoiceToX12Invoice, orderToX12Acknowledgment, orderToX12WarehouseShippingOrder, shipmentToX12ShipNotice,
  type LineDecision, type OutSegment, type SetContext,
} from './sets/index.js';
import { buildTransactionSet, writeX12 } from './x12/index.js';

/** GS01 of each set crossdock sends. */
const FUNCTIONAL_ID: Record<string, string> = { '855': 'PR', '856': 'SH', '810': 'IN', '846': 'IB', '940': 'OW', '997': 'FA' };

export interface OutboundDocument {
  setId: '855' | '856' | '810' | '846' | '940';
  segments: OutSegment[];
  /** Once per key: the same document asked for again (a retried job) is not sent twice. */
  key: string;
  correlationId: string;
  /** The order (or other message) it belongs to, so it shows in that timeline. */
  subjectId?: string;
  /** What the partner will quote back (a 940's depositor order number), to find the order by; @default the file name. */
  reference?: string;
}

export interface QueuedDocument {
  interchangeControlNumber: string;
  groupControlNumber: string;
  messageId: string;
  /** The same document was queued before (this call changed nothing). */
  existed: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function setContext(partner: EdiPartner): SetContext {
  return { componentSeparator: partner.settings.delimiters.component, version: partner.settings.version, partner: partner.profile };
}

/**
 * Numbers (ISA13, GS06, ST02 from the partner's sequences: never reused), writes and journals one
 * transaction set for a partner, with a job that uploads it, and records the group as waiting
 * for the partner's 997 within its window. Idempotent on `document.key`.
 */
export async function queueOutboundDocument(deps: EdiDeps, partner: EdiPartner, document: OutboundDocument): Promise<QueuedDocument> {
  const now = deps.clock.now();
  const [isa, gs, st] = [
    await deps.store.nextControlNumber(`${partner.id}:isa`, now),
    await deps.store.nextControlNumber(`${partner.id}:gs`, now),
    await deps.store.nextControlNumber(`${partner.id}:st`, now),
  ];
  const delimiters = partnerDelimiters(partner);
  const iso = new Date(now).toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 16).replace(':', '');
  const functionalId = FUNCTIONAL_ID[document.setId]!;
  const text = writeX12({
    isa: {
      authInfoQualifier: '00', authInfo: '', securityInfoQualifier: '00', securityInfo: '',
      senderQualifier: deps.identity.isaQualifier, senderId: deps.identity.isaId,
      receiverQualifier: partner.settings.isaQualifier, receiverId: partner.settings.isaId,
      date: date.slice(2), time,
      ...(partner.settings.version === '005010' ? { repetitionSeparator: delimiters.repetition ?? '^' } : { standardsId: 'U' }),
      version: partner.settings.version === '005010' ? '00501' : '00401',
      controlNumber: pad(isa, 9), ackRequested: '0', usage: partner.settings.usage, componentSeparator: delimiters.component,
    },
    delimiters,
    groups: [{
      functionalId, appSender: deps.identity.gsId, appReceiver: partner.settings.gsId, date, time,
      controlNumber: String(gs), agency: 'X', version: partner.settings.version,
      sets: [buildTransactionSet(document.setId, pad(st, 4), document.segments, { delimiters })],
    }],
  });
  const name = `${partner.id}-${document.setId}-${pad(isa, 9)}.x12`;
  const result = await deps.store.recordInbound({
    messageId: newId('msg', now), direction: 'outbound', correlationId: document.correlationId, source: partner.id, kind: `edi-${document.setId}`,
    channelRef: document.reference ?? name, ...(document.subjectId ? { subjectId: document.subjectId } : {}), raw: text, status: 'accepted', idempotencyKey: document.key,
    job: { id: newId('job', now), queue: EDI_SEND_QUEUE, payload: { partner: partner.id, name }, correlationId: document.correlationId, runAt: now, maxAttempts: deps.maxAttempts, now },
    now,
  });
  if (result.outcome === 'accepted') {
    await deps.store.recordSentGroup({
      partner: partner.id, groupControlNumber: String(gs), functionalId, interchangeControlNumber: pad(isa, 9), messageId: result.messageId,
      sentAt: now, ackDueAt: now + partner.settings.ackWindowHours * 3_600_000,
    });
    deps.notifyWork?.();
  }
  return { interchangeControlNumber: pad(isa, 9), groupControlNumber: String(gs), messageId: result.messageId, existed: result.outcome === 'duplicate' };
}

const asRef = (partner: EdiPartner, q: QueuedDocument): ExternalRef =>
  ({ system: `edi:${partner.id}`, id: q.messageId, number: q.interchangeControlNumber, ...(q.existed ? { existed: true } : {}) });

/** An EDI partner's orders ship with an 856 ship notice. */
export function ediShipmentSink(deps: EdiDeps, partner: EdiPartner): ShipmentSink {
  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext) {
      const segments = shipmentToX12ShipNotice({ shipment, order }, setContext(partner));
      const queued = await queueOutboundDocument(deps, partner, { setId: '856', segments, key: `edi-856:${partner.id}:${order.id}:${shipment.shipmentId}`, correlationId: ctx.correlationId, subjectId: order.id });
      return asRef(partner, queued);
    },
  };
}

/** Availability to an EDI partner: one 846 per batch. */
export function ediAvailabilitySink(deps: EdiDeps, partner: EdiPartner): AvailabilitySink {
  return {
    maxBatch: 5000,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const reportId = newId('inv', deps.clock.now());
      const segments = availabilityToX12InventoryAdvice({ updates, reportId, at: new Date(deps.clock.now()).toISOString() }, setContext(partner));
      const queued = await queueOutboundDocument(deps, partner, { setId: '846', segments, key: `edi-846:${partner.id}:${reportId}`, correlationId: ctx.correlationId });
      return { detail: { interchange: queued.interchangeControlNumber } };
    },
  };
}

/** 855: what crossdock (the ERP) made of each line of the partner's purchase order. */
export function queueAcknowledgment855(deps: EdiDeps, partner: EdiPartner, order: Order, decisions: LineDecision[], correlationId: string): Promise<QueuedDocument> {
  const segments = orderToX12Acknowledgment({ order, decisions, acknowledgedAt: new Date(deps.clock.now()).toISOString() }, setContext(partner));
  return queueOutboundDocument(deps, partner, { setId: '855', segments, key: `edi-855:${partner.id}:${order.id}`, correlationId, subjectId: order.id });
}

/** 810 for an invoice of the partner's order. */
export function queueInvoice810(deps: EdiDeps, partner: EdiPartner, invoice: InvoiceSubmission, order: Order, correlationId: string): Promise<QueuedDocument> {
  const segments = invoiceToX12Invoice({ invoice, order }, setContext(partner));
  return queueOutboundDocument(deps, partner, { setId: '810', segments, key: `edi-810:${partner.id}:${invoice.invoiceId}`, correlationId, subjectId: order.id });
}

/**
 * The depositor order number a 3PL gets for an order (W0502, at most 22 characters, echoed in
 * its 945's W0602): the order id's last 22 characters — the ULID's random part and most of its
 * time, unique in practice. The 940 is journaled under it, so the 945 finds its order.
 */
export function depositorOrderNumber(orderId: string): string {
  return orderId.replace(/^ord_/, '').slice(-22);
}

/** 940 asking a 3PL partner to ship an order. */
export function queueWarehouseOrder940(deps: EdiDeps, threePl: EdiPartner, order: Order, correlationId: string): Promise<QueuedDocument> {
  const depositor = depositorOrderNumber(order.id);
  const segments = orderToX12WarehouseShippingOrder({ order: { ...order, id: depositor } }, setContext(threePl));
  return queueOutboundDocument(deps, threePl, { setId: '940', segments, key: `edi-940:${threePl.id}:${order.id}`, correlationId, subjectId: order.id, reference: depositor });
}
