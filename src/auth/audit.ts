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
