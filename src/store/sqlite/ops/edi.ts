import type Database from 'better-sqlite3';
import type { GroupAckStatus, SentGroup, SentGroupInput } from '../../types.js';
import { sql } from '../statements.js';

interface GroupRow {
  partner: string; group_control_number: string; functional_id: string; interchange_control_number: string; message_id: string;
  sent_at: number; ack_due_at: number; ack_status: GroupAckStatus; acked_at: number | null; ack_message_id: string | null;
}

function toSentGroup(r: GroupRow): SentGroup {
  return {
    partner: r.partner, groupControlNumber: r.group_control_number, functionalId: r.functional_id,
    interchangeControlNumber: r.interchange_control_number, messageId: r.message_id, sentAt: r.sent_at, ackDueAt: r.ack_due_at,
    ackStatus: r.ack_status, ackedAt: r.acked_at, ackMessageId: r.ack_message_id,
  };
}

/** See `EdiStore.nextControlNumber`: the single writer makes the increment atomic. */
export function nextControlNumber(db: Database.Database, sequence: string, now: number): number {
  const row = sql(db, `INSERT INTO control_numbers (sequence, value, updated_at) VALUES (?, 1, ?)
                       ON CONFLICT (sequence) DO UPDATE SET value = value + 1, updated_at = excluded.updated_at RETURNING value`)
    .get(sequence, now) as { value: number };
  return row.value;
}

export function recordSentGroup(db: Database.Database, g: SentGroupInput): void {
  sql(db, `INSERT INTO edi_sent_groups (partner, group_control_number, functional_id, interchange_control_number, message_id, sent_at, ack_due_at, ack_status)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`)
    .run(g.partner, g.groupControlNumber, g.functionalId, g.interchangeControlNumber, g.messageId, g.sentAt, g.ackDueAt);
}

export function recordGroupAck(
  db: Database.Database, partner: string, groupControlNumber: string, status: Exclude<GroupAckStatus, 'pending'>, ackMessageId: string, at: number,
): SentGroup | undefined {
  const row = sql(db, `UPDATE edi_sent_groups SET ack_status = ?, acked_at = ?, ack_message_id = ?
                       WHERE partner = ? AND group_control_number = ? RETURNING *`)
    .get(status, at, ackMessageId, partner, groupControlNumber) as GroupRow | undefined;
  return row ? toSentGroup(row) : undefined;
}

export function listOverdueGroups(db: Database.Database, now: number, limit: number): SentGroup[] {
  const rows = sql(db, `SELECT * FROM edi_sent_groups WHERE ack_status = 'pending' AND ack_due_at <= ? ORDER BY ack_due_at LIMIT ?`)
    .all(now, limit) as GroupRow[];
  return rows.map(toSentGroup);
}
