import type { OrderState } from '../canonical/states.js';
import type { MessageEvent, MessageStatus, Store } from './types.js';

/** How an order's state shows on its inbound message in the journal (the same in every store). */
export function messageStatusFor(state: OrderState): MessageStatus {
  switch (state) {
    case 'received': return 'accepted';
    case 'held': return 'held';
    case 'failed': return 'failed';
    // Refused for good, by a policy or by a person from the dead-letter workbench.
    case 'rejected': case 'discarded': return 'rejected';
    case 'validated': case 'reserved': return 'processing';
    default: return 'delivered';
  }
}

/** States whose journal step is recorded with outcome `error`. */
export const ERROR_STATES: ReadonlySet<OrderState> = new Set(['held', 'failed', 'rejected', 'discarded']);

/**
 * Every event of an order, oldest first, across its versions: a channel's revision makes a new
 * message the order's own (its first event, `revised`, names the one before), so the order's
 * whole timeline is the chain of those messages. `messageId` is on each event.
 */
export async function orderTimeline(store: Pick<Store, 'listEvents'>, latestMessageId: string): Promise<MessageEvent[]> {
  const perMessage: MessageEvent[][] = [];
  const seen = new Set<string>();
  let messageId: string | undefined = latestMessageId;
  while (messageId !== undefined && !seen.has(messageId)) {
    seen.add(messageId);
    const own: MessageEvent[] = await store.listEvents(messageId);
    perMessage.unshift(own);
    const previous: unknown = own.find((e) => e.step === 'revised')?.detail?.['previousMessageId'];
    messageId = typeof previous === 'string' ? previous : undefined;
  }
  // Oldest message first, then a stable sort: at equal times the older version's events come first.
  return perMessage.flat().sort((a, b) => a.at - b.at);
}
