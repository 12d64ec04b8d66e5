/** One operator action, as the audit log keeps it: who, when, what, before and after. */
export interface AuditEntry {
  at: number;
  /** `user:alice`, `client:erp-bridge`, `local`, `cli:<os user>` (src/auth/principal.ts). */
  actor: string;
  /** `dead-letter.replay`, `dead-letter.discard`, `cross-reference.put`, `connector.pause`, `user.create`, `api-key.revoke` … */
  action: string;
  /** What was acted on: a job id, `b2b-portal/sku/SKU-9`, a target name, a user name … */
  target: string;
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping: a discard reason, how many jobs a group replay moved. */
  detail?: unknown;
  correlationId?: string;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

export interface AuditQuery {
  limit: number;
  /** Entries older than this sequence number (the previous page's last `seq`). */
  beforeSeq?: number;
  actor?: string;
  action?: string;
}

/** The audit log: append-only. */
export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<number>;
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<StoredAuditEntry[]>;
}
