import { describe, expect, it } from 'vitest';
import type { ApiKey, ConsoleUser } from '../../src/store/access-types.js';
import type { Store } from '../../src/store/types.js';
import { eachTestStore, type OpenStore } from './each-test-store.js';

const T0 = 1_714_557_600_000;

const user = (username: string, role: ConsoleUser['role'] = 'viewer'): ConsoleUser => ({
  username, role, passwordHash: `scrypt$1024$8$1$c2FsdA==$${username}`, disabled: false, createdAt: T0, updatedAt: T0,
});
const key = (id: string, clientId: string, createdAt: number, expiresAt: number | null = null): ApiKey => ({
  id, clientId, keyHash: `hash-${id}`, prefix: `cdk_${id}`, createdAt, expiresAt, revokedAt: null, lastUsedAt: null,
});

/** Console users, sessions, API clients and keys: the same in every Store. */
export function storeAccessSuite(name: string, open: OpenStore): void {
  describe(`${name} store: access`, () => {
    let store!: Store;
    eachTestStore(open, (s) => (store = s));

    it('creates a user once, reads, lists, counts, updates and deletes it with its sessions', async () => {
      expect(await store.createUser(user('ann', 'admin'))).toBe(true);
      expect(await store.createUser({ ...user('ann'), role: 'viewer' })).toBe(false);
      await store.createUser(user('bob'));
      expect(await store.getUser('ann')).toEqual(user('ann', 'admin'));
      expect(await store.getUser('nobody')).toBeUndefined();
      expect((await store.listUsers()).map((u) => u.username)).toEqual(['ann', 'bob']);
      expect(await store.countUsers()).toBe(2);

      const updated = await store.updateUser('bob', { role: 'operator', disabled: true }, T0 + 5);
      expect(updated).toEqual({ ...user('bob'), role: 'operator', disabled: true, updatedAt: T0 + 5 });
      expect((await store.updateUser('bob', { passwordHash: 'scrypt$new' }, T0 + 6))?.passwordHash).toBe('scrypt$new');
      expect((await store.getUser('bob'))?.role).toBe('operator');
      expect(await store.updateUser('nobody', { role: 'admin' }, T0)).toBeUndefined();

      await store.createSession({ idHash: 'h-bob', username: 'bob', csrfToken: 'c', createdAt: T0, expiresAt: T0 + 1000, lastSeenAt: T0 });
      expect(await store.deleteUser('bob')).toBe(true);
      expect(await store.deleteUser('bob')).toBe(false);
      expect(await store.getSession('h-bob', T0)).toBeUndefined();
    });

    it('finds a session with its user until it expires, slides it, and ends sessions one by one, by user or by age', async () => {
      await store.createUser(user('ann', 'operator'));
      const session = { idHash: 'h1', username: 'ann', csrfToken: 'csrf-1', createdAt: T0, expiresAt: T0 + 1000, lastSeenAt: T0 };
      await store.createSession(session);
      await store.createSession({ ...session, idHash: 'h2', csrfToken: 'csrf-2' });
      await store.createSession({ ...session, idHash: 'h3', csrfToken: 'csrf-3' });
      expect(await store.getSession('h1', T0 + 999)).toEqual({ session, user: user('ann', 'operator') });
      expect(await store.getSession('h1', T0 + 1000)).toBeUndefined();
      await store.touchSession('h1', T0 + 900, T0 + 5000);
      expect((await store.getSession('h1', T0 + 4000))?.session).toMatchObject({ lastSeenAt: T0 + 900, expiresAt: T0 + 5000 });
      expect(await store.deleteExpiredSessions(T0 + 2000)).toBe(2);
      await store.createSession({ ...session, idHash: 'h4', expiresAt: T0 + 9000 });
      await store.createSession({ ...session, idHash: 'h5', expiresAt: T0 + 9000 });
      expect(await store.deleteSessionsOf('ann', 'h4')).toBe(2);
      expect(await store.getSession('h4', T0)).toBeDefined();
      await store.deleteSession('h4');
      expect(await store.getSession('h4', T0)).toBeUndefined();
    });

    it('keeps API clients with their scopes and rate, and changes them field by field', async () => {
      const client = { id: 'erp-bridge', name: 'ERP bridge', scopes: ['orders:write', 'prices:read'], ratePerMinute: null, disabled: false, createdAt: T0, updatedAt: T0 };
      expect(await store.createApiClient(client)).toBe(true);
      expect(await store.createApiClient(client)).toBe(false);
      expect(await store.getApiClient('erp-bridge')).toEqual(client);
      expect(await store.updateApiClient('erp-bridge', { ratePerMinute: 60 }, T0 + 1)).toEqual({ ...client, ratePerMinute: 60, updatedAt: T0 + 1 });
      expect(await store.updateApiClient('erp-bridge', { scopes: ['admin'], name: 'Bridge' }, T0 + 2)).toMatchObject({ scopes: ['admin'], name: 'Bridge', ratePerMinute: 60 });
      expect(await store.updateApiClient('erp-bridge', { ratePerMinute: null, disabled: true }, T0 + 3)).toMatchObject({ ratePerMinute: null, disabled: true, scopes: ['admin'] });
      expect(await store.updateApiClient('nobody', { disabled: true }, T0)).toBeUndefined();
      expect((await store.listApiClients()).map((c) => c.id)).toEqual(['erp-bridge']);
    });

    it('keeps at most two active keys: a third is refused, or revokes the oldest when rotating; expired keys do not count', async () => {
      await store.createApiClient({ id: 'c', name: 'c', scopes: [], ratePerMinute: null, disabled: false, createdAt: T0, updatedAt: T0 });
      expect(await store.addApiKey({ key: key('k0', 'nobody', T0), maxActive: 2, rotate: false })).toEqual({ added: false, reason: 'no-client' });
      expect(await store.addApiKey({ key: key('k1', 'c', T0, T0 + 10), maxActive: 2, rotate: false })).toEqual({ added: true, revoked: [] });
      expect(await store.addApiKey({ key: key('k2', 'c', T0 + 20), maxActive: 2, rotate: false })).toEqual({ added: true, revoked: [] });
      expect(await store.addApiKey({ key: key('k3', 'c', T0 + 30), maxActive: 2, rotate: false })).toEqual({ added: true, revoked: [] });
      const refused = await store.addApiKey({ key: key('k4', 'c', T0 + 40), maxActive: 2, rotate: false });
      expect(refused).toEqual({ added: false, reason: 'too-many', active: [key('k2', 'c', T0 + 20), key('k3', 'c', T0 + 30)] });
      const rotated = await store.addApiKey({ key: key('k4', 'c', T0 + 40), maxActive: 2, rotate: true });
      expect(rotated).toEqual({ added: true, revoked: [{ ...key('k2', 'c', T0 + 20), revokedAt: T0 + 40 }] });
      expect((await store.listApiKeys('c')).map((k) => [k.id, k.revokedAt])).toEqual([['k1', null], ['k2', T0 + 40], ['k3', null], ['k4', null]]);
    });

    it('adds keys concurrently without passing the limit', async () => {
      await store.createApiClient({ id: 'c', name: 'c', scopes: [], ratePerMinute: null, disabled: false, createdAt: T0, updatedAt: T0 });
      const results = await Promise.all([1, 2, 3, 4, 5].map((i) => store.addApiKey({ key: key(`p${i}`, 'c', T0 + i), maxActive: 2, rotate: false })));
      expect(results.filter((r) => r.added)).toHaveLength(2);
      expect((await store.listApiKeys('c')).filter((k) => k.revokedAt === null)).toHaveLength(2);
    });

    it('finds a key by its hash with its client, revokes it once, and records its last use', async () => {
      const client = { id: 'c', name: 'c', scopes: ['orders:read'], ratePerMinute: 5, disabled: false, createdAt: T0, updatedAt: T0 };
      await store.createApiClient(client);
      await store.addApiKey({ key: key('k1', 'c', T0), maxActive: 2, rotate: false });
      expect(await store.findApiKey('hash-k1')).toEqual({ key: key('k1', 'c', T0), client });
      expect(await store.findApiKey('hash-none')).toBeUndefined();
      await store.touchApiKey('k1', T0 + 60_000);
      await store.touchApiKey('k1', T0 + 30_000);
      expect((await store.findApiKey('hash-k1'))?.key.lastUsedAt).toBe(T0 + 60_000);
      expect(await store.revokeApiKey('c', 'k1', T0 + 5)).toMatchObject({ id: 'k1', revokedAt: T0 + 5 });
      expect(await store.revokeApiKey('c', 'k1', T0 + 9)).toMatchObject({ revokedAt: T0 + 5 });
      expect(await store.revokeApiKey('other', 'k1', T0 + 9)).toBeUndefined();
      expect((await store.findApiKey('hash-k1'))?.key.revokedAt).toBe(T0 + 5);
    });
  });
}
