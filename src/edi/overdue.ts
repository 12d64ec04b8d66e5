import { CrossdockError } from '../errors/crossdock-error.js';
import type { JobHandler } from '../worker/types.js';
import type { EdiDeps } from './runtime.js';

export const EDI_OVERDUE_SCAN_QUEUE = 'edi.overdue-scan';
export const EDI_ACK_OVERDUE_QUEUE = 'edi.ack-overdue';

/**
 * Looks for groups crossdock sent whose 997 has not come within the partner's window, and raises
 * one exception per group: a job that fails at once with `edi.ack-overdue`, so it lands in the
 * dead-letter list with the partner, the control numbers and what to do. Its id is derived from
 * the group, so a group is raised once however often the scan runs.
 */
export function ediOverdueScanHandler(deps: EdiDeps): JobHandler {
  return {
    queue: EDI_OVERDUE_SCAN_QUEUE,
    async run() {
      const now = deps.clock.now();
      for (const group of await deps.store.listOverdueGroups(now, 500)) {
        const id = `edi-ack-overdue:${group.partner}:${group.groupControlNumber}`;
        if (await deps.store.getJob(id)) continue;
        const raised = await deps.store.enqueue({
          id, queue: EDI_ACK_OVERDUE_QUEUE, payload: { ...group }, correlationId: `edi-${group.partner}-${group.interchangeControlNumber}`,
          runAt: now, maxAttempts: 1, now,
        }).then(() => true, async (error: unknown) => {
          // Another process raised it first: counted there.
          if (!(await deps.store.getJob(id))) throw error;
          return false;
        });
        if (raised) deps.metrics?.reconciliationExceptions.inc({ kind: 'edi-ack-overdue' });
      }
      deps.notifyWork?.();
      return 'done';
    },
  };
}

export function ediAckOverdueHandler(): JobHandler {
  return {
    queue: EDI_ACK_OVERDUE_QUEUE,
    run(job) {
      const g = job.payload as { partner: string; groupControlNumber: string; functionalId: string; interchangeControlNumber: string; sentAt: number; ackDueAt: number; messageId: string };
      throw new CrossdockError('edi.ack-overdue',
        `${g.partner} has not acknowledged group ${g.groupControlNumber} (${g.functionalId}, interchange ${g.interchangeControlNumber}) sent ${new Date(g.sentAt).toISOString()}; the 997 was due ${new Date(g.ackDueAt).toISOString()}`,
        { target: `edi:${g.partner}`, context: { messageId: g.messageId, partner: g.partner, groupControlNumber: g.groupControlNumber } });
    },
  };
}
