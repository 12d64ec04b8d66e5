import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { sendProblem } from '../api/problem.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { ConsoleSession, ConsoleUser } from '../store/access-types.js';
import type { Store } from '../store/types.js';
import { isKeyActive, validScopes } from './api-clients.js';
import type { AccessSettings } from './config-schema.js';
import { sessionCookie, sessionSetCookie } from './cookies.js';
import { isForwarded, isLocalRequest, isLoopbackAddress, isLoopbackHost } from './loopback.js';
import type { Principal } from './principal.js';
import { ClientRateLimiter } from './rate-limit.js';
import { grants, ROLE_SCOPES, type RouteScope, type Scope } from './scopes.js';
import { sha256 } from './tokens.js';

export interface AccessControlDeps {
  store: Store;
  clock: Clock;
  settings: AccessSettings;
  /** The address the server listens on (`config.server.host`). */
  listenHost: string;
  /** A reverse proxy stands in front (`server.trustProxy`): no caller is local, cookies are `Secure`. */
  behindProxy?: boolean;
  logger: Logger;
}

/** A route as registered, for the test that walks the route table. */
export interface RouteRecord {
  method: string;
  url: string;
  scope: RouteScope | undefined;
}

/** A key looked up recently; revocation elsewhere is noticed when it expires. */
interface CachedKey {
  keyId: string;
  clientId: string;
  principal: Principal | undefined;
  ratePerMinute: number;
  keyExpiresAt: number | null;
  lastUsedAt: number;
  cachedUntil: number;
}

const KEY_CACHE_MS = 30_000;
const KEY_CACHE_MAX = 10_000;
/** `last_used_at` and a session's sliding expiry are written at most this often. */
const TOUCH_EVERY_MS = 60_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOCAL: Principal = Object.freeze({ kind: 'local', id: 'local', role: 'admin', scopes: Object.freeze(['admin'] as Scope[]) });
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Who may call which route. One `onRequest` hook reads the route's declared scope, finds the
 * principal (API key, console session, or — on a loopback-only server — the local
 * administrator), and refuses what the principal does not hold. Routes without a scope fail closed.
 */
export class AccessControl {
  /** Callers without credentials act as the local administrator (`access.mode: auto` on loopback). */
  readonly local: boolean;
  readonly secureCookies: boolean;
  readonly #deps: AccessControlDeps;
  readonly #routes: RouteOptions[] = [];
  readonly #keys = new Map<string, CachedKey>();
  readonly #rates = new ClientRateLimiter();
  readonly #localHosts = new Map<string, boolean>();

  constructor(deps: AccessControlDeps) {
    this.#deps = deps;
    const loopback = isLoopbackHost(deps.listenHost) && deps.behindProxy !== true;
    this.local = deps.settings.mode === 'auto' && loopback;
    this.secureCookies = deps.settings.secureCookies ?? !loopback;
  }

  /** Installs the route recorder and the check; call before any route is registered. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      this.#routes.push(route);
    });
    // A callback hook: in local mode the check is a few property reads, with no promise.
    app.addHook('onRequest', (request, reply, done) => {
      // Refusals are answered here, as crossdock's problem+json, not through the route's error
      // handler: the sandbox ERP's routes have their own, speaking the sandbox's dialect.
      const refuse = (error: unknown) => {
        if (!(error instanceof CrossdockError)) return done(error as Error);
        if (error.kind === 'defect') this.#deps.logger.error({ err: error, correlationId: request.correlationId }, 'route refused');
        sendProblem(reply, error);
      };
      let pending: Promise<void> | undefined;
      try {
        pending = this.check(request, reply);
      } catch (error) {
        refuse(error);
        return;
      }
      if (pending) pending.then(() => done(), refuse);
      else done();
    });
  }

  /** Every route registered after `install`, with the scope it declares (read now: plugins may set it late). */
  routes(): RouteRecord[] {
    return this.#routes.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method: string) => ({
      method, url: r.url, scope: r.config?.scope,
    })));
  }

  /** Forgets cached keys of a client: after a revocation or a change of its scopes made in this process. */
  forgetClient(clientId: string): void {
    for (const [hash, cached] of this.#keys) if (cached.clientId === clientId) this.#keys.delete(hash);
  }

  /** Sets `request.principal` or throws the problem that refuses the request. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const scope = request.routeOptions.config.scope;
    if (scope === 'public' || scope === 'signed') return undefined;
    if (scope === undefined) {
      if (request.is404) return undefined;
      throw new CrossdockError('internal.defect', `route ${request.method} ${request.routeOptions.url ?? request.url} declares no scope, so it is refused`);
    }
    if (scope === 'sandbox' && isLoopbackAddress(request.socket.remoteAddress) && !isForwarded(request.headers)) return undefined;
    const needed: Scope | 'authenticated' = scope === 'sandbox' ? 'admin' : scope;

    const headers = request.headers;
    const authorization = headers.authorization;
    const apiKey = authorization !== undefined ? BEARER.exec(authorization)?.[1] : headers['x-api-key'];
    if (authorization !== undefined && apiKey === undefined) throw this.#unauthenticated(reply, 'the Authorization header is not `Bearer <key>`');
    if (typeof apiKey === 'string') return this.#checkKey(request, reply, apiKey, needed);
    if (Array.isArray(apiKey)) throw this.#unauthenticated(reply, 'send one API key');
    const cookie = sessionCookie(headers.cookie);
    if (cookie !== undefined) return this.#checkSession(request, reply, cookie, needed);
    this.#actLocally(request, reply);
    return undefined;
  }

  /** The console session a request carries, if valid now (for `GET /v1/session`, a public route). */
  async sessionOf(request: FastifyRequest): Promise<{ session: ConsoleSession; user: ConsoleUser } | undefined> {
    const cookie = sessionCookie(request.headers.cookie);
    if (cookie === undefined) return undefined;
    const found = await this.#deps.store.getSession(sha256(cookie), this.#deps.clock.now());
    return found && !found.user.disabled ? found : undefined;
  }

  /** Whether a request without credentials may act as the local administrator. */
  isLocal(request: FastifyRequest): boolean {
    return this.local && !isForwarded(request.headers) && this.#isLocalRequest(request.headers.host, request.headers.origin);
  }

  /** `isLocalRequest`, remembered for the few `Host` values a local server sees (intake is benchmarked). */
  #isLocalRequest(host: string | undefined, origin: string | undefined): boolean {
    if (origin !== undefined || host === undefined) return isLocalRequest(host, origin);
    let local = this.#localHosts.get(host);
    if (local === undefined) {
      local = isLocalRequest(host, undefined);
      if (this.#localHosts.size < 64) this.#localHosts.set(host, local);
    }
    return local;
  }

  /** The local administrator holds `admin`, so any scope: only where the request comes from is checked. */
  #actLocally(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.local) throw this.#unauthenticated(reply, `${request.method} ${request.routeOptions.url ?? request.url} needs an API key or a console session`);
    if (isForwarded(request.headers)) {
      throw new CrossdockError('auth.origin-refused',
        'a request forwarded by a proxy is not local and needs an API key or a console session (behind a reverse proxy, set `server.trustProxy`)');
    }
    if (!this.#isLocalRequest(request.headers.host, request.headers.origin)) {
      throw new CrossdockError('auth.origin-refused',
        `a request without credentials is accepted only from crossdock's own origin on a loopback host (Host ${JSON.stringify(request.headers.host ?? '')}, Origin ${JSON.stringify(request.headers.origin ?? '')})`);
    }
    request.principal = LOCAL;
  }

  async #checkKey(request: FastifyRequest, reply: FastifyReply, key: string, needed: Scope | 'authenticated'): Promise<void> {
    const now = this.#deps.clock.now();
    const hash = sha256(key);
    let cached = this.#keys.get(hash);
    if (!cached || cached.cachedUntil <= now) cached = await this.#lookUpKey(hash, now);
    if (!cached?.principal || (cached.keyExpiresAt !== null && cached.keyExpiresAt <= now)) {
      throw this.#unauthenticated(reply, 'the API key is not valid (unknown, revoked or expired), or its client is disabled');
    }
    const rate = this.#rates.take(cached.clientId, cached.ratePerMinute, now);
    if (!rate.allowed) {
      reply.header('ratelimit-limit', rate.limit).header('ratelimit-remaining', 0).header('ratelimit-reset', Math.ceil(rate.retryAfterMs / 1000));
      throw new CrossdockError('auth.rate-limited', `API client ${cached.clientId} is over its ${rate.limit} requests per minute`, { retryAfterMs: rate.retryAfterMs });
    }
    reply.header('ratelimit-limit', rate.limit).header('ratelimit-remaining', rate.remaining).header('ratelimit-reset', rate.resetSeconds);
    if (now - cached.lastUsedAt >= TOUCH_EVERY_MS) {
      cached.lastUsedAt = now;
      this.#deps.store.touchApiKey(cached.keyId, now).catch((error: unknown) =>
        this.#deps.logger.warn({ err: error, keyId: cached.keyId }, 'could not record when an API key was last used'));
    }
    this.#authorize(cached.principal, needed);
    request.principal = cached.principal;
  }

  async #lookUpKey(hash: string, now: number): Promise<CachedKey | undefined> {
    const found = await this.#deps.store.findApiKey(hash);
    if (!found) {
      this.#keys.delete(hash);
      return undefined;
    }
    const { key, client } = found;
    const usable = isKeyActive(key, now) && !client.disabled;
    const entry: CachedKey = {
      keyId: key.id, clientId: client.id, ratePerMinute: client.ratePerMinute ?? this.#deps.settings.defaultRatePerMinute,
      keyExpiresAt: key.expiresAt, lastUsedAt: key.lastUsedAt ?? 0, cachedUntil: now + KEY_CACHE_MS,
      principal: usable ? { kind: 'client', id: client.id, scopes: validScopes(client.scopes) } : undefined,
    };
    if (this.#keys.size >= KEY_CACHE_MAX) this.#keys.clear();
    this.#keys.set(hash, entry);
    return entry;
  }

  async #checkSession(request: FastifyRequest, reply: FastifyReply, cookie: string, needed: Scope | 'authenticated'): Promise<void> {
    const now = this.#deps.clock.now();
    const found = await this.#deps.store.getSession(sha256(cookie), now);
    if (!found || found.user.disabled) {
      // A stale cookie on a local server is not a credential worth refusing: no credentials would do.
      if (this.local) return this.#actLocally(request, reply);
      throw this.#unauthenticated(reply, 'the console session has ended; sign in again');
    }
    const { session, user } = found;
    if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new CrossdockError('auth.csrf', `${request.method} in a console session needs the header x-csrf-token with the session's csrfToken`);
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.#deps.store.touchSession(session.idHash, now, now + this.#deps.settings.sessionMs);
      reply.header('set-cookie', sessionSetCookie(cookie, this.#deps.settings.sessionMs, this.secureCookies));
    }
    const principal: Principal = { kind: 'user', id: user.username, role: user.role, scopes: ROLE_SCOPES[user.role] };
    this.#authorize(principal, needed);
    request.principal = principal;
  }

  #authorize(principal: Principal, needed: Scope | 'authenticated'): void {
    if (needed === 'authenticated' || grants(principal.scopes, needed)) return;
    throw new CrossdockError('auth.forbidden', `this needs the scope ${needed}, which ${principal.kind} ${principal.id} does not hold`);
  }

  #unauthenticated(reply: FastifyReply, detail: string): CrossdockError {
    reply.header('www-authenticate', 'Bearer realm="crossdock"');
    return new CrossdockError('auth.unauthenticated', detail);
  }
}
