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

/** A console user as stored. `passwordHash` never leaves crossdock (src/auth/passwords.ts). */
export interface ConsoleUser {
  username: string;
  role: 'viewer' | 'operator' | 'admin';
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What may change on a user; absent fields stay as they are. */
export interface ConsoleUserChanges {
  role?: ConsoleUser['role'];
  passwordHash?: string;
  disabled?: boolean;
}

/** A console session, kept by the SHA-256 of its cookie value: a stolen database holds no usable session. */
export interface ConsoleSession {
  idHash: string;
  username: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

/** A program that calls the API with keys of its own. */
export interface ApiClient {
  id: string;
  name: string;
  /** Scope names (src/auth/scopes.ts), validated by the caller. */
  scopes: string[];
  /** Requests per minute; `null` takes `access.defaultRatePerMinute`. */
  ratePerMinute: number | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ApiClientChanges {
  name?: string;
  scopes?: string[];
  ratePerMinute?: number | null;
  disabled?: boolean;
}

/** One key of an API client, kept by the SHA-256 of the key; `prefix` identifies it to people. */
export interface ApiKey {
  id: string;
  clientId: string;
  keyHash: string;
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface AddApiKeyInput {
  key: ApiKey;
  /** At most this many keys active (unrevoked, unexpired at `key.createdAt`) once the key is added. */
  maxActive: number;
  /** When the limit would be passed, revoke the oldest active keys instead of refusing. */
  rotate: boolean;
}

export type AddApiKeyResult =
  | { added: true; revoked: ApiKey[] }
  | { added: false; reason: 'no-client' }
  | { added: false; reason: 'too-many'; active: ApiKey[] };

/** Users, sessions, API clients and keys. Every method is one transaction. */
export interface AccessStore {
  /** `false` when the user name is taken. */
  createUser(user: ConsoleUser): Promise<boolean>;
  getUser(username: string): Promise<ConsoleUser | undefined>;
  /** By user name. */
  listUsers(): Promise<ConsoleUser[]>;
  countUsers(): Promise<number>;
  /** The user after the change, or `undefined` when there is none. */
  updateUser(username: string, changes: ConsoleUserChanges, now: number): Promise<ConsoleUser | undefined>;
  /** Removes the user and ends their sessions; `false` when there was none. */
  deleteUser(username: string): Promise<boolean>;

  createSession(session: ConsoleSession): Promise<void>;
  /** The session and its user, when both exist and the session has not expired at `now`. */
  getSession(idHash: string, now: number): Promise<{ session: ConsoleSession; user: ConsoleUser } | undefined>;
  /** Slides a session's expiry. */
  touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user, but `exceptIdHash`; returns how many ended. */
  deleteSessionsOf(username: string, exceptIdHash?: string): Promise<number>;
  /** Removes sessions expired before `now`; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;

  /** `false` when the id is taken. */
  createApiClient(client: ApiClient): Promise<boolean>;
  getApiClient(id: string): Promise<ApiClient | undefined>;
  /** By id. */
  listApiClients(): Promise<ApiClient[]>;
  updateApiClient(id: string, changes: ApiClientChanges, now: number): Promise<ApiClient | undefined>;
  /** Adds a key, keeping at most `maxActive` active per client (atomically, across processes). */
  addApiKey(input: AddApiKeyInput): Promise<AddApiKeyResult>;
  /** A client's keys, oldest first, revoked ones included. */
  listApiKeys(clientId: string): Promise<ApiKey[]>;
  /** Revokes a key of the client (a key already revoked keeps its first revocation time); `undefined` when there is none. */
  revokeApiKey(clientId: string, keyId: string, now: number): Promise<ApiKey | undefined>;
  /** The key with this hash and its client, revoked or not (the caller decides). */
  findApiKey(keyHash: string): Promise<{ key: ApiKey; client: ApiClient } | undefined>;
  touchApiKey(keyId: string, lastUsedAt: number): Promise<void>;
}
