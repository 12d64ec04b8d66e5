import { submissionProblems } from '../canonical/validate.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { orderAcceptance } from '../intake/order-intake.js';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../observability/metrics.js';
import type { AcceptOrderVersionResult, Store } from '../store/types.js';
import type { ChannelInstance } from './instances.js';
import type { ChannelOrderDocument, MappingProblem } from './types.js';

export interface DocumentIntakeDeps {
  store: Store;
  clock: Clock;
  maxAttempts: number;
  metrics?: Metrics;
  /** Wakes the local worker. */
  notifyWork?: () => void;
}

/**
 * Maps one channel order document and accepts it as a version of its order: a new order, a
 * revision (newer than the stored version), or stale. The raw document is journaled verbatim.
 * A document that cannot be mapped throws `channel.unmappable` naming every problem.
 */
export async function intakeChannelDocument(
  deps: DocumentIntakeDeps,
  instance: ChannelInstance,
  document: ChannelOrderDocument,
  correlationId: string,
): Promise<AcceptOrderVersionResult> {
  const mapped = instance.type.mapOrder(document.document, instance.mapping);
  if (!mapped.ok) throw unmappable(instance, document, mapped.problems);
  const submission = { ...mapped.order, channel: instance.id, channelUpdatedAt: document.updatedAt };
  const schemaProblems = submissionProblems(submission).map((p) => ({ path: p.pointer, message: p.detail }));
  if (schemaProblems.length > 0) throw unmappable(instance, document, schemaProblems);

  const now = deps.clock.now();
  const input = orderAcceptance(deps, { submission, raw: JSON.stringify(document.document), correlationId, now });
  const result = await deps.store.acceptOrderVersion({ ...input, channelUpdatedAt: document.updatedAt });
  if (result.outcome !== 'stale' && mapped.warnings.length > 0) {
    await deps.store.appendEvent({ messageId: input.messageId, at: now, step: 'mapped', outcome: 'info', detail: { warnings: mapped.warnings } });
  }
  if (result.outcome === 'accepted') deps.metrics?.ordersAccepted.inc({ channel: instance.id });
  if (result.outcome === 'stale') deps.metrics?.duplicatesSuppressed.inc({ channel: instance.id });
  if (result.outcome !== 'stale') deps.notifyWork?.();
  return result;
}

function unmappable(instance: ChannelInstance, document: ChannelOrderDocument, problems: MappingProblem[]): CrossdockError {
  const list = problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ');
  return new CrossdockError(
    'channel.unmappable',
    `${instance.id} order ${document.channelOrderId} cannot be mapped: ${list}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    { target: instance.id, errors: problems.map((p) => ({ pointer: p.path, detail: p.message })), context: { channelOrderId: document.channelOrderId } },
  );
}
