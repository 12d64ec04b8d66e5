import { ERRORS, type ErrorCode } from '../errors/catalogue.js';

/**
 * The dead-letter workbench groups dead letters by what a person has to do about them, not by
 * error code: "unknown SKU" whether an order line or an EDI item lookup found it. Each class
 * names the codes it gathers; a code no class names falls into `other`.
 */
export const DEAD_LETTER_CLASSES = [
  'unknown-sku', 'unknown-customer', 'credit-hold', 'price-mismatch', 'insufficient-stock', 'erp-rejected',
  'timeout', 'erp-unavailable', 'channel-rejected', 'invalid-document', 'other',
] as const;
export type DeadLetterClass = (typeof DEAD_LETTER_CLASSES)[number];

export interface DeadLetterClassDefinition {
  readonly title: string;
  /** What to do, in the workbench's words; the catalogue's own action when that one is right. */
  readonly action: string;
  readonly codes: readonly ErrorCode[];
}

const REPLAY_AFTER_OUTAGE = 'Check the target system (its connector health shows the circuit and recent errors); once it answers again, replay the group.';

export const CLASS_DEFINITIONS: Readonly<Record<DeadLetterClass, DeadLetterClassDefinition>> = {
  'unknown-sku': { title: 'Unknown SKU', action: ERRORS['sku.unknown'].action, codes: ['sku.unknown'] },
  'unknown-customer': { title: 'Unknown customer', action: ERRORS['customer.unknown'].action, codes: ['customer.unknown'] },
  'credit-hold': { title: 'Credit hold', action: ERRORS['customer.credit-hold'].action, codes: ['customer.credit-hold'] },
  'price-mismatch': { title: 'Price mismatch', action: ERRORS['price.mismatch'].action, codes: ['price.mismatch'] },
  'insufficient-stock': { title: 'Not enough stock', action: ERRORS['inventory.insufficient'].action, codes: ['inventory.insufficient'] },
  'erp-rejected': {
    title: 'ERP rejected', action: ERRORS['erp.rejected'].action,
    codes: ['erp.rejected', 'order.changed-after-post'],
  },
  timeout: {
    title: 'Timeout',
    action: 'The target did not answer in time: check whether the document arrived there (crossdock looks it up before creating it again), then replay.',
    codes: ['target.timeout'],
  },
  'erp-unavailable': {
    title: 'Target unavailable (outage, circuit open, server errors)', action: REPLAY_AFTER_OUTAGE,
    codes: ['target.unavailable', 'target.unreachable', 'target.circuit-open', 'target.rate-limited', 'target.paused'],
  },
  'channel-rejected': {
    title: 'Channel refused', action: 'Fix the credentials or the reference the channel refused (the detail names it), then replay; discard what no longer exists in the channel.',
    codes: ['channel.unauthorized', 'channel.not-found', 'target.rejected'],
  },
  'invalid-document': {
    title: 'Invalid document (EDI or mapping)', action: ERRORS['channel.unmappable'].action,
    codes: ['channel.unmappable', 'request.invalid', 'request.invalid-json', 'inventory.feed-invalid', 'edi.ack-overdue'],
  },
  other: { title: 'Other', action: 'Read the reason and the timeline; report defects with the correlation id. Replay after a fix, or discard with a reason.', codes: [] },
};

const CLASS_OF_CODE: ReadonlyMap<string, DeadLetterClass> = new Map(
  DEAD_LETTER_CLASSES.flatMap((c) => CLASS_DEFINITIONS[c].codes.map((code) => [code, c] as const)),
);

export function isDeadLetterClass(value: string): value is DeadLetterClass {
  return (DEAD_LETTER_CLASSES as readonly string[]).includes(value);
}

/** The class of a dead letter's error code. */
export function classOf(code: string): DeadLetterClass {
  return CLASS_OF_CODE.get(code) ?? 'other';
}

export interface CodeCount {
  code: string;
  count: number;
  oldestAt: number;
  newestAt: number;
}

export interface DeadLetterGroup {
  class: DeadLetterClass;
  title: string;
  action: string;
  count: number;
  /** The codes of this class that have dead letters now. */
  codes: string[];
  oldestAt: number;
  newestAt: number;
}

/** Gathers per-code counts into classes, the largest first (ties in the classes' own order). */
export function groupByClass(counts: readonly CodeCount[]): DeadLetterGroup[] {
  const groups = new Map<DeadLetterClass, DeadLetterGroup>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const cls = classOf(c.code);
    const group = groups.get(cls);
    if (!group) {
      const def = CLASS_DEFINITIONS[cls];
      groups.set(cls, { class: cls, title: def.title, action: def.action, count: c.count, codes: [c.code], oldestAt: c.oldestAt, newestAt: c.newestAt });
      continue;
    }
    group.count += c.count;
    group.codes.push(c.code);
    group.oldestAt = Math.min(group.oldestAt, c.oldestAt);
    group.newestAt = Math.max(group.newestAt, c.newestAt);
  }
  const order = (g: DeadLetterGroup) => DEAD_LETTER_CLASSES.indexOf(g.class);
  return [...groups.values()]
    .map((g) => ({ ...g, codes: [...g.codes].sort() }))
    .sort((a, b) => b.count - a.count || order(a) - order(b));
}

/**
 * The error codes to select for a class. `other` has no codes of its own: it is every code in
 * `present` (the codes dead letters have now) that no class names.
 */
export function codesOfClass(cls: DeadLetterClass, present: readonly string[]): string[] {
  if (cls !== 'other') return [...CLASS_DEFINITIONS[cls].codes];
  return present.filter((code) => classOf(code) === 'other');
}
