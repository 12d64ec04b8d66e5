import type { GroupAckStatus, SentGroup, SentGroupInput } from '../types.js';
import type { Queryable } from './pool.js';

interface GroupRow {
  partner: string; group_control_number: string; functional_id: string; interchange_control_number: string; message_id: string;
  sent_at: string; ack_due_at: string; ack_status: GroupAckStatus; acked_at: string | null; ack_message_id: string | null;
}

function toSentGroup(r: GroupRow): SentGroup {
  return {
    partner: r.partner, groupControlNumber: r.group_control_number, functionalId: r.functional_id,
    interchangeControlNumber: r.interchange_control_number, messageId: r.message_id, sentAt: Number(r.sent_at), ackDueAt: Number(r.ack_due_at),
    ackStatus: r.ack_status, ackedAt: r.acked_at === null ? null : Number(r.acked_at), ackMessageId: r.ack_message_id,
  };
}

/** See `EdiStore.nextControlNumber`: one upsert, so concurrent processes serialise on the row. */
export async function nextControlNumber(db: Queryable, sequence: string, now: number): Promise<number> {
  const { rows } = await db.query<{ value: string }>(
    `INSERT INTO control_numbers (sequence, value, updated_at) VALUES ($1, 1, $2)
     ON CONFLICT (sequence) DO UPDATE SET value = control_numbers.value + 1, updated_at = excluded.updated_at RETURNING value`,
    [sequence, now],
  );
  return Number(rows[0]!.value);
}

export async function recordSentGroup(db: Queryable, g: SentGroupInput): Promise<void> {
  await db.query(
    `INSERT INTO edi_sent_groups (partner, group_control_number, functional_id, interchange_control_number, message_id, sent_at, ack_due_at, ack_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
    [g.partner, g.groupControlNumber, g.functionalId, g.interchangeControlNumber, g.messageId, g.sentAt, g.ackDueAt],
  );
}

export async function recordGroupAck(
  db: Queryable, partner: string, groupControlNumber: string, status: Exclude<GroupAckStatus, 'pending'>, ackMessageId: string, at: number,
): Promise<SentGroup | undefined> {
  const { rows } = await db.query<GroupRow>(
    `UPDATE edi_sent_groups SET ack_status = $1, acked_at = $2, ack_message_id = $3
     WHERE partner = $4 AND group_control_number = $5 RETURNING *`,
    [status, at, ackMessageId, partner, groupControlNumber],
  );
  return rows[0] && toSentGroup(rows[0]);
}

export async function listOverdueGroups(db: Queryable, now: number, limit: number): Promise<SentGroup[]> {
  const { rows } = await db.query<GroupRow>(
    `SELECT * FROM edi_sent_groups WHERE ack_status = 'pending' AND ack_due_at <= $1 ORDER BY ack_due_at LIMIT $2`, [now, limit]);
  return rows.map(toSentGroup);
}
