import type Database from 'better-sqlite3';
import type { AuditEntry, AuditQuery, StoredAuditEntry } from '../../access-types.js';
import { sql } from '../statements.js';

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** See `AuditStore.appendAudit`. */
export function appendAudit(db: Database.Database, e: AuditEntry): number {
  const { lastInsertRowid } = sql(db, `INSERT INTO audit_log (at, actor, action, target, before, after, detail, correlation_id)
                                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(e.at, e.actor, e.action, e.target, json(e.before), json(e.after), json(e.detail), e.correlationId ?? null);
  return Number(lastInsertRowid);
}

interface AuditRow {
  seq: number; at: number; actor: string; action: string; target: string;
  before: string | null; after: string | null; detail: string | null; correlation_id: string | null;
}

/** See `AuditStore.listAudit`. */
export function listAudit(db: Database.Database, q: AuditQuery): StoredAuditEntry[] {
  const rows = sql(db, `SELECT seq, at, actor, action, target, before, after, detail, correlation_id FROM audit_log
                        WHERE (? IS NULL OR seq < ?) AND (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)
                        ORDER BY seq DESC LIMIT ?`)
    .all(q.beforeSeq ?? null, q.beforeSeq ?? null, q.actor ?? null, q.actor ?? null, q.action ?? null, q.action ?? null, q.limit) as AuditRow[];
  return rows.map((r) => ({
    seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target,
    ...(r.before !== null ? { before: JSON.parse(r.before) as unknown } : {}),
    ...(r.after !== null ? { after: JSON.parse(r.after) as unknown } : {}),
    ...(r.detail !== null ? { detail: JSON.parse(r.detail) as unknown } : {}),
    ...(r.correlation_id !== null ? { correlationId: r.correlation_id } : {}),
  }));
}
