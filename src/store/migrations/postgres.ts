import type { Migration } from './migration.js';

/**
 * PostgreSQL schema, numbered and append-only. The same number means the same change in
 * `sqlite.ts`; a test compares the two lists. Times are epoch milliseconds in `bigint`
 * (the store parses int8 back to JS numbers); structured values are `jsonb`.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, orders, idempotency, queue, outbox, rate budgets',
    sql: `
CREATE TABLE messages (
  id text PRIMARY KEY,
  correlation_id text NOT NULL,
  direction text NOT NULL,
  source text NOT NULL,
  kind text NOT NULL,
  subject_id text,
  channel_ref text,
  order_number text,
  po_number text,
  source_ts text,
  status text NOT NULL,
  raw text NOT NULL,
  canonical jsonb,
  received_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX messages_correlation ON messages (correlation_id);
CREATE INDEX messages_subject ON messages (subject_id);
CREATE INDEX messages_channel_ref ON messages (channel_ref);
CREATE INDEX messages_order_number ON messages (order_number);
CREATE INDEX messages_po_number ON messages (po_number);
CREATE INDEX messages_received ON messages (received_at, id);
CREATE INDEX messages_status ON messages (status, received_at);

CREATE TABLE message_events (
  seq bigserial PRIMARY KEY,
  message_id text NOT NULL,
  at bigint NOT NULL,
  step text NOT NULL,
  outcome text NOT NULL,
  target text,
  attempt integer,
  latency_ms double precision,
  error jsonb,
  payload jsonb,
  detail jsonb
);
CREATE INDEX message_events_message ON message_events (message_id, seq);

CREATE TABLE orders (
  id text PRIMARY KEY,
  channel text NOT NULL,
  channel_order_id text NOT NULL,
  state text NOT NULL,
  correlation_id text NOT NULL,
  message_id text NOT NULL,
  customer_account text NOT NULL,
  erp_ref text,
  reason jsonb,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  UNIQUE (channel, channel_order_id)
);
CREATE INDEX orders_state ON orders (state, updated_at);


CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  response jsonb NOT NULL,
  duplicates integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);

CREATE TABLE jobs (
  id text PRIMARY KEY,
  queue text NOT NULL,
  payload jsonb NOT NULL,
  correlation_id text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  run_at bigint NOT NULL,
  lease_owner text,
  lease_token text,
  lease_expires_at bigint,
  last_error jsonb,
  subject_id text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX jobs_due ON jobs (queue, status, run_at);
CREATE INDEX jobs_lease ON jobs (status, lease_expires_at);

CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  topic text NOT NULL,
  key text NOT NULL,
  payload jsonb NOT NULL,
  created_at bigint NOT NULL,
  published_at bigint
);

CREATE TABLE rate_budgets (
  target text PRIMARY KEY,
  tat double precision NOT NULL
);

CREATE TABLE counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'channel order versions, polling cursors',
    sql: `
ALTER TABLE orders ADD COLUMN channel_updated_at text;

CREATE TABLE cursors (
  name text PRIMARY KEY,
  value text NOT NULL,
  updated_at bigint NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'EDI control numbers and sent groups awaiting 997s',
    sql: `
CREATE TABLE control_numbers (
  sequence text PRIMARY KEY,
  value bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE edi_sent_groups (
  partner text NOT NULL,
  group_control_number text NOT NULL,
  functional_id text NOT NULL,
  interchange_control_number text NOT NULL,
  message_id text NOT NULL,
  sent_at bigint NOT NULL,
  ack_due_at bigint NOT NULL,
  ack_status text NOT NULL,
  acked_at bigint,
  ack_message_id text,
  PRIMARY KEY (partner, group_control_number)
);
CREATE INDEX edi_sent_groups_pending ON edi_sent_groups (ack_due_at) WHERE ack_status = 'pending';
`,
  },
  {
    version: 4,
    name: 'inventory levels, reservations, published availability, price rules',
    sql: `
CREATE TABLE inventory_levels (
  sku text NOT NULL,
  location text NOT NULL,
  on_hand double precision NOT NULL,
  allocated double precision NOT NULL,
  in_transit double precision NOT NULL,
  expected_at text,
  as_of bigint NOT NULL,
  source text NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (sku, location)
);

CREATE TABLE inventory_reservations (
  order_id text NOT NULL,
  line integer NOT NULL,
  sku text NOT NULL,
  location text NOT NULL,
  quantity double precision NOT NULL,
  channel text NOT NULL,
  posted_at bigint,
  expires_at bigint NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (order_id, line, sku, location)
);

CREATE TABLE availability_published (
  channel text NOT NULL,
  sku text NOT NULL,
  available bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (channel, sku)
);

CREATE TABLE price_rules (
  id text PRIMARY KEY,
  source text NOT NULL,
  body jsonb NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX price_rules_source ON price_rules (source);
`,
  },
  {
    version: 5,
    name: 'console users and sessions, API clients and keys, audit log, cross-references, paused targets, journal search keys, trace context on jobs',
    sql: `
CREATE TABLE console_users (
  username text PRIMARY KEY,
  role text NOT NULL,
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE console_sessions (
  id_hash text PRIMARY KEY,
  username text NOT NULL,
  csrf_token text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  last_seen_at bigint NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (username);

CREATE TABLE api_clients (
  id text PRIMARY KEY,
  name text NOT NULL,
  scopes jsonb NOT NULL,
  rate_per_minute integer,
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint,
  revoked_at bigint,
  last_used_at bigint
);
CREATE INDEX api_keys_client ON api_keys (client_id);

CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  before jsonb,
  after jsonb,
  detail jsonb,
  correlation_id text
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE cross_references (
  channel text NOT NULL,
  kind text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_by text NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (channel, kind, key)
);

CREATE TABLE target_pauses (
  target text PRIMARY KEY,
  paused_by text NOT NULL,
  reason text,
  paused_at bigint NOT NULL
);

CREATE TABLE message_keys (
  key text NOT NULL,
  received_at bigint NOT NULL,
  message_id text NOT NULL,
  PRIMARY KEY (key, received_at, message_id)
);
-- Journal search pages by keyset on (received_at, id): with id in the index a page is one range.
DROP INDEX messages_status;
CREATE INDEX messages_status ON messages (status, received_at, id);
CREATE INDEX messages_source ON messages (source, received_at, id);
-- Orders journaled before search keys existed get the keys orderSearchKeys (src/store/search-keys.ts) writes.
INSERT INTO message_keys (key, received_at, message_id)
  SELECT k.key, m.received_at, m.id
  FROM messages m
  CROSS JOIN LATERAL (
    SELECT 'customer:' || (m.canonical #>> '{customer,accountId}') AS key
    WHERE jsonb_typeof(m.canonical #> '{customer,accountId}') = 'string'
    UNION
    SELECT 'sku:' || (l.value ->> f.name)
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.canonical -> 'lines') = 'array' THEN m.canonical -> 'lines' ELSE '[]'::jsonb END) AS l(value),
         (VALUES ('sku'), ('channelSku')) AS f(name)
    WHERE jsonb_typeof(l.value) = 'object' AND jsonb_typeof(l.value -> f.name) = 'string' AND l.value ->> f.name <> ''
  ) k
  WHERE m.kind = 'order' AND m.direction = 'inbound'
ON CONFLICT DO NOTHING;

ALTER TABLE jobs ADD COLUMN trace_parent text;
`,
  },
];
