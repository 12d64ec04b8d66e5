import { CrossdockError } from '../errors/crossdock-error.js';

/** What `callWithTimeout` needs to name the call in its errors. */
export interface TimeoutOptions {
  target: string;
  operation: string;
  timeoutMs: number;
  /** The caller's signal: aborting it aborts the call too. */
  signal?: AbortSignal;
  /** Turns the caller's abort reason into the error the call rejects with. */
  cancelled(reason: unknown): CrossdockError;
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs` (reason: a `target.timeout` error) or
 * when the caller's signal aborts. The returned promise settles at that moment even if `call`
 * ignores its signal, so a stuck target can never hold a caller past its timeout.
 */
export function callWithTimeout<T>(call: (signal: AbortSignal) => Promise<T>, options: TimeoutOptions): Promise<T> {
  const { target, operation, timeoutMs, signal: outer } = options;
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (error: CrossdockError): void => {
      // The abort reason is the error itself, so a transport that rejects with
      // `signal.reason` (as fetch does) surfaces the same classified error.
      controller.abort(error);
      reject(error);
    };
    const onCancel = (): void => stop(options.cancelled(outer?.reason));
    if (outer?.aborted) return onCancel();

    const timer = setTimeout(() => {
      stop(new CrossdockError('target.timeout', `${target} did not answer ${operation} within ${timeoutMs} ms`, {
        target,
        context: { operation, timeoutMs },
      }));
    }, timeoutMs);
    outer?.addEventListener('abort', onCancel, { once: true });

    const cleanUp = (): void => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onCancel);
    };
    let promise: Promise<T>;
    try {
      promise = call(controller.signal);
    } catch (error) {
      cleanUp();
      return reject(error);
    }
    promise.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
