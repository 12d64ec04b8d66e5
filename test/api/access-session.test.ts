import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, updateUser } from '../../src/auth/users.js';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { createApiClient, issueApiKey } from '../../src/auth/api-clients.js';
import { makeAccessApp, TEST_SCRYPT, type AccessTestApp } from './access-support.js';

const PASSWORD = 'a long enough password';

describe('password hashes', () => {
  it('are scrypt with their parameters and a random salt, and verify only the right password', async () => {
    const hash = await hashPassword(PASSWORD, TEST_SCRYPT);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await hashPassword(PASSWORD, TEST_SCRYPT)).not.toBe(hash);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'scrypt$1073741824$8$1$c2FsdA==$aGFzaA==')).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain')).toBe(false);
  });

  it('default to N=2^17, r=8, p=1', async () => {
    expect(await hashPassword(PASSWORD)).toMatch(/^scrypt\$131072\$8\$1\$/);
  });
});

describe('console sessions (access required)', () => {
  let t: AccessTestApp;
  beforeAll(async () => {
    t = await makeAccessApp({ access: { mode: 'required', loginAttempts: 3, loginLockoutSeconds: 60 } });
    await createUser(t.app.store, { username: 'olga', role: 'operator', password: PASSWORD }, 'test', t.clock.now(), { scrypt: TEST_SCRYPT });
    await createUser(t.app.store, { username: 'vic', role: 'viewer', password: PASSWORD }, 'test', t.clock.now(), { scrypt: TEST_SCRYPT });
  });
  afterAll(async () => t.dispose());

  const inject = (method: string, url: string, headers: Record<string, string> = {}, body?: unknown, remoteAddress = '127.0.0.1') =>
    t.app.http.inject({
      method: method as 'GET', url, remoteAddress,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  async function signIn(username: string, password = PASSWORD, remoteAddress = '127.0.0.1') {
    const res = await inject('POST', '/v1/session', {}, { username, password }, remoteAddress);
    const setCookie = String(res.headers['set-cookie'] ?? '');
    return { res, setCookie, cookie: setCookie.split(';')[0]!, csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '' };
  }

  it('signs in with an HttpOnly, SameSite=Strict session cookie and a CSRF token; only the hash of the session id is stored', async () => {
    const { res, setCookie, cookie } = await signIn('olga');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'olga', role: 'operator', mode: 'session', scopes: expect.arrayContaining(['dead-letters:write']) });
    expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(/^crossdock_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
    // Listening on loopback: not Secure by default (no TLS there).
    expect(setCookie).not.toContain('Secure');
    const id = cookie.slice('crossdock_session='.length);
    expect(await t.app.store.getSession(id, t.clock.now())).toBeUndefined();
    const who = await inject('GET', '/v1/session', { cookie });
    expect(who.json()).toMatchObject({ username: 'olga', role: 'operator', csrfToken: res.json().csrfToken });
  });

  it('needs the CSRF token on unsafe requests in a session, and lets them through with it', async () => {
    const { cookie, csrf } = await signIn('olga');
    const without = await inject('POST', '/v1/dead-letters/job-x/replay', { cookie });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('auth.csrf');
    const wrong = await inject('POST', '/v1/dead-letters/job-x/replay', { cookie, 'x-csrf-token': 'nope' });
    expect(wrong.statusCode).toBe(403);
    const withToken = await inject('POST', '/v1/dead-letters/job-x/replay', { cookie, 'x-csrf-token': csrf });
    expect(withToken.statusCode).toBe(404);
    // Reads need no token.
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(200);
  });

  it('gives a viewer read access and 403 on changes', async () => {
    const { cookie, csrf } = await signIn('vic');
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(200);
    const replay = await inject('POST', '/v1/dead-letters/job-x/replay', { cookie, 'x-csrf-token': csrf });
    expect(replay.statusCode).toBe(403);
    expect(replay.json().code).toBe('auth.forbidden');
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const unknown = await signIn('nobody', PASSWORD, '10.0.0.9');
    const wrong = await signIn('vic', 'not the password at all', '10.0.0.9');
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.json().detail).toBe(wrong.res.json().detail);
    expect(unknown.res.json().code).toBe('auth.login-failed');
  });

  it('throttles sign-in after repeated failures, even with the right password, until the lockout passes', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('olga', 'wrong password here', '10.0.0.7')).res.statusCode).toBe(401);
    const locked = await signIn('olga', PASSWORD, '10.0.0.7');
    expect(locked.res.statusCode).toBe(429);
    expect(locked.res.json().code).toBe('auth.login-throttled');
    expect(Number(locked.res.headers['retry-after'])).toBe(60);
    // Another address is not locked out by this one's failures.
    expect((await signIn('olga', PASSWORD, '10.0.0.8')).res.statusCode).toBe(200);
    t.clock.advance(60_001);
    expect((await signIn('olga', PASSWORD, '10.0.0.7')).res.statusCode).toBe(200);
  });

  it('throttles a user name guessed from many addresses', async () => {
    for (let i = 0; i < 12; i++) await signIn('vic', 'wrong password here', `10.1.0.${i}`);
    expect((await signIn('vic', PASSWORD, '10.2.0.1')).res.statusCode).toBe(429);
    t.clock.advance(60_001);
  });

  it('signs out: 204, cookie cleared, the session no longer works, and it is audited', async () => {
    const { cookie } = await signIn('olga');
    const out = await inject('DELETE', '/v1/session', { cookie });
    expect(out.statusCode).toBe(403);
    const { csrf } = { csrf: (await inject('GET', '/v1/session', { cookie })).json().csrfToken as string };
    const done = await inject('DELETE', '/v1/session', { cookie, 'x-csrf-token': csrf });
    expect(done.statusCode).toBe(204);
    expect(String(done.headers['set-cookie'])).toContain('crossdock_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(401);
    expect((await inject('GET', '/v1/session', { cookie })).statusCode).toBe(401);
    const actions = (await t.app.store.listAudit({ limit: 50, actor: 'user:olga' })).map((e) => e.action);
    expect(actions).toContain('session.login');
    expect(actions).toContain('session.logout');
  });

  it('slides the session expiry with use and ends it after sessionHours idle', async () => {
    const { cookie } = await signIn('vic');
    t.clock.advance(7 * 3_600_000);
    const used = await inject('GET', '/v1/dead-letters', { cookie });
    expect(used.statusCode).toBe(200);
    expect(String(used.headers['set-cookie'])).toContain('Max-Age=28800');
    t.clock.advance(7 * 3_600_000);
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(200);
    t.clock.advance(8 * 3_600_000 + 1);
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(401);
  });

  it('ends the sessions of a user who is disabled', async () => {
    const { cookie } = await signIn('vic');
    await updateUser(t.app.store, 'vic', { disabled: true }, 'test', t.clock.now());
    expect((await inject('GET', '/v1/dead-letters', { cookie })).statusCode).toBe(401);
    expect((await signIn('vic')).res.statusCode).toBe(401);
    await updateUser(t.app.store, 'vic', { disabled: false }, 'test', t.clock.now());
  });

  it('refuses to remove the last administrator', async () => {
    await createUser(t.app.store, { username: 'root', role: 'admin', password: PASSWORD }, 'test', t.clock.now(), { scrypt: TEST_SCRYPT });
    const { cookie, csrf } = await signIn('root');
    const res = await inject('DELETE', '/v1/users/root', { cookie, 'x-csrf-token': csrf });
    expect(res.statusCode).toBe(409);
    expect((await inject('DELETE', '/v1/users/vic', { cookie, 'x-csrf-token': csrf })).statusCode).toBe(204);
  });
});

describe('secure cookies', () => {
  it('marks the session cookie Secure when access.secureCookies is on', async () => {
    const t = await makeAccessApp({ access: { mode: 'required', secureCookies: true } });
    try {
      await createUser(t.app.store, { username: 'sam', role: 'viewer', password: PASSWORD }, 'test', t.clock.now(), { scrypt: TEST_SCRYPT });
      const res = await t.app.http.inject({ method: 'POST', url: '/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'sam', password: PASSWORD }) });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await t.dispose();
    }
  });
});

describe('local mode (auto, listening on loopback)', () => {
  let t: AccessTestApp;
  beforeAll(async () => {
    t = await makeAccessApp({ server: { host: '127.0.0.1' } });
  });
  afterAll(async () => t.dispose());

  const get = (url: string, headers: Record<string, string>) => t.app.http.inject({ method: 'GET', url, headers });

  it('lets a caller without credentials act as the local administrator', async () => {
    expect((await get('/v1/dead-letters', { host: '127.0.0.1:8080' })).statusCode).toBe(200);
    expect((await get('/v1/dead-letters', { host: 'localhost:8080', origin: 'http://localhost:8080' })).statusCode).toBe(200);
    const who = await get('/v1/session', { host: '127.0.0.1:8080' });
    expect(who.json()).toEqual({ username: 'local', role: 'admin', scopes: ['admin'], csrfToken: null, mode: 'local' });
    await t.app.http.inject({ method: 'POST', url: '/v1/api-clients', headers: { host: '127.0.0.1:8080', 'content-type': 'application/json' }, payload: JSON.stringify({ id: 'local-made', scopes: ['orders:read'] }) });
    expect((await t.app.store.listAudit({ limit: 5, action: 'api-client.create' }))[0]?.actor).toBe('local');
  });

  it('refuses another origin and a host name that is not loopback (DNS rebinding)', async () => {
    const foreign = await get('/v1/dead-letters', { host: '127.0.0.1:8080', origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('auth.origin-refused');
    expect((await get('/v1/dead-letters', { host: 'rebind.evil.example:8080' })).statusCode).toBe(403);
    expect((await get('/v1/session', { host: 'rebind.evil.example:8080' })).statusCode).toBe(401);
  });

  it('refuses a request a proxy on this machine forwarded, and keeps the sandbox ERP to callers on this machine', async () => {
    // A reverse proxy beside crossdock connects from 127.0.0.1 and often keeps Host as 127.0.0.1:8080.
    const proxied: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { via: '1.1 proxy' }, { 'x-real-ip': '203.0.113.9' }];
    for (const forwarded of proxied) {
      const res = await get('/v1/dead-letters', { host: '127.0.0.1:8080', ...forwarded });
      expect(res.statusCode, JSON.stringify(forwarded)).toBe(403);
      expect(res.json().code).toBe('auth.origin-refused');
    }
    expect((await get('/sandbox/erp/orders', { host: '127.0.0.1:8080' })).statusCode).toBe(200);
    expect((await get('/sandbox/erp/orders', { host: '127.0.0.1:8080', 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(403);
  });

  it('still checks credentials that are given: a bad key is 401 on loopback too', async () => {
    expect((await get('/v1/dead-letters', { host: '127.0.0.1:8080', authorization: 'Bearer cdk_wrong' })).statusCode).toBe(401);
    await createApiClient(t.app.store, { id: 'reader', scopes: ['orders:read'] }, 'test', t.clock.now());
    const key = (await issueApiKey(t.app.store, 'reader', {}, 'test', t.clock.now())).key;
    expect((await get('/v1/dead-letters', { host: '127.0.0.1:8080', authorization: `Bearer ${key}` })).statusCode).toBe(403);
  });
});

describe('behind a reverse proxy (server.trustProxy)', () => {
  it('has no local mode, marks the cookie Secure, and throttles and audits the address the proxy names', async () => {
    const t = await makeAccessApp({ server: { host: '127.0.0.1', trustProxy: '127.0.0.1' } });
    try {
      expect((await t.app.http.inject({ method: 'GET', url: '/v1/dead-letters', headers: { host: '127.0.0.1:8080' } })).statusCode).toBe(401);
      await createUser(t.app.store, { username: 'pat', role: 'operator', password: PASSWORD }, 'test', t.clock.now(), { scrypt: TEST_SCRYPT });
      const signIn = (password: string, client: string) => t.app.http.inject({
        method: 'POST', url: '/v1/session', headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        payload: JSON.stringify({ username: 'pat', password }),
      });
      const ok = await signIn(PASSWORD, '198.51.100.7');
      expect(ok.statusCode).toBe(200);
      expect(String(ok.headers['set-cookie'])).toMatch(/; Secure$/);
      const login = (await t.app.store.listAudit({ limit: 5, action: 'session.login' }))[0];
      expect(login?.detail).toMatchObject({ address: '198.51.100.7' });
      // Failures from one client lock that client out, not every caller behind the proxy.
      let last = 0;
      for (let i = 0; i < 12 && last !== 429; i++) last = (await signIn('wrong password!!', '198.51.100.66')).statusCode;
      expect(last).toBe(429);
      expect((await signIn(PASSWORD, '198.51.100.66')).statusCode).toBe(429);
      expect((await signIn(PASSWORD, '198.51.100.7')).statusCode).toBe(200);
    } finally {
      await t.dispose();
    }
  });
});

describe('auto mode on a public address', () => {
  it('requires credentials like required mode', async () => {
    const t = await makeAccessApp({ server: { host: '0.0.0.0' } });
    try {
      const res = await t.app.http.inject({ method: 'GET', url: '/v1/dead-letters', headers: { host: '127.0.0.1:8080' } });
      expect(res.statusCode).toBe(401);
    } finally {
      await t.dispose();
    }
  });
});
