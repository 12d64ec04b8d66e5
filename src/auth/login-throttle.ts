interface Counter { failures: number; since: number; lockedUntil: number }

export interface LoginThrottleSettings {
  /** Failures per (user name, address) before sign-in waits. */
  attempts: number;
  lockoutMs: number;
  /**
   * Failures per user name from all addresses together, before it waits: a guesser spread over
   * many addresses is slowed too, while one person mistyping from one place does not lock the
   * account for everyone. @default 4 × attempts
   */
  perUserAttempts?: number;
}

/**
 * Counts failed sign-ins in this process's memory and says when further attempts must wait —
 * even with the right password, so a guesser learns nothing from a locked-out attempt.
 */
export class LoginThrottle {
  readonly #counters = new Map<string, Counter>();
  readonly #perUser: number;

  constructor(private readonly settings: LoginThrottleSettings) {
    this.#perUser = settings.perUserAttempts ?? settings.attempts * 4;
  }

  /** Milliseconds the pair must still wait; 0 when it may try. */
  waitMs(username: string, address: string, now: number): number {
    const wait = (key: string) => Math.max(0, (this.#counters.get(key)?.lockedUntil ?? 0) - now);
    return Math.max(wait(pairKey(username, address)), wait(userKey(username)));
  }

  /** Records a failure; returns the wait it starts (0 when none). */
  failed(username: string, address: string, now: number): number {
    if (this.#counters.size > 100_000) this.#prune(now);
    const a = this.#count(pairKey(username, address), this.settings.attempts, now);
    const b = this.#count(userKey(username), this.#perUser, now);
    return Math.max(a, b);
  }

  /** A successful sign-in clears the pair's failures (not the user's: those fade with time). */
  succeeded(username: string, address: string): void {
    this.#counters.delete(pairKey(username, address));
  }

  #count(key: string, limit: number, now: number): number {
    let c = this.#counters.get(key);
    // Failures older than one lockout period are forgotten.
    if (!c || now - c.since > this.settings.lockoutMs) {
      c = { failures: 0, since: now, lockedUntil: 0 };
      this.#counters.set(key, c);
    }
    c.failures++;
    if (c.failures < limit) return 0;
    c.lockedUntil = now + this.settings.lockoutMs;
    c.failures = 0;
    c.since = c.lockedUntil;
    return this.settings.lockoutMs;
  }

  #prune(now: number): void {
    for (const [key, c] of this.#counters) if (c.lockedUntil < now && now - c.since > this.settings.lockoutMs) this.#counters.delete(key);
  }
}

const pairKey = (username: string, address: string) => `p\0${username.toLowerCase()}\0${address}`;
const userKey = (username: string) => `u\0${username.toLowerCase()}`;
