import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { sha256 } from '../../src/auth/tokens.js';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';

/** `crossdock users …` and `crossdock api-clients …` on a data directory, as an operator runs them. */
const dir = mkdtempSync(join(tmpdir(), 'crossdock-access-cli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = 0;
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  process.exitCode = 0;
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'crossdock', ...args, '--data-dir', dir]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(''), err: err.join(''), code };
}

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore({ file: join(dir, 'crossdock.db') });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('crossdock users', () => {
  it('adds a user with a password from the environment, lists, sets a password and removes, each audited as cli:<user>', async () => {
    process.env.CROSSDOCK_TEST_PW = 'first password, long';
    expect((await run('users', 'add', 'ann', '--role', 'operator', '--password-env', 'CROSSDOCK_TEST_PW')).code).toBe(0);
    process.env.CROSSDOCK_TEST_PW = 'short';
    const short = await run('users', 'add', 'bob', '--role', 'viewer', '--password-env', 'CROSSDOCK_TEST_PW');
    expect(short.code).toBe(1);
    expect(short.err).toContain('at least 12');
    expect((await run('users', 'list')).out).toBe('ann\toperator\n');
    process.env.CROSSDOCK_TEST_PW = 'second password, long';
    expect((await run('users', 'set-password', 'ann', '--password-env', 'CROSSDOCK_TEST_PW')).code).toBe(0);
    await withStore(async (store) => {
      expect(await verifyPassword('second password, long', (await store.getUser('ann'))!.passwordHash)).toBe(true);
      const actions = (await store.listAudit({ limit: 10 })).map((e) => [e.actor.startsWith('cli:'), e.action]);
      expect(actions).toEqual([[true, 'user.update'], [true, 'user.create']]);
    });
    expect((await run('users', 'remove', 'ann')).code).toBe(0);
    expect(await withStore((store) => store.getUser('ann'))).toBeUndefined();
    delete process.env.CROSSDOCK_TEST_PW;
  });
});

describe('crossdock api-clients', () => {
  it('adds a client, prints a key once, refuses a third key unless rotating, and revokes', async () => {
    expect((await run('api-clients', 'add', 'erp-bridge', '--scopes', 'orders:write,prices:read', '--rate', '600')).code).toBe(0);
    const first = await run('api-clients', 'key', 'erp-bridge');
    const key = first.out.trim();
    expect(key).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    await run('api-clients', 'key', 'erp-bridge');
    const third = await run('api-clients', 'key', 'erp-bridge');
    expect(third.code).toBe(1);
    expect(third.err).toContain('2 active keys');
    expect((await run('api-clients', 'key', 'erp-bridge', '--rotate')).code).toBe(0);
    const found = await withStore((store) => store.findApiKey(sha256(key)));
    expect(found?.key.revokedAt).not.toBeNull();
    const list = await run('api-clients', 'list');
    expect(list.out).toContain('erp-bridge\torders:write,prices:read\t600/min');
    expect(list.out).not.toContain(key);
    const active = (await withStore((store) => store.listApiKeys('erp-bridge'))).filter((k) => k.revokedAt === null);
    expect((await run('api-clients', 'revoke', 'erp-bridge', active[0]!.id)).code).toBe(0);
    expect((await withStore((store) => store.listApiKeys('erp-bridge'))).filter((k) => k.revokedAt === null)).toHaveLength(1);
  });
});

describe('bootstrapping the first administrator', () => {
  it('creates admin from the password only while there is no console user', async () => {
    await withStore(async (store) => {
      expect(await bootstrapAdmin(store, undefined, Date.now())).toBe(false);
      await expect(bootstrapAdmin(store, 'short', Date.now())).rejects.toThrow(/at least 12/);
      expect(await bootstrapAdmin(store, 'bootstrap password', Date.now())).toBe(true);
      expect((await store.getUser('admin'))?.role).toBe('admin');
      expect(await bootstrapAdmin(store, 'another password!', Date.now())).toBe(false);
      expect(await verifyPassword('bootstrap password', (await store.getUser('admin'))!.passwordHash)).toBe(true);
    });
  });
});
