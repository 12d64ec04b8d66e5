import type { AuditEntry, AuditQuery, StoredAuditEntry } from '../access-types.js';
import type { Queryable } from './pool.js';

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** See `AuditStore.appendAudit`. */
export async function appendAudit(db: Queryable, e: AuditEntry): Promise<number> {
  const { rows } = await db.query<{ seq: string }>(
    `INSERT INTO audit_log (at, actor, action, target, before, after, detail, correlation_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8) RETURNING seq`,
    [e.at, e.actor, e.action, e.target, json(e.before), json(e.after), json(e.detail), e.correlationId ?? null],
  );
  return Number(rows[0]!.seq);
}

interface AuditRow {
  seq: string; at: string; actor: string; action: string; target: string;
  before: string | null; after: string | null; detail: string | null; correlation_id: string | null;
}

/** See `AuditStore.listAudit`. */
export async function listAudit(db: Queryable, q: AuditQuery): Promise<StoredAuditEntry[]> {
  const { rows } = await db.query<AuditRow>(
    // As text: a JSON null kept as the value before (nothing was there) is not an absent column.
    `SELECT seq, at, actor, action, target, before::text, after::text, detail::text, correlation_id FROM audit_log
     WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
     ORDER BY seq DESC LIMIT $4`,
    [q.beforeSeq ?? null, q.actor ?? null, q.action ?? null, q.limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq), at: Number(r.at), actor: r.actor, action: r.action, target: r.target,
    ...(r.before !== null ? { before: JSON.parse(r.before) as unknown } : {}),
    ...(r.after !== null ? { after: JSON.parse(r.after) as unknown } : {}),
    ...(r.detail !== null ? { detail: JSON.parse(r.detail) as unknown } : {}),
    ...(r.correlation_id !== null ? { correlationId: r.correlation_id } : {}),
  }));
}
