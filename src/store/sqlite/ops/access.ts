import type Database from 'better-sqlite3';
import type {
  AddApiKeyInput, AddApiKeyResult, ApiClient, ApiClientChanges, ApiKey, ConsoleSession, ConsoleUser, ConsoleUserChanges,
} from '../../access-types.js';
import { sql } from '../statements.js';

// Each function runs inside the writer thread's transaction, so a read-then-write is atomic.

interface UserRow { username: string; role: ConsoleUser['role']; password_hash: string; disabled: number; created_at: number; updated_at: number }
interface SessionRow { id_hash: string; username: string; csrf_token: string; created_at: number; expires_at: number; last_seen_at: number }
interface ClientRow { id: string; name: string; scopes: string; rate_per_minute: number | null; disabled: number; created_at: number; updated_at: number }
interface KeyRow {
  id: string; client_id: string; key_hash: string; prefix: string; created_at: number;
  expires_at: number | null; revoked_at: number | null; last_used_at: number | null;
}

const USER_COLUMNS = 'username, role, password_hash, disabled, created_at, updated_at';
const CLIENT_COLUMNS = 'id, name, scopes, rate_per_minute, disabled, created_at, updated_at';
const KEY_COLUMNS = 'id, client_id, key_hash, prefix, created_at, expires_at, revoked_at, last_used_at';

const user = (r: UserRow): ConsoleUser => ({
  username: r.username, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});
const client = (r: ClientRow): ApiClient => ({
  id: r.id, name: r.name, scopes: JSON.parse(r.scopes) as string[], ratePerMinute: r.rate_per_minute, disabled: r.disabled === 1,
  createdAt: r.created_at, updatedAt: r.updated_at,
});
const key = (r: KeyRow): ApiKey => ({
  id: r.id, clientId: r.client_id, keyHash: r.key_hash, prefix: r.prefix, createdAt: r.created_at,
  expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
});

/** See `AccessStore.createUser`. */
export function createUser(db: Database.Database, u: ConsoleUser): boolean {
  const { changes } = sql(db, `INSERT INTO console_users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`)
    .run(u.username, u.role, u.passwordHash, u.disabled ? 1 : 0, u.createdAt, u.updatedAt);
  return changes === 1;
}

/** See `AccessStore.getUser`. */
export function getUser(db: Database.Database, username: string): ConsoleUser | undefined {
  const row = sql(db, `SELECT ${USER_COLUMNS} FROM console_users WHERE username = ?`).get(username) as UserRow | undefined;
  return row ? user(row) : undefined;
}

/** See `AccessStore.listUsers`. */
export function listUsers(db: Database.Database): ConsoleUser[] {
  return (sql(db, `SELECT ${USER_COLUMNS} FROM console_users ORDER BY username`).all() as UserRow[]).map(user);
}

/** See `AccessStore.countUsers`. */
export function countUsers(db: Database.Database): number {
  return (sql(db, 'SELECT count(*) AS n FROM console_users').get() as { n: number }).n;
}

/** See `AccessStore.updateUser`. */
export function updateUser(db: Database.Database, username: string, c: ConsoleUserChanges, now: number): ConsoleUser | undefined {
  const row = sql(db, `UPDATE console_users SET role = coalesce(?, role), password_hash = coalesce(?, password_hash),
                         disabled = coalesce(?, disabled), updated_at = ? WHERE username = ? RETURNING ${USER_COLUMNS}`)
    .get(c.role ?? null, c.passwordHash ?? null, c.disabled === undefined ? null : c.disabled ? 1 : 0, now, username) as UserRow | undefined;
  return row ? user(row) : undefined;
}

/** See `AccessStore.deleteUser`. */
export function deleteUser(db: Database.Database, username: string): boolean {
  sql(db, 'DELETE FROM console_sessions WHERE username = ?').run(username);
  return sql(db, 'DELETE FROM console_users WHERE username = ?').run(username).changes === 1;
}

/** See `AccessStore.createSession`. */
export function createSession(db: Database.Database, s: ConsoleSession): void {
  sql(db, 'INSERT INTO console_sessions (id_hash, username, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(s.idHash, s.username, s.csrfToken, s.createdAt, s.expiresAt, s.lastSeenAt);
}

/** See `AccessStore.getSession`. */
export function getSession(db: Database.Database, idHash: string, now: number): { session: ConsoleSession; user: ConsoleUser } | undefined {
  const row = sql(db, `SELECT s.id_hash, s.username, s.csrf_token, s.created_at AS s_created_at, s.expires_at, s.last_seen_at,
                              u.role, u.password_hash, u.disabled, u.created_at, u.updated_at
                       FROM console_sessions s JOIN console_users u ON u.username = s.username
                       WHERE s.id_hash = ? AND s.expires_at > ?`).get(idHash, now) as
    (Omit<SessionRow, 'created_at'> & UserRow & { s_created_at: number }) | undefined;
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
export function touchSession(db: Database.Database, idHash: string, lastSeenAt: number, expiresAt: number): void {
  sql(db, 'UPDATE console_sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?').run(lastSeenAt, expiresAt, idHash);
}

/** See `AccessStore.deleteSession`. */
export function deleteSession(db: Database.Database, idHash: string): void {
  sql(db, 'DELETE FROM console_sessions WHERE id_hash = ?').run(idHash);
}

/** See `AccessStore.deleteSessionsOf`. */
export function deleteSessionsOf(db: Database.Database, username: string, exceptIdHash?: string): number {
  return sql(db, 'DELETE FROM console_sessions WHERE username = ? AND id_hash <> ?').run(username, exceptIdHash ?? '').changes;
}

/** See `AccessStore.deleteExpiredSessions`. */
export function deleteExpiredSessions(db: Database.Database, now: number): number {
  return sql(db, 'DELETE FROM console_sessions WHERE expires_at <= ?').run(now).changes;
}

/** See `AccessStore.createApiClient`. */
export function createApiClient(db: Database.Database, c: ApiClient): boolean {
  const { changes } = sql(db, `INSERT INTO api_clients (${CLIENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
    .run(c.id, c.name, JSON.stringify(c.scopes), c.ratePerMinute, c.disabled ? 1 : 0, c.createdAt, c.updatedAt);
  return changes === 1;
}

/** See `AccessStore.getApiClient`. */
export function getApiClient(db: Database.Database, id: string): ApiClient | undefined {
  const row = sql(db, `SELECT ${CLIENT_COLUMNS} FROM api_clients WHERE id = ?`).get(id) as ClientRow | undefined;
  return row ? client(row) : undefined;
}

/** See `AccessStore.listApiClients`. */
export function listApiClients(db: Database.Database): ApiClient[] {
  return (sql(db, `SELECT ${CLIENT_COLUMNS} FROM api_clients ORDER BY id`).all() as ClientRow[]).map(client);
}

/** See `AccessStore.updateApiClient`. */
export function updateApiClient(db: Database.Database, id: string, c: ApiClientChanges, now: number): ApiClient | undefined {
  const row = sql(db, `UPDATE api_clients SET name = coalesce(?, name), scopes = coalesce(?, scopes),
                         rate_per_minute = CASE WHEN ? THEN ? ELSE rate_per_minute END,
                         disabled = coalesce(?, disabled), updated_at = ? WHERE id = ? RETURNING ${CLIENT_COLUMNS}`)
    .get(c.name ?? null, c.scopes ? JSON.stringify(c.scopes) : null, c.ratePerMinute === undefined ? 0 : 1, c.ratePerMinute ?? null,
      c.disabled === undefined ? null : c.disabled ? 1 : 0, now, id) as ClientRow | undefined;
  return row ? client(row) : undefined;
}

/** See `AccessStore.addApiKey`. */
export function addApiKey(db: Database.Database, input: AddApiKeyInput): AddApiKeyResult {
  const k = input.key;
  if (!sql(db, 'SELECT 1 FROM api_clients WHERE id = ?').get(k.clientId)) return { added: false, reason: 'no-client' };
  const active = (sql(db, `SELECT ${KEY_COLUMNS} FROM api_keys WHERE client_id = ? AND revoked_at IS NULL
                           AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id`)
    .all(k.clientId, k.createdAt) as KeyRow[]).map(key);
  const excess = active.length + 1 - input.maxActive;
  if (excess > 0 && !input.rotate) return { added: false, reason: 'too-many', active };
  const revoked = excess > 0 ? active.slice(0, excess).map((old) => ({ ...old, revokedAt: k.createdAt })) : [];
  for (const old of revoked) sql(db, 'UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(k.createdAt, old.id);
  sql(db, `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`)
    .run(k.id, k.clientId, k.keyHash, k.prefix, k.createdAt, k.expiresAt);
  return { added: true, revoked };
}

/** See `AccessStore.listApiKeys`. */
export function listApiKeys(db: Database.Database, clientId: string): ApiKey[] {
  return (sql(db, `SELECT ${KEY_COLUMNS} FROM api_keys WHERE client_id = ? ORDER BY created_at, id`).all(clientId) as KeyRow[]).map(key);
}

/** See `AccessStore.revokeApiKey`. */
export function revokeApiKey(db: Database.Database, clientId: string, keyId: string, now: number): ApiKey | undefined {
  const row = sql(db, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND client_id = ? RETURNING ${KEY_COLUMNS}`)
    .get(now, keyId, clientId) as KeyRow | undefined;
  return row ? key(row) : undefined;
}

/** See `AccessStore.findApiKey`. */
export function findApiKey(db: Database.Database, keyHash: string): { key: ApiKey; client: ApiClient } | undefined {
  const k = sql(db, `SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = ?`).get(keyHash) as KeyRow | undefined;
  if (!k) return undefined;
  const c = getApiClient(db, k.client_id);
  return c ? { key: key(k), client: c } : undefined;
}

/** See `AccessStore.touchApiKey`. */
export function touchApiKey(db: Database.Database, keyId: string, lastUsedAt: number): void {
  sql(db, 'UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?').run(lastUsedAt, keyId);
}
