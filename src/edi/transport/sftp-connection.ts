import { CrossdockError } from '../../errors/crossdock-error.js';
import type { SftpSession } from './sftp-session.js';

/** A session lent to one operation; `release()` exactly once when the operation is done. */
export interface Lease {
  readonly session: SftpSession;
  release(): void;
}

export interface ConnectionKeeperOptions {
  /** Opens a new session (connect, log in, open the SFTP channel). */
  readonly open: () => Promise<SftpSession>;
  /** `persistent`: keep the session between polls; `per-poll`: close it once idle. */
  readonly mode: 'per-poll' | 'persistent';
  /** per-poll: how long no operation may run before the session is closed. */
  readonly idleCloseMs: number;
}

/**
 * Shares one SFTP session between the operations of a transport. Concurrent callers wait for
 * the same connect; a session that dropped is replaced at the next acquire (the operation that
 * saw the drop fails as transient and the protection policy retries it). In per-poll mode the
 * session is closed when no lease has been held for `idleCloseMs`, so the partner's server is
 * not holding a connection between polls, while one poll's list, reads and moves share it.
 */
export class ConnectionKeeper {
  private session: SftpSession | undefined;
  private connecting: Promise<SftpSession> | undefined;
  private leases = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private shut = false;

  constructor(private readonly options: ConnectionKeeperOptions) {}

  async acquire(): Promise<Lease> {
    if (this.shut) throw new CrossdockError('internal.defect', 'the SFTP transport was used after close()');
    this.leases++;
    this.cancelIdleClose();
    let session: SftpSession;
    try {
      session = await this.current();
    } catch (error) {
      this.leases--;
      this.scheduleIdleClose();
      throw error;
    }
    let released = false;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        this.leases--;
        this.scheduleIdleClose();
      },
    };
  }

  /** Closes the session now and refuses new leases. */
  async close(): Promise<void> {
    this.shut = true;
    this.cancelIdleClose();
    const session = this.session ?? (await this.connecting?.catch(() => undefined));
    this.session = undefined;
    await session?.end();
  }

  private current(): Promise<SftpSession> {
    if (this.session && !this.session.closed) return Promise.resolve(this.session);
    this.session = undefined;
    this.connecting ??= this.options.open().then(
      (session) => {
        this.connecting = undefined;
        // close() may have run while connecting: do not keep a session nobody will end.
        if (this.shut) {
          void session.end();
          throw new CrossdockError('internal.defect', 'the SFTP transport was closed while connecting');
        }
        this.session = session;
        return session;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }

  private scheduleIdleClose(): void {
    if (this.options.mode !== 'per-poll' || this.leases > 0 || this.shut) return;
    this.cancelIdleClose();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const session = this.session;
      this.session = undefined;
      void session?.end();
    }, this.options.idleCloseMs);
    // An idle timer alone must not keep the process alive at shutdown.
    this.idleTimer.unref();
  }

  private cancelIdleClose(): void {
    if (this.idleTimer === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
