import { CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { ConsoleSession, ConsoleUser } from '../store/access-types.js';
import type { Store } from '../store/types.js';
import { auditAs } from './audit.js';
import type { AccessSettings } from './config-schema.js';
import { LoginThrottle } from './login-throttle.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './passwords.js';
import { randomToken, sha256 } from './tokens.js';

export interface ConsoleSessionsDeps {
  store: Store;
  clock: Clock;
  settings: AccessSettings;
  logger: Logger;
  /** Cost of the hash an unknown user name is checked against; tests lower it. @default DEFAULT_SCRYPT */
  scrypt?: ScryptParams;
}

export interface SignedIn {
  /** The cookie value; only its SHA-256 is stored. */
  cookie: string;
  session: ConsoleSession;
  user: ConsoleUser;
}

/** Console sign-in and sign-out: password check, throttling, session records. */
export class ConsoleSessions {
  readonly #deps: ConsoleSessionsDeps;
  readonly #throttle: LoginThrottle;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: ConsoleSessionsDeps) {
    this.#deps = deps;
    this.#throttle = new LoginThrottle({ attempts: deps.settings.loginAttempts, lockoutMs: deps.settings.loginLockoutMs });
  }

  /**
   * Checks the password and opens a session. An unknown or disabled user costs the same scrypt
   * run as a wrong password and gets the same answer, so neither timing nor text tells which
   * user names exist. Throws `auth.login-throttled` (even for the right password) while the
   * name or the name and address wait, `auth.login-failed` otherwise.
   */
  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    const { store, clock, logger, settings } = this.#deps;
    const waitMs = this.#throttle.waitMs(username, address, clock.now());
    if (waitMs > 0) {
      logger.warn({ username, address }, 'sign-in refused: too many failures, waiting');
      throw new CrossdockError('auth.login-throttled', `too many failed sign-ins for ${username}; try again in ${Math.ceil(waitMs / 1000)} s`, { retryAfterMs: waitMs });
    }
    const user = await store.getUser(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.#dummy()));
    const now = clock.now();
    if (!user || user.disabled || !matches) {
      const lockMs = this.#throttle.failed(username, address, now);
      logger.warn({ username, address, reason: !user ? 'unknown user' : user.disabled ? 'disabled' : 'wrong password', lockedOutMs: lockMs }, 'sign-in refused');
      throw new CrossdockError('auth.login-failed', 'the user name or password is wrong');
    }
    this.#throttle.succeeded(username, address);
    const cookie = randomToken(32);
    const session: ConsoleSession = {
      idHash: sha256(cookie), username, csrfToken: randomToken(32), createdAt: now, expiresAt: now + settings.sessionMs, lastSeenAt: now,
    };
    await store.deleteExpiredSessions(now);
    await store.createSession(session);
    return { cookie, session, user };
  }

  /** Ends a session (its cookie is cleared by the caller). */
  async signOut(session: ConsoleSession, correlationId: string): Promise<void> {
    const now = this.#deps.clock.now();
    await this.#deps.store.deleteSession(session.idHash);
    await auditAs(this.#deps.store, { actor: `user:${session.username}`, correlationId }, { action: 'session.logout', target: session.username }, now);
  }

  /** Computed once, with the same cost as real hashes, for unknown user names. */
  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomToken(16), this.#deps.scrypt ?? DEFAULT_SCRYPT);
    return this.#dummyHash;
  }
}
