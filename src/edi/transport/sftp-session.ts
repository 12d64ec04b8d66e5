import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { Client, type ConnectConfig, type FileEntryWithStats, type SFTPWrapper, type Stats } from 'ssh2';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { ConnectionGone } from './sftp-errors.js';
import type { SftpSettings } from './sftp-settings.js';

/** SFTP status NO_SUCH_FILE, which `stat` turns into "absent". */
const NO_SUCH_FILE = 2;
/** Unanswered keepalives before ssh2 drops the connection with a client-timeout error. */
const KEEPALIVE_COUNT_MAX = 3;
/** How long `end()` waits for the server to acknowledge before tearing the socket down. */
const END_GRACE_MS = 2_000;

/**
 * One SSH connection with its SFTP channel, as promises. Errors are ssh2's own (with `level` or
 * a numeric SFTP `code`), or `ConnectionGone`; `classifySftpError` turns them into
 * `CrossdockError`s. Anything that could hang is bounded by the connect timeout or keepalives.
 */
export interface SftpSession {
  /** True once the connection has ended, for whatever reason: the session cannot be reused. */
  readonly closed: boolean;
  /**
   * The error to report for `error`: once the connection has ended, ssh2 fails pending work with
   * a bare "No response from server"; the client error that ended it (reset, keepalive timeout)
   * or `ConnectionGone` says what happened. Used for errors surfacing on streams.
   */
  explain(error: unknown): unknown;
  readdir(path: string): Promise<FileEntryWithStats[]>;
  /** `undefined` when nothing exists at `path`. */
  stat(path: string): Promise<Stats | undefined>;
  /** SFTP's own rename: OpenSSH refuses (status FAILURE) when `to` exists, instead of replacing it. */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer): Promise<void>;
  /** Opens the file first, so a missing file rejects here rather than on the stream. */
  createReadStream(path: string): Promise<Readable>;
  end(): Promise<void>;
}

/** `SHA256:` fingerprint of a raw host key, unpadded, as OpenSSH prints it (without prefix). */
export function fingerprintOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** Connects, logs in and opens the SFTP channel, all within `connectTimeoutMs`. */
export async function openSftpSession(settings: SftpSettings, target: string): Promise<SftpSession> {
  const client = new Client();
  let refusedHostKey: string | undefined;
  let lastError: Error | undefined;
  let closed = false;
  // ssh2 emits 'error' on the client for connection-level failures at any time; without a
  // listener that would crash the process. The last one explains why operations failed.
  client.on('error', (error: Error) => {
    lastError = error;
  });
  client.on('close', () => {
    closed = true;
  });

  const config: ConnectConfig = {
    host: settings.host,
    port: settings.port,
    username: settings.username,
    readyTimeout: settings.connectTimeoutMs,
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    hostVerifier: (key: Buffer) => {
      const actual = fingerprintOf(key);
      if (settings.hostKeySha256 !== undefined && actual !== settings.hostKeySha256) {
        refusedHostKey = actual;
        return false;
      }
      return true;
    },
    ...(settings.privateKey === undefined ? {} : { privateKey: settings.privateKey }),
    ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
  };

  let sftp: SFTPWrapper;
  try {
    sftp = await withTimeout(connect(client, config), settings.connectTimeoutMs, () => client.destroy());
  } catch (error) {
    client.destroy();
    if (refusedHostKey !== undefined) {
      throw new CrossdockError('channel.unauthorized', `SFTP connect: the server's host key SHA256:${refusedHostKey} is not the pinned SHA256:${settings.hostKeySha256}`, {
        target,
        cause: error,
        context: { operation: 'connect', reason: 'host-key-mismatch', expected: `SHA256:${settings.hostKeySha256}`, actual: `SHA256:${refusedHostKey}` },
      });
    }
    throw error;
  }

  const explain = (error: unknown): unknown => {
    if (!closed || hasSftpStatus(error)) return error;
    return lastError ?? new ConnectionGone(error instanceof Error ? error.message : undefined);
  };
  const call = <T>(run: (done: (error: Error | undefined | null, value: T) => void) => void): Promise<T> => {
    if (closed) return Promise.reject(lastError ?? new ConnectionGone());
    return new Promise<T>((resolve, reject) => {
      run((error, value) => (error ? reject(explain(error)) : resolve(value)));
    });
  };

  return {
    get closed() {
      return closed;
    },
    explain,
    readdir: (path) => call((done) => sftp.readdir(path, done)),
    stat: async (path) => {
      try {
        return await call<Stats>((done) => sftp.stat(path, done));
      } catch (error) {
        if (hasSftpStatus(error, NO_SUCH_FILE)) return undefined;
        throw error;
      }
    },
    rename: (from, to) => call<void>((done) => sftp.rename(from, to, (error) => done(error, undefined))),
    unlink: (path) => call<void>((done) => sftp.unlink(path, (error) => done(error, undefined))),
    readFile: (path) => call<Buffer>((done) => sftp.readFile(path, done)),
    writeFile: (path, data) => call<void>((done) => sftp.writeFile(path, data, (error) => done(error, undefined))),
    createReadStream: async (path) => {
      const handle = await call<Buffer>((done) => sftp.open(path, 'r', done));
      return sftp.createReadStream(path, { handle, autoClose: true });
    },
    end: async () => {
      if (closed) return;
      const ended = once(client, 'close');
      client.end();
      await withTimeout(ended, END_GRACE_MS, () => client.destroy()).catch(() => client.destroy());
    },
  };
}

function connect(client: Client, config: ConnectConfig): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    client.once('error', reject);
    client.once('close', () => reject(new ConnectionGone('the server closed the connection during login')));
    client.once('ready', () => {
      client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp)));
    });
    client.connect(config);
  });
}

function hasSftpStatus(error: unknown, status?: number): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && (status === undefined || code === status);
}

/** Rejects with a `client-timeout`-level error (classified as `target.timeout`) after `ms`. */
function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { level: 'client-timeout' }));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
