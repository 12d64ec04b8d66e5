import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/api/server.js';
import { AccessControl } from '../../src/auth/access-control.js';
import { createApiClient, issueApiKey, updateApiClient } from '../../src/auth/api-clients.js';
import { createLogger } from '../../src/observability/logger.js';
import { makeAccessApp, type AccessTestApp } from './access-support.js';

const TOKEN = 'feed-token-0123456789abcdef';

/** Routes anyone may call: the API docs, schemas, health, the console's files, signing in and asking who is signed in. */
const PUBLIC = [/^\/health$/, /^\/docs(\/|$)/, /^\/v1\/schemas/, /^\/console(\/|$)/];
const PUBLIC_EXACT = new Set(['POST /v1/session', 'GET /v1/session', 'HEAD /v1/session']);

let t: AccessTestApp;
beforeAll(async () => {
  t = await makeAccessApp({
    access: { mode: 'required' },
    channels: [{
      id: 'shop', type: 'shopify', pollIntervalSeconds: 3600,
      settings: { shopDomain: 'walk.myshopify.com', apiBaseUrl: 'http://127.0.0.1:9', accessToken: 'shpat_test', webhookSecret: 'secret', defaultLocation: 'gid://shopify/Location/1' },
    }],
    edi: { identity: { isaQualifier: 'ZZ', isaId: 'CROSSDOCK' }, partners: [{ id: 'buyerco', isaQualifier: 'ZZ', isaId: 'BUYERCO', httpToken: TOKEN }] },
    inventory: { feeds: [{ id: 'fc', location: 'FC-1', httpToken: TOKEN, columns: { sku: 'Item', onHand: 'On Hand' } }] },
  });
});
afterAll(async () => t.dispose());

const fill = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');

function inject(method: string, url: string, headers: Record<string, string> = {}, body?: unknown) {
  return t.app.http.inject({
    method: method as 'GET', url, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

describe('the route table', () => {
  it('declares a scope on every route', () => {
    const routes = t.app.routes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => r.scope === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('answers 401 to a request without credentials on every route but the public, signed and sandbox ones', async () => {
    const reachable: string[] = [];
    const signed: string[] = [];
    for (const route of t.app.routes()) {
      const name = `${route.method} ${route.url}`;
      if (route.scope === 'public') {
        expect(PUBLIC.some((p) => p.test(route.url)) || PUBLIC_EXACT.has(name), `${name} is public but not on the allow-list`).toBe(true);
        continue;
      }
      if (route.scope === 'sandbox') {
        // The in-process sandbox ERP: open from this machine, admin from anywhere else.
        const remote = await t.app.http.inject({ method: route.method as 'GET', url: fill(route.url), remoteAddress: '10.1.2.3' });
        expect(remote.statusCode, `${name} from another machine`).toBe(401);
        const local = await t.app.http.inject({ method: route.method as 'GET', url: fill(route.url) });
        expect([401, 403], `${name} from this machine`).not.toContain(local.statusCode);
        continue;
      }
      const res = await inject(route.method, fill(route.url).replace('/channels/x/', '/channels/shop/').replace('/edi/x', '/edi/buyerco').replace('/feeds/x', '/feeds/fc'));
      if (route.scope === 'signed') {
        signed.push(name);
        expect([401, 403], `${name} without a signature answered ${res.statusCode}`).toContain(res.statusCode);
        continue;
      }
      if (res.statusCode !== 401) reachable.push(`${name} → ${res.statusCode}`);
      else {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        if (route.method !== 'HEAD') expect(res.json().code).toBe('auth.unauthenticated');
      }
    }
    expect(reachable).toEqual([]);
    expect(signed.length).toBeGreaterThanOrEqual(3);
  });

  it('documents the access routes in the public OpenAPI document', async () => {
    const res = await inject('GET', '/docs/json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/v1/session', '/v1/users', '/v1/users/{username}', '/v1/api-clients', '/v1/api-clients/{id}/keys', '/v1/audit']));
  });

  it('refuses a route registered without a scope, naming it, and still answers 404 for no route', async () => {
    const http = await createHttpServer({
      logger: false, bodyLimitBytes: 1024,
      access: new AccessControl({ store: t.app.store, clock: t.clock, settings: t.app.config.access, listenHost: '0.0.0.0', logger: createLogger('silent') }),
    });
    http.get('/forgotten', async () => ({ reached: true }));
    const res = await http.inject({ method: 'GET', url: '/forgotten' });
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toContain('GET /forgotten declares no scope');
    expect((await http.inject({ method: 'GET', url: '/no-such-route' })).statusCode).toBe(404);
    await http.close();
  });
});

describe('API keys', () => {
  let viewerKey: string;
  beforeAll(async () => {
    await createApiClient(t.app.store, { id: 'dashboards', scopes: ['orders:read', 'dead-letters:read', 'messages:read'] }, 'test', t.clock.now());
    viewerKey = (await issueApiKey(t.app.store, 'dashboards', {}, 'test', t.clock.now())).key;
  });

  it('lets a key read what its scopes allow and refuses the rest with 403 naming the scope', async () => {
    expect(viewerKey).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    const read = await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${viewerKey}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers['ratelimit-limit']).toBe('6000');
    const viaHeader = await inject('GET', '/v1/dead-letters', { 'x-api-key': viewerKey });
    expect(viaHeader.statusCode).toBe(200);
    const replay = await inject('POST', '/v1/dead-letters/x/replay', { authorization: `Bearer ${viewerKey}` });
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toMatchObject({ code: 'auth.forbidden', status: 403 });
    expect(replay.json().detail).toContain('dead-letters:write');
  });

  it('answers 401 to an unknown key and to a malformed Authorization header', async () => {
    expect((await inject('GET', '/v1/dead-letters', { authorization: 'Bearer cdk_not-a-key' })).statusCode).toBe(401);
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).statusCode).toBe(401);
  });

  it('keeps two keys active: a third is refused, rotate revokes the oldest, a revoked key is refused at once', async () => {
    const admin = (await issueApiKey(t.app.store, 'dashboards', {}, 'test', t.clock.now())).key;
    await createApiClient(t.app.store, { id: 'ops-admin', scopes: ['admin'] }, 'test', t.clock.now());
    const root = (await issueApiKey(t.app.store, 'ops-admin', {}, 'test', t.clock.now())).key;
    const auth = { authorization: `Bearer ${root}` };

    const third = await inject('POST', '/v1/api-clients/dashboards/keys', auth, {});
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('auth.too-many-keys');

    t.clock.advance(1000);
    const rotated = await inject('POST', '/v1/api-clients/dashboards/keys', auth, { rotate: true });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().key).toMatch(/^cdk_/);
    expect(rotated.json().revoked).toHaveLength(1);
    // The oldest (viewerKey) went; the second one still works, and so does the new one.
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${viewerKey}` })).statusCode).toBe(401);
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${admin}` })).statusCode).toBe(200);
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${rotated.json().key as string}` })).statusCode).toBe(200);

    const list = await inject('GET', '/v1/api-clients', auth);
    const client = (list.json().items as { id: string; keys: { id: string; prefix: string; active: boolean }[] }[]).find((c) => c.id === 'dashboards')!;
    expect(client.keys.filter((k) => k.active)).toHaveLength(2);
    expect(JSON.stringify(list.json())).not.toContain(admin);
    const second = client.keys.find((k) => k.active && admin.startsWith(k.prefix))!;
    const revoke = await inject('DELETE', `/v1/api-clients/dashboards/keys/${second.id}`, auth);
    expect(revoke.statusCode).toBe(204);
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${admin}` })).statusCode).toBe(401);
  });

  it('refuses a key of a disabled client and an expired key', async () => {
    await createApiClient(t.app.store, { id: 'short-lived', scopes: ['orders:read'] }, 'test', t.clock.now());
    const key = (await issueApiKey(t.app.store, 'short-lived', { expiresInDays: 1 }, 'test', t.clock.now())).key;
    expect((await inject('GET', '/v1/dead-letters', { authorization: `Bearer ${key}` })).statusCode).toBe(403);
    expect((await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${key}` })).statusCode).toBe(404);
    t.clock.advance(86_400_000 + 1);
    expect((await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${key}` })).statusCode).toBe(401);

    await createApiClient(t.app.store, { id: 'switched-off', scopes: ['orders:read'] }, 'test', t.clock.now());
    const other = (await issueApiKey(t.app.store, 'switched-off', {}, 'test', t.clock.now())).key;
    expect((await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${other}` })).statusCode).toBe(404);
    await updateApiClient(t.app.store, 'switched-off', { disabled: true }, 'test', t.clock.now());
    t.app.access.forgetClient('switched-off');
    expect((await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${other}` })).statusCode).toBe(401);
  });

  it('limits a client to its rate per minute with 429, Retry-After and RateLimit headers', async () => {
    await createApiClient(t.app.store, { id: 'chatty', scopes: ['orders:read'], ratePerMinute: 3 }, 'test', t.clock.now());
    const key = (await issueApiKey(t.app.store, 'chatty', {}, 'test', t.clock.now())).key;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${key}` });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
    expect(last!.json().code).toBe('auth.rate-limited');
    expect(Number(last!.headers['retry-after'])).toBe(20);
    expect(last!.headers['ratelimit-limit']).toBe('3');
    expect(last!.headers['ratelimit-remaining']).toBe('0');
    t.clock.advance(20_000);
    expect((await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${key}` })).statusCode).not.toBe(429);
  });

  it('records when a key was last used, at most once a minute', async () => {
    await createApiClient(t.app.store, { id: 'tracked', scopes: ['orders:read'] }, 'test', t.clock.now());
    const issued = await issueApiKey(t.app.store, 'tracked', {}, 'test', t.clock.now());
    const first = t.clock.now();
    await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${issued.key}` });
    t.clock.advance(5_000);
    await inject('GET', '/v1/orders/ord_x', { authorization: `Bearer ${issued.key}` });
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.app.store.listApiKeys('tracked'))[0]!.lastUsedAt).toBe(first);
  });
});

describe('admin API and the audit log', () => {
  let auth: Record<string, string>;
  beforeAll(async () => {
    await createApiClient(t.app.store, { id: 'auditor', scopes: ['admin'] }, 'test', t.clock.now());
    auth = { authorization: `Bearer ${(await issueApiKey(t.app.store, 'auditor', {}, 'test', t.clock.now())).key}` };
  });

  it('audits user and key changes with who, before and after, and never a hash or a key', async () => {
    const created = await inject('POST', '/v1/users', { ...auth, 'x-correlation-id': 'cor-user-1' }, { username: 'ann', role: 'viewer', password: 'correct horse battery' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'ann', role: 'viewer', disabled: false });
    const short = await inject('POST', '/v1/users', auth, { username: 'bob', role: 'viewer', password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.json().errors[0].pointer).toBe('/password');
    expect((await inject('PATCH', '/v1/users/ann', auth, { role: 'operator', password: 'another long password' })).statusCode).toBe(200);
    await inject('POST', '/v1/api-clients', auth, { id: 'erp-bridge', scopes: ['orders:write'], ratePerMinute: 600 });
    const key = await inject('POST', '/v1/api-clients/erp-bridge/keys', auth, {});
    expect(key.statusCode).toBe(201);
    expect((await inject('DELETE', '/v1/users/ann', auth)).statusCode).toBe(204);

    const page = await inject('GET', '/v1/audit?limit=500', auth);
    expect(page.statusCode).toBe(200);
    const entries = page.json().items as { actor: string; action: string; target: string; before?: unknown; after?: unknown; detail?: unknown; correlationId?: string }[];
    const create = entries.find((e) => e.action === 'user.create' && e.target === 'ann')!;
    expect(create).toMatchObject({ actor: 'client:auditor', before: null, after: { username: 'ann', role: 'viewer', disabled: false }, correlationId: 'cor-user-1' });
    const update = entries.find((e) => e.action === 'user.update' && e.target === 'ann')!;
    expect(update).toMatchObject({ before: { role: 'viewer' }, after: { role: 'operator' }, detail: { passwordChanged: true } });
    expect(entries.find((e) => e.action === 'user.delete' && e.target === 'ann')).toMatchObject({ before: { username: 'ann', role: 'operator' }, after: null });
    expect(entries.find((e) => e.action === 'api-client.create' && e.target === 'erp-bridge')).toMatchObject({ after: { scopes: ['orders:write'], ratePerMinute: 600 } });
    expect(entries.find((e) => e.action === 'api-key.create' && e.target.startsWith('erp-bridge/'))).toMatchObject({ after: { prefix: (key.json().key as string).slice(0, 12) } });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(key.json().key);
    expect(text).not.toContain('correct horse');
  });

  it('pages the audit log newest first and filters by actor and action', async () => {
    const first = await inject('GET', '/v1/audit?limit=2', auth);
    const { items, nextBefore } = first.json() as { items: { seq: number }[]; nextBefore: number };
    expect(items).toHaveLength(2);
    expect(items[0]!.seq).toBeGreaterThan(items[1]!.seq);
    expect(nextBefore).toBe(items[1]!.seq);
    const next = await inject('GET', `/v1/audit?limit=2&before=${nextBefore}`, auth);
    expect((next.json().items as { seq: number }[])[0]!.seq).toBeLessThan(nextBefore);
    const byAction = await inject('GET', '/v1/audit?action=user.delete', auth);
    expect((byAction.json().items as { action: string }[]).every((e) => e.action === 'user.delete')).toBe(true);
    const byActor = await inject('GET', '/v1/audit?actor=test', auth);
    expect((byActor.json().items as { actor: string }[]).length).toBeGreaterThan(0);
    expect((byActor.json().items as { actor: string }[]).every((e) => e.actor === 'test')).toBe(true);
  });

  it('refuses unknown scopes for an API client, naming the field', async () => {
    const res = await inject('POST', '/v1/api-clients', auth, { id: 'typo', scopes: ['orders:wirte'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/scopes/0');
  });
});
