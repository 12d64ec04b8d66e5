import type { Migration } from './migration.js';

/**
 * SQLite schema, numbered and append-only. Every B-tree an order touches is a page written at
 * each group commit, so intake's tables keep few indexes: small-row tables are WITHOUT ROWID
 * (the primary key is the table), sequences use plain INTEGER PRIMARY KEY (no sqlite_sequence
 * write; rows are never deleted, so they still only grow), and optional columns have partial
 * indexes. The same number means the same change in
 * `postgres.ts`; a test compares the two lists.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, orders, idempotency, queue, outbox, rate budgets',
    sql: `
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  correlation_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject_id TEXT,
  channel_ref TEXT,
  order_number TEXT,
  po_number TEXT,
  source_ts TEXT,
  status TEXT NOT NULL,
  raw TEXT NOT NULL,
  canonical TEXT,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_correlation ON messages (correlation_id);
CREATE INDEX messages_subject ON messages (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX messages_channel_ref ON messages (channel_ref) WHERE channel_ref IS NOT NULL;
CREATE INDEX messages_order_number ON messages (order_number) WHERE order_number IS NOT NULL;
CREATE INDEX messages_po_number ON messages (po_number) WHERE po_number IS NOT NULL;
CREATE INDEX messages_received ON messages (received_at, id);
CREATE INDEX messages_status ON messages (status, received_at);

CREATE TABLE message_events (
  seq INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  step TEXT NOT NULL,
  outcome TEXT NOT NULL,
  target TEXT,
  attempt INTEGER,
  latency_ms REAL,
  error TEXT,
  payload TEXT,
  detail TEXT
);
CREATE INDEX message_events_message ON message_events (message_id, seq);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  channel_order_id TEXT NOT NULL,
  state TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  customer_account TEXT NOT NULL,
  erp_ref TEXT,
  reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (channel, channel_order_id)
) WITHOUT ROWID;
CREATE INDEX orders_state ON orders (state, updated_at);


CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  duplicates INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  payload TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_token TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  subject_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX jobs_due ON jobs (queue, run_at) WHERE status = 'queued';
CREATE INDEX jobs_dead ON jobs (updated_at, id) WHERE status = 'dead';
CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE status = 'running';

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER
);

CREATE TABLE rate_budgets (
  target TEXT PRIMARY KEY,
  tat REAL NOT NULL
);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'channel order versions, polling cursors',
    sql: `
ALTER TABLE orders ADD COLUMN channel_updated_at TEXT;

CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'EDI control numbers and sent groups awaiting 997s',
    sql: `
CREATE TABLE control_numbers (
  sequence TEXT PRIMARY KEY,
  value INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE edi_sent_groups (
  partner TEXT NOT NULL,
  group_control_number TEXT NOT NULL,
  functional_id TEXT NOT NULL,
  interchange_control_number TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  ack_due_at INTEGER NOT NULL,
  ack_status TEXT NOT NULL,
  acked_at INTEGER,
  ack_message_id TEXT,
  PRIMARY KEY (partner, group_control_number)
) WITHOUT ROWID;
CREATE INDEX edi_sent_groups_pending ON edi_sent_groups (ack_due_at) WHERE ack_status = 'pending';
`,
  },
  {
    version: 4,
    name: 'inventory levels, reservations, published availability, price rules',
    sql: `
CREATE TABLE inventory_levels (
  sku TEXT NOT NULL,
  location TEXT NOT NULL,
  on_hand REAL NOT NULL,
  allocated REAL NOT NULL,
  in_transit REAL NOT NULL,
  expected_at TEXT,
  as_of INTEGER NOT NULL,
  source TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (sku, location)
) WITHOUT ROWID;

CREATE TABLE inventory_reservations (
  order_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  sku TEXT NOT NULL,
  location TEXT NOT NULL,
  quantity REAL NOT NULL,
  channel TEXT NOT NULL,
  posted_at INTEGER,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (order_id, line, sku, location)
) WITHOUT ROWID;

CREATE TABLE availability_published (
  channel TEXT NOT NULL,
  sku TEXT NOT NULL,
  available INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel, sku)
) WITHOUT ROWID;

CREATE TABLE price_rules (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX price_rules_source ON price_rules (source);
`,
  },
  {
    version: 5,
    name: 'console users and sessions, API clients and keys, audit log, cross-references, paused targets, journal search keys, trace context on jobs',
    sql: `
CREATE TABLE console_users (
  username TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE console_sessions (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX console_sessions_user ON console_sessions (username);

CREATE TABLE api_clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  rate_per_minute INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX api_keys_client ON api_keys (client_id);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT,
  after TEXT,
  detail TEXT,
  correlation_id TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE cross_references (
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel, kind, key)
) WITHOUT ROWID;

CREATE TABLE target_pauses (
  target TEXT PRIMARY KEY,
  paused_by TEXT NOT NULL,
  reason TEXT,
  paused_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE message_keys (
  key TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  PRIMARY KEY (key, received_at, message_id)
) WITHOUT ROWID;
-- Journal search pages by keyset on (received_at, id): with id in the index a page is one range.
DROP INDEX messages_status;
CREATE INDEX messages_status ON messages (status, received_at, id);
CREATE INDEX messages_source ON messages (source, received_at, id);
-- Orders journaled before search keys existed get the keys orderSearchKeys (src/store/search-keys.ts) writes.
INSERT OR IGNORE INTO message_keys (key, received_at, message_id)
  SELECT 'customer:' || json_extract(m.canonical, '$.customer.accountId'), m.received_at, m.id FROM messages m
  WHERE m.kind = 'order' AND m.direction = 'inbound' AND json_valid(m.canonical)
    AND json_type(m.canonical, '$.customer.accountId') = 'text';
INSERT OR IGNORE INTO message_keys (key, received_at, message_id)
  SELECT 'sku:' || json_extract(l.value, '$.' || f.name), m.received_at, m.id
  FROM messages m, json_each(m.canonical, '$.lines') l, (SELECT 'sku' AS name UNION ALL SELECT 'channelSku') f
  WHERE m.kind = 'order' AND m.direction = 'inbound' AND json_valid(m.canonical) AND json_type(m.canonical, '$.lines') = 'array'
    AND l.type = 'object' AND json_type(l.value, '$.' || f.name) = 'text' AND json_extract(l.value, '$.' || f.name) <> '';

ALTER TABLE jobs ADD COLUMN trace_parent TEXT;
`,
  },
];
