import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionKeeper } from './sftp-connection.js';
import type { SftpSession } from './sftp-session.js';

/** A session that only knows whether it was ended. */
function fakeSession(): SftpSession & { ended: boolean } {
  const session = { closed: false, ended: false, end: async () => { session.ended = true; session.closed = true; } };
  return session as unknown as SftpSession & { ended: boolean };
}

describe('ConnectionKeeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets concurrent operations share one connect', async () => {
    const open = vi.fn(async () => fakeSession());
    const keeper = new ConnectionKeeper({ open, mode: 'persistent', idleCloseMs: 0 });

    const [a, b] = await Promise.all([keeper.acquire(), keeper.acquire()]);

    expect(open).toHaveBeenCalledTimes(1);
    expect(a.session).toBe(b.session);
  });

  it('reconnects after a failed connect and after a dropped session', async () => {
    const first = fakeSession();
    const open = vi.fn<() => Promise<SftpSession>>()
      .mockRejectedValueOnce(new Error('ECONNREFUSED'))
      .mockResolvedValueOnce(first)
      .mockResolvedValueOnce(fakeSession());
    const keeper = new ConnectionKeeper({ open, mode: 'persistent', idleCloseMs: 0 });

    await expect(keeper.acquire()).rejects.toThrow('ECONNREFUSED');
    (await keeper.acquire()).release();
    (first as { closed: boolean }).closed = true;
    const lease = await keeper.acquire();

    expect(open).toHaveBeenCalledTimes(3);
    expect(lease.session).not.toBe(first);
  });

  it('per-poll: ends the session only after idleCloseMs without a lease', async () => {
    vi.useFakeTimers();
    const session = fakeSession();
    const keeper = new ConnectionKeeper({ open: async () => session, mode: 'per-poll', idleCloseMs: 1_000 });

    (await keeper.acquire()).release();
    await vi.advanceTimersByTimeAsync(900);
    const lease = await keeper.acquire();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(session.ended).toBe(false);

    lease.release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(session.ended).toBe(true);
  });

  it('ends the session on close and refuses new leases', async () => {
    const session = fakeSession();
    const keeper = new ConnectionKeeper({ open: async () => session, mode: 'persistent', idleCloseMs: 0 });
    (await keeper.acquire()).release();

    await keeper.close();

    expect(session.ended).toBe(true);
    await expect(keeper.acquire()).rejects.toMatchObject({ code: 'internal.defect' });
  });
});
