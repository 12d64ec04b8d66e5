import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { constants } from 'node:fs';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { sleep as realSleep } from '../../lib/clock.js';
import { assertPlainFileName, collisionFreeNames, isListableName, oldestFirst, tempNameFor } from './naming.js';
import { listSettled } from './settle.js';
import { guardedStream } from './stream.js';
import { ConnectionKeeper } from './sftp-connection.js';
import { classifySftpError } from './sftp-errors.js';
import { openSftpSession, type SftpSession } from './sftp-session.js';
import type { SftpSettings } from './sftp-settings.js';
import type { EdiTransport, InboundFile, ProcessOutcome } from './types.js';

export { parseSftpSettings, SftpSettingsSchema, type SftpSettings, type SftpSettingsInput } from './sftp-settings.js';

/** SFTP status FAILURE: what OpenSSH answers to a rename onto an existing name. */
const SFTP_FAILURE = 4;
/** A folder with this many same-name files in the same millisecond is not a collision, it is a loop. */
const MAX_NAME_ATTEMPTS = 100;

export interface SftpTransportOptions {
  /** The endpoint's id (partner or 3PL): the `target` of every error. */
  readonly target: string;
  /** Injected so the settle check is tested without waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock for the timestamp added on a name collision. */
  readonly now?: () => Date;
}

/**
 * The EDI transport over SFTP (ssh2). Folder paths are the server's; uploads go to a temp
 * name then are renamed; moves never overwrite. See `EdiTransport` for the contract.
 */
export function createSftpTransport(settings: SftpSettings, options: SftpTransportOptions): EdiTransport {
  const { target } = options;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => new Date());
  const keeper = new ConnectionKeeper({
    open: () => openSftpSession(settings, target),
    mode: settings.connection,
    idleCloseMs: settings.idleCloseMs,
  });

  /** Runs `work` on a leased session; every failure leaves as a classified CrossdockError. */
  async function withSession<T>(operation: string, path: string | undefined, work: (session: SftpSession) => Promise<T>): Promise<T> {
    const scene = { target, operation, ...(path === undefined ? {} : { path }) };
    let lease;
    try {
      lease = await keeper.acquire();
    } catch (error) {
      throw classifySftpError(error, { ...scene, operation: `${operation} (connect)` });
    }
    try {
      return await work(lease.session);
    } catch (error) {
      throw classifySftpError(error, scene);
    } finally {
      lease.release();
    }
  }

  const listOnce = async (session: SftpSession): Promise<InboundFile[]> => {
    const entries = await session.readdir(settings.folders.inbound);
    return entries
      // readdir reports lstat attributes: symlinks and folders are both left out.
      .filter((entry) => (entry.attrs.mode & constants.S_IFMT) === constants.S_IFREG)
      .filter((entry) => isListableName(entry.filename, settings.temp))
      .map((entry) => ({
        name: entry.filename,
        size: entry.attrs.size,
        modifiedAt: new Date(entry.attrs.mtime * 1000),
        path: posix.join(settings.folders.inbound, entry.filename),
      }));
  };

  return {
    list: () => withSession('list', settings.folders.inbound, async (session) => {
      const files = await listSettled(() => listOnce(session), settings.settleMs, sleep);
      return files.sort(oldestFirst);
    }),

    read: (file) => withSession('read', file.path, (session) => session.readFile(file.path)),

    openRead: async (file) => {
      const scene = { target, operation: 'read', path: file.path };
      const lease = await keeper.acquire().catch((error: unknown) => {
        throw classifySftpError(error, { ...scene, operation: 'read (connect)' });
      });
      let source: Readable;
      try {
        source = await lease.session.createReadStream(file.path);
      } catch (error) {
        lease.release();
        throw classifySftpError(error, scene);
      }
      // The lease is held until the stream is done; a cut connection surfaces as what ended it.
      return guardedStream(source, (error) => classifySftpError(lease.session.explain(error), scene), () => lease.release());
    },

    markProcessed: (file, outcome) => withSession(`mark ${outcome}`, file.path, (session) =>
      moveWithoutOverwrite(session, file, folderFor(settings, outcome), now())),

    put: async (name, content) => {
      assertPlainFileName(name, settings.temp);
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const finalPath = posix.join(settings.folders.outbound, name);
      const tempPath = posix.join(settings.folders.outbound, tempNameFor(name, settings.temp));
      const refuse = () => new CrossdockError('target.rejected', `SFTP put ${finalPath}: a different file with this name is still waiting in the outbound folder`, {
        target, context: { operation: 'put', path: finalPath, reason: 'exists' },
      });
      return withSession('put', finalPath, async (session) => {
        const before = await compareExisting(session, finalPath, data);
        if (before === 'same') return;
        if (before === 'different') throw refuse();
        await session.writeFile(tempPath, data);
        try {
          await session.rename(tempPath, finalPath);
        } catch (error) {
          // OpenSSH refuses to rename onto an existing name: another put won the race.
          if (!hasStatus(error, SFTP_FAILURE)) throw error;
          const after = await compareExisting(session, finalPath, data);
          if (after === 'absent') throw error;
          await session.unlink(tempPath).catch(() => undefined);
          if (after === 'different') throw refuse();
        }
      });
    },

    close: () => keeper.close(),
  };
}

function folderFor(settings: SftpSettings, outcome: ProcessOutcome): string {
  return outcome === 'processed' ? settings.folders.processed : settings.folders.rejected;
}

/**
 * Renames `file` into `folder` under the first free name. The stat covers servers whose
 * rename replaces; OpenSSH's rename itself refuses an existing name, which closes the race
 * with another mover between the stat and the rename.
 */
async function moveWithoutOverwrite(session: SftpSession, file: InboundFile, folder: string, at: Date): Promise<void> {
  let attempts = 0;
  for (const candidate of collisionFreeNames(file.name, at)) {
    if (++attempts > MAX_NAME_ATTEMPTS) break;
    const destination = posix.join(folder, candidate);
    if (await session.stat(destination)) continue;
    try {
      await session.rename(file.path, destination);
      return;
    } catch (error) {
      if (hasStatus(error, SFTP_FAILURE) && (await session.stat(destination))) continue;
      throw error;
    }
  }
  throw new CrossdockError('internal.defect', `no free name for ${file.name} in ${folder} after ${MAX_NAME_ATTEMPTS} attempts`);
}

/**
 * What `path` holds compared with `data`. The same bytes make a repeated put a no-op (a retry
 * after a lost reply); different bytes are the partner's not-yet-collected document, never
 * overwritten.
 */
async function compareExisting(session: SftpSession, path: string, data: Buffer): Promise<'absent' | 'same' | 'different'> {
  const existing = await session.stat(path);
  if (!existing) return 'absent';
  if (existing.size === data.length && (await session.readFile(path)).equals(data)) return 'same';
  return 'different';
}

function hasStatus(error: unknown, status: number): boolean {
  return (error as { code?: unknown } | null)?.code === status;
}
