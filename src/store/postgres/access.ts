import type pg from 'pg';
import type {
  AddApiKeyInput, AddApiKeyResult, ApiClient, ApiClientChanges, ApiKey, ConsoleSession, ConsoleUser, ConsoleUserChanges,
} from '../access-types.js';
import { inTransaction, type Queryable } from './pool.js';

interface UserRow { username: string; role: ConsoleUser['role']; password_hash: string; disabled: boolean; created_at: number; updated_at: number }
interface ClientRow { id: string; name: string; scopes: string[]; rate_per_minute: number | null; disabled: boolean; created_at: number; updated_at: number }
interface KeyRow {
  id: string; client_id: string; key_hash: string; prefix: string; created_at: number;
  expires_at: number | null; revoked_at: number | null; last_used_at: number | null;
}

const USER_COLUMNS = 'username, role, password_hash, disabled, created_at, updated_at';
const CLIENT_COLUMNS = 'id, name, scopes, rate_per_minute, disabled, created_at, updated_at';
const KEY_COLUMNS = 'id, client_id, key_hash, prefix, created_at, expires_at, revoked_at, last_used_at';

const user = (r: UserRow): ConsoleUser => ({
  username: r.username, role: r.role, passwordHash: r.password_hash, disabled: r.disabled, createdAt: r.created_at, updatedAt: r.updated_at,
});
const client = (r: ClientRow): ApiClient => ({
  id: r.id, name: r.name, scopes: r.scopes, ratePerMinute: r.rate_per_minute, disabled: r.disabled, createdAt: r.created_at, updatedAt: r.updated_at,
});
const key = (r: KeyRow): ApiKey => ({
  id: r.id, clientId: r.client_id, keyHash: r.key_hash, prefix: r.prefix, createdAt: r.created_at,
  expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
});

/** See `AccessStore.createUser`. */
export async function createUser(db: Queryable, u: ConsoleUser): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO console_users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING`,
    [u.username, u.role, u.passwordHash, u.disabled, u.createdAt, u.updatedAt],
  );
  return rowCount === 1;
}

/** See `AccessStore.getUser`. */
export async function getUser(db: Queryable, username: string): Promise<ConsoleUser | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM console_users WHERE username = $1`, [username]);
  return rows[0] ? user(rows[0]) : undefined;
}

/** See `AccessStore.listUsers`. */
export async function listUsers(db: Queryable): Promise<ConsoleUser[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM console_users ORDER BY username`);
  return rows.map(user);
}

/** See `AccessStore.countUsers`. */
export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM console_users');
  return Number(rows[0]!.n);
}

/** See `AccessStore.updateUser`. */
export async function updateUser(db: Queryable, username: string, c: ConsoleUserChanges, now: number): Promise<ConsoleUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE console_users SET role = coalesce($1, role), password_hash = coalesce($2, password_hash),
       disabled = coalesce($3, disabled), updated_at = $4 WHERE username = $5 RETURNING ${USER_COLUMNS}`,
    [c.role ?? null, c.passwordHash ?? null, c.disabled ?? null, now, username],
  );
  return rows[0] ? user(rows[0]) : undefined;
}

/** See `AccessStore.deleteUser`. */
export async function deleteUser(pool: pg.Pool, username: string): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM console_sessions WHERE username = $1', [username]);
    const { rowCount } = await tx.query('DELETE FROM console_users WHERE username = $1', [username]);
    return rowCount === 1;
  });
}

/** See `AccessStore.createSession`. */
export async function createSession(db: Queryable, s: ConsoleSession): Promise<void> {
  await db.query(
    'INSERT INTO console_sessions (id_hash, username, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.idHash, s.username, s.csrfToken, s.createdAt, s.expiresAt, s.lastSeenAt],
  );
}

/** See `AccessStore.getSession`. */
export async function getSession(db: Queryable, idHash: string, now: number): Promise<{ session: ConsoleSession; user: ConsoleUser } | undefined> {
  const { rows } = await db.query<UserRow & { id_hash: string; csrf_token: string; s_created_at: number; expires_at: number; last_seen_at: number }>(
    `SELECT s.id_hash, s.username, s.csrf_token, s.created_at AS s_created_at, s.expires_at, s.last_seen_at,
            u.role, u.password_hash, u.disabled, u.created_at, u.updated_at
     FROM console_sessions s JOIN console_users u ON u.username = s.username
     WHERE s.id_hash = $1 AND s.expires_at > $2`,
    [idHash, now],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    session: {
      idHash: row.id_hash, username: row.username, csrfToken: row.csrf_token, createdAt: row.s_created_at,
      expiresAt: row.expires_at, lastSeenAt: row.last_seen_at,
    },
    user: user(row),
  };
}

/** See `AccessStore.touchSession`. */
export async function touchSession(db: Queryable, idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db.query('UPDATE console_sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3', [lastSeenAt, expiresAt, idHash]);
}

/** See `AccessStore.deleteSession`. */
export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
}

/** See `AccessStore.deleteSessionsOf`. */
export async function deleteSessionsOf(db: Queryable, username: string, exceptIdHash?: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM console_sessions WHERE username = $1 AND id_hash <> $2', [username, exceptIdHash ?? '']);
  return rowCount ?? 0;
}

/** See `AccessStore.deleteExpiredSessions`. */
export async function deleteExpiredSessions(db: Queryable, now: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM console_sessions WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}

/** See `AccessStore.createApiClient`. */
export async function createApiClient(db: Queryable, c: ApiClient): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO api_clients (${CLIENT_COLUMNS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [c.id, c.name, JSON.stringify(c.scopes), c.ratePerMinute, c.disabled, c.createdAt, c.updatedAt],
  );
  return rowCount === 1;
}

/** See `AccessStore.getApiClient`. */
export async function getApiClient(db: Queryable, id: string): Promise<ApiClient | undefined> {
  const { rows } = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM api_clients WHERE id = $1`, [id]);
  return rows[0] ? client(rows[0]) : undefined;
}

/** See `AccessStore.listApiClients`. */
export async function listApiClients(db: Queryable): Promise<ApiClient[]> {
  const { rows } = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM api_clients ORDER BY id`);
  return rows.map(client);
}

/** See `AccessStore.updateApiClient`. */
export async function updateApiClient(db: Queryable, id: string, c: ApiClientChanges, now: number): Promise<ApiClient | undefined> {
  const { rows } = await db.query<ClientRow>(
    `UPDATE api_clients SET name = coalesce($1, name), scopes = coalesce($2::jsonb, scopes),
       rate_per_minute = CASE WHEN $3 THEN $4::integer ELSE rate_per_minute END,
       disabled = coalesce($5, disabled), updated_at = $6 WHERE id = $7 RETURNING ${CLIENT_COLUMNS}`,
    [c.name ?? null, c.scopes ? JSON.stringify(c.scopes) : null, c.ratePerMinute !== undefined, c.ratePerMinute ?? null,
      c.disabled ?? null, now, id],
  );
  return rows[0] ? client(rows[0]) : undefined;
}

/** See `AccessStore.addApiKey`. The client's row is locked, so two processes adding keys at once still keep the limit. */
export async function addApiKey(pool: pg.Pool, input: AddApiKeyInput): Promise<AddApiKeyResult> {
  const k = input.key;
  return inTransaction(pool, async (tx): Promise<AddApiKeyResult> => {
    const locked = await tx.query('SELECT 1 FROM api_clients WHERE id = $1 FOR UPDATE', [k.clientId]);
    if (locked.rowCount !== 1) return { added: false, reason: 'no-client' };
    const { rows } = await tx.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE client_id = $1 AND revoked_at IS NULL
       AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, id`,
      [k.clientId, k.createdAt],
    );
    const active = rows.map(key);
    const excess = active.length + 1 - input.maxActive;
    if (excess > 0 && !input.rotate) return { added: false, reason: 'too-many', active };
    const revoked = excess > 0 ? active.slice(0, excess).map((old) => ({ ...old, revokedAt: k.createdAt })) : [];
    if (revoked.length > 0) await tx.query('UPDATE api_keys SET revoked_at = $1 WHERE id = ANY($2::text[])', [k.createdAt, revoked.map((r) => r.id)]);
    await tx.query(
      `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)`,
      [k.id, k.clientId, k.keyHash, k.prefix, k.createdAt, k.expiresAt],
    );
    return { added: true, revoked };
  });
}

/** See `AccessStore.listApiKeys`. */
export async function listApiKeys(db: Queryable, clientId: string): Promise<ApiKey[]> {
  const { rows } = await db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE client_id = $1 ORDER BY created_at, id`, [clientId]);
  return rows.map(key);
}

/** See `AccessStore.revokeApiKey`. */
export async function revokeApiKey(db: Queryable, clientId: string, keyId: string, now: number): Promise<ApiKey | undefined> {
  const { rows } = await db.query<KeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 AND client_id = $3 RETURNING ${KEY_COLUMNS}`,
    [now, keyId, clientId],
  );
  return rows[0] ? key(rows[0]) : undefined;
}

/** See `AccessStore.findApiKey`. */
export async function findApiKey(db: Queryable, keyHash: string): Promise<{ key: ApiKey; client: ApiClient } | undefined> {
  const { rows } = await db.query<KeyRow & { c_id: string; name: string; scopes: string[]; rate_per_minute: number | null; disabled: boolean; c_created_at: number; c_updated_at: number }>(
    `SELECT k.id, k.client_id, k.key_hash, k.prefix, k.created_at, k.expires_at, k.revoked_at, k.last_used_at,
            c.id AS c_id, c.name, c.scopes, c.rate_per_minute, c.disabled, c.created_at AS c_created_at, c.updated_at AS c_updated_at
     FROM api_keys k JOIN api_clients c ON c.id = k.client_id WHERE k.key_hash = $1`,
    [keyHash],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    key: key(r),
    client: client({ id: r.c_id, name: r.name, scopes: r.scopes, rate_per_minute: r.rate_per_minute, disabled: r.disabled, created_at: r.c_created_at, updated_at: r.c_updated_at }),
  };
}

/** See `AccessStore.touchApiKey`. */
export async function touchApiKey(db: Queryable, keyId: string, lastUsedAt: number): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = greatest(coalesce(last_used_at, 0), $1) WHERE id = $2', [lastUsedAt, keyId]);
}
