import type { FastifyRequest } from 'fastify';
import type { AuditStore } from '../store/access-types.js';
import { actorOf } from './principal.js';

export interface AuditInput {
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

/** Records an operator action taken through the API, as its caller, under the request's correlation id. */
export async function auditRequest(store: AuditStore, request: FastifyRequest, input: AuditInput, now: number): Promise<void> {
  await store.appendAudit({ at: now, actor: actorOf(request.principal), correlationId: request.correlationId, ...input });
}

/** Who acts, for changes made outside a request handler too: `cli:ann`, or a request's principal and correlation id. */
export interface ActedBy {
  actor: string;
  correlationId?: string;
}

/** The principal and correlation id of a request, as the audit log names them. */
export function actedBy(request: FastifyRequest): ActedBy {
  return { actor: actorOf(request.principal), correlationId: request.correlationId };
}

/** Records an operator action by `by` (a string is an actor name). */
export async function auditAs(store: AuditStore, by: ActedBy | string, input: AuditInput, now: number): Promise<void> {
  const { actor, correlationId } = typeof by === 'string' ? { actor: by, correlationId: undefined } : by;
  await store.appendAudit({ at: now, actor, ...(correlationId ? { correlationId } : {}), ...input });
}
