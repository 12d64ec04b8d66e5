import { CrossdockError } from '../errors/crossdock-error.js';
import { newId } from '../lib/ids.js';
import type { ApiClient, ApiKey } from '../store/access-types.js';
import type { Store } from '../store/types.js';
import { auditAs, type ActedBy } from './audit.js';
import { SCOPES, type Scope } from './scopes.js';
import { randomToken, sha256 } from './tokens.js';

/** Two keys at once: the one in use and its successor, so a key is rotated without downtime. */
export const MAX_ACTIVE_KEYS = 2;
export const API_KEY_PREFIX = 'cdk_';
/** Client ids: as user names. */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$';
const CLIENT_ID = new RegExp(CLIENT_ID_PATTERN);

export interface ApiKeyView {
  id: string;
  /** The key's first characters, to tell keys apart; not enough to use. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  active: boolean;
}

export interface ApiClientView {
  id: string;
  name: string;
  scopes: Scope[];
  ratePerMinute: number | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function isKeyActive(key: ApiKey, now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
}

export function apiKeyView(key: ApiKey, now: number): ApiKeyView {
  return {
    id: key.id, prefix: key.prefix, createdAt: new Date(key.createdAt).toISOString(), expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt), lastUsedAt: iso(key.lastUsedAt), active: isKeyActive(key, now),
  };
}

export function apiClientView(client: ApiClient): ApiClientView {
  return {
    id: client.id, name: client.name, scopes: validScopes(client.scopes), ratePerMinute: client.ratePerMinute,
    disabled: client.disabled, createdAt: new Date(client.createdAt).toISOString(), updatedAt: new Date(client.updatedAt).toISOString(),
  };
}

/** Scopes read back from the store: unknown names (from a newer version, or typed by hand) grant nothing. */
export function validScopes(names: readonly string[]): Scope[] {
  return names.filter((n): n is Scope => (SCOPES as readonly string[]).includes(n));
}

const auditedClient = (c: ApiClient) => ({ id: c.id, name: c.name, scopes: c.scopes, ratePerMinute: c.ratePerMinute, disabled: c.disabled });
const auditedKey = (k: ApiKey) => ({ id: k.id, clientId: k.clientId, prefix: k.prefix, expiresAt: k.expiresAt, revokedAt: k.revokedAt });

function checkScopes(scopes: readonly string[]): Scope[] {
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new CrossdockError('request.invalid', `/scopes: unknown scope ${unknown.join(', ')}`, {
      errors: [{ pointer: '/scopes', detail: `unknown scope ${unknown.join(', ')}; known: ${SCOPES.join(', ')}` }],
    });
  }
  return [...new Set(scopes)] as Scope[];
}

export interface NewApiClient {
  id: string;
  name?: string;
  scopes: readonly string[];
  ratePerMinute?: number | null;
}

/** Creates an API client without keys (audited as `api-client.create`). */
export async function createApiClient(store: Store, input: NewApiClient, by: ActedBy | string, now: number): Promise<ApiClientView> {
  if (!CLIENT_ID.test(input.id)) {
    throw new CrossdockError('request.invalid', '/id must be letters, digits and ._@- (up to 64)', { errors: [{ pointer: '/id', detail: 'must be letters, digits and ._@- (up to 64)' }] });
  }
  const client: ApiClient = {
    id: input.id, name: input.name ?? input.id, scopes: checkScopes(input.scopes), ratePerMinute: input.ratePerMinute ?? null,
    disabled: false, createdAt: now, updatedAt: now,
  };
  if (!(await store.createApiClient(client))) throw new CrossdockError('request.conflict', `API client ${input.id} already exists`);
  await auditAs(store, by, { action: 'api-client.create', target: client.id, before: null, after: auditedClient(client) }, now);
  return apiClientView(client);
}

export interface ApiClientUpdate {
  name?: string;
  scopes?: readonly string[];
  ratePerMinute?: number | null;
  disabled?: boolean;
}

/** Changes a client's name, scopes, rate or disabled flag (audited as `api-client.update`). */
export async function updateApiClient(store: Store, id: string, update: ApiClientUpdate, by: ActedBy | string, now: number): Promise<ApiClientView> {
  const before = await store.getApiClient(id);
  if (!before) throw new CrossdockError('request.not-found', `no API client ${id}`);
  const after = await store.updateApiClient(id, {
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(update.scopes !== undefined ? { scopes: checkScopes(update.scopes) } : {}),
    ...(update.ratePerMinute !== undefined ? { ratePerMinute: update.ratePerMinute } : {}),
    ...(update.disabled !== undefined ? { disabled: update.disabled } : {}),
  }, now);
  if (!after) throw new CrossdockError('request.not-found', `no API client ${id}`);
  await auditAs(store, by, { action: 'api-client.update', target: id, before: auditedClient(before), after: auditedClient(after) }, now);
  return apiClientView(after);
}

export interface IssuedKey {
  /** The key itself: shown once, never stored. */
  key: string;
  apiKey: ApiKeyView;
  /** Keys revoked to make room (`rotate`). */
  revoked: ApiKeyView[];
}

/**
 * Issues a key `cdk_<32 random bytes, base64url>` for a client (audited as `api-key.create`).
 * With two keys already active it is refused (`auth.too-many-keys`) unless `rotate`, which
 * revokes the oldest in the same transaction.
 */
export async function issueApiKey(
  store: Store, clientId: string, options: { rotate?: boolean; expiresInDays?: number }, by: ActedBy | string, now: number,
): Promise<IssuedKey> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const stored: ApiKey = {
    id: newId('key', now), clientId, keyHash: sha256(key), prefix: key.slice(0, 12), createdAt: now,
    expiresAt: options.expiresInDays !== undefined ? now + options.expiresInDays * 86_400_000 : null, revokedAt: null, lastUsedAt: null,
  };
  const result = await store.addApiKey({ key: stored, maxActive: MAX_ACTIVE_KEYS, rotate: options.rotate === true });
  if (!result.added) {
    if (result.reason === 'no-client') throw new CrossdockError('request.not-found', `no API client ${clientId}`);
    throw new CrossdockError('auth.too-many-keys',
      `API client ${clientId} already has ${result.active.length} active keys (${result.active.map((k) => k.prefix).join(', ')}); revoke one, or ask to rotate`);
  }
  for (const old of result.revoked) {
    await auditAs(store, by, { action: 'api-key.revoke', target: `${clientId}/${old.id}`, before: auditedKey({ ...old, revokedAt: null }), after: auditedKey(old), detail: { rotatedTo: stored.id } }, now);
  }
  await auditAs(store, by, { action: 'api-key.create', target: `${clientId}/${stored.id}`, before: null, after: auditedKey(stored) }, now);
  return { key, apiKey: apiKeyView(stored, now), revoked: result.revoked.map((k) => apiKeyView(k, now)) };
}

/** Revokes a key at once in the store (audited as `api-key.revoke`); running processes forget it within their cache time. */
export async function revokeApiKey(store: Store, clientId: string, keyId: string, by: ActedBy | string, now: number): Promise<ApiKeyView> {
  const keys = await store.listApiKeys(clientId);
  const before = keys.find((k) => k.id === keyId);
  if (!before) throw new CrossdockError('request.not-found', `API client ${clientId} has no key ${keyId}`);
  const after = await store.revokeApiKey(clientId, keyId, now);
  if (!after) throw new CrossdockError('request.not-found', `API client ${clientId} has no key ${keyId}`);
  if (before.revokedAt === null) {
    await auditAs(store, by, { action: 'api-key.revoke', target: `${clientId}/${keyId}`, before: auditedKey(before), after: auditedKey(after) }, now);
  }
  return apiKeyView(after, now);
}

/** Clients by id, each with its keys. */
export async function listApiClients(store: Store, now: number): Promise<(ApiClientView & { keys: ApiKeyView[] })[]> {
  const clients = await store.listApiClients();
  return Promise.all(clients.map(async (c) => ({ ...apiClientView(c), keys: (await store.listApiKeys(c.id)).map((k) => apiKeyView(k, now)) })));
}
