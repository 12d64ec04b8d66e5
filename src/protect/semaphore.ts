/**
 * A counting semaphore with a FIFO queue: at most `capacity` holders at once, waiters served
 * in arrival order. A waiter whose signal aborts leaves the queue at once, so a cancelled call
 * never stays parked behind a slow target.
 */
export class Semaphore {
  /** Holders allowed at once. */
  readonly capacity: number;
  #active = 0;
  readonly #waiters: Waiter[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Semaphore capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Holders right now. */
  get active(): number {
    return this.#active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves with a release function once a slot is held. Rejects with `signal.reason` when the
   * signal aborts first. Calling the release function more than once releases once.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.capacity) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Hand the slot straight to the next waiter (the active count does not change), so a
      // newcomer cannot overtake callers that have been waiting.
      if (next) next.grant();
      else this.#active--;
    };
  }
}

interface Waiter {
  grant(): void;
}
