import { link, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Type, { type Static } from 'typebox';
import type { ErrorCode } from '../../errors/catalogue.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { sleep as realSleep } from '../../lib/clock.js';
import { assertPlainFileName, collisionFreeNames, isListableName, oldestFirst, tempNameFor } from './naming.js';
import { commonProblems, commonSettingsProperties, resolveCommon, validateSettings, type CommonSettings } from './settings.js';
import { listSettled } from './settle.js';
import { guardedStream } from './stream.js';
import type { EdiTransport, InboundFile, ProcessOutcome } from './types.js';

/** Settings of a local or mounted folder (HTTP uploads, tests, partners on a shared drive). */
export const DirectorySettingsSchema = Type.Object({ ...commonSettingsProperties }, { additionalProperties: false });
export type DirectorySettingsInput = Static<typeof DirectorySettingsSchema>;
/** Directory settings with defaults applied and folders made absolute. */
export type DirectorySettings = CommonSettings;

export function parseDirectorySettings(input: unknown, origin = 'directory'): DirectorySettings {
  const valid = validateSettings<DirectorySettingsInput>(DirectorySettingsSchema, input, origin, commonProblems);
  const common = resolveCommon(valid);
  const f = common.folders;
  return { ...common, folders: { inbound: resolve(f.inbound), outbound: resolve(f.outbound), processed: resolve(f.processed), rejected: resolve(f.rejected) } };
}

export interface DirectoryTransportOptions {
  /** The endpoint's id: the `target` of every error. */
  readonly target: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
}

/** Errors from `link` that mean "this file system cannot hard-link", not "name taken". */
const NO_HARD_LINKS = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);
const MAX_NAME_ATTEMPTS = 100;

/**
 * The EDI transport over a folder of this machine, with the SFTP transport's semantics: temp
 * name then rename on put, never overwrite on move. No-overwrite uses `link` + `unlink`
 * (`link` fails with EEXIST, atomically); on file systems without hard links (some network
 * shares) it falls back to check-then-rename, which leaves a small race with another mover.
 */
export function createDirectoryTransport(settings: DirectorySettings, options: DirectoryTransportOptions): EdiTransport {
  const { target } = options;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => new Date());
  const { folders, temp } = settings;
  const fail = (error: unknown, operation: string, path: string) => classifyFsError(error, { target, operation, path });

  async function guard<T>(operation: string, path: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw fail(error, operation, path);
    }
  }

  const listOnce = async (): Promise<InboundFile[]> => {
    const entries = await readdir(folders.inbound, { withFileTypes: true });
    const files: InboundFile[] = [];
    // Dirent.isFile() is false for symlinks and folders, like the SFTP listing.
    for (const entry of entries.filter((e) => e.isFile() && isListableName(e.name, temp))) {
      const path = join(folders.inbound, entry.name);
      const stats = await stat(path).catch((error: unknown) => (codeOf(error) === 'ENOENT' ? undefined : Promise.reject(error)));
      // Gone between readdir and stat: moved by someone else, nothing to list.
      if (stats) files.push({ name: entry.name, size: stats.size, modifiedAt: stats.mtime, path });
    }
    return files;
  };

  return {
    list: () => guard('list', folders.inbound, async () => (await listSettled(listOnce, settings.settleMs, sleep)).sort(oldestFirst)),

    read: (file) => guard('read', file.path, () => readFile(file.path)),

    openRead: (file) => guard('read', file.path, async () => {
      // Open first, so a missing file rejects here rather than on the stream.
      const handle = await open(file.path, 'r');
      // The handle closes itself (autoClose) when the stream ends or is destroyed.
      return guardedStream(handle.createReadStream(), (error) => fail(error, 'read', file.path));
    }),

    markProcessed: (file, outcome) => guard(`mark ${outcome}`, file.path, () => moveWithoutOverwrite(file, folderFor(settings, outcome), now())),

    put: async (name, content) => {
      assertPlainFileName(name, temp);
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const finalPath = join(folders.outbound, name);
      const tempPath = join(folders.outbound, tempNameFor(name, temp));
      return guard('put', finalPath, async () => {
        if (await sameContent(finalPath, data)) return;
        // flush: the bytes are on disk before the name that announces them appears.
        await writeFile(tempPath, data, { flush: true });
        const placed = await placeWithoutOverwrite(tempPath, finalPath);
        if (placed) return;
        await unlink(tempPath).catch(() => undefined);
        if (await sameContent(finalPath, data)) return;
        throw new CrossdockError('target.rejected', `put ${finalPath}: a different file with this name is still waiting in the outbound folder`, {
          target, context: { operation: 'put', path: finalPath, reason: 'exists' },
        });
      });
    },

    close: async () => undefined,
  };
}

function folderFor(settings: DirectorySettings, outcome: ProcessOutcome): string {
  return outcome === 'processed' ? settings.folders.processed : settings.folders.rejected;
}

async function moveWithoutOverwrite(file: InboundFile, folder: string, at: Date): Promise<void> {
  let attempts = 0;
  for (const candidate of collisionFreeNames(file.name, at)) {
    if (++attempts > MAX_NAME_ATTEMPTS) break;
    if (await placeWithoutOverwrite(file.path, join(folder, candidate))) return;
  }
  throw new CrossdockError('internal.defect', `no free name for ${file.name} in ${folder} after ${MAX_NAME_ATTEMPTS} attempts`);
}

/** Moves `from` to `to` unless `to` exists; false when it does. */
async function placeWithoutOverwrite(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
    if (await exists(to)) return false;
    await rename(from, to);
    return true;
  }
  await unlink(from);
  return true;
}

async function sameContent(path: string, data: Buffer): Promise<boolean> {
  const existing = await stat(path).catch(() => undefined);
  if (!existing) return false;
  return existing.size === data.length && (await readFile(path)).equals(data);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Which local file-system errors mean what, for the protection policy. */
const FS_ERRORS: Record<string, [ErrorCode, string]> = {
  ENOENT: ['target.rejected', 'no such file or folder'],
  ENOTDIR: ['target.rejected', 'not a folder'],
  EISDIR: ['target.rejected', 'is a folder'],
  EACCES: ['channel.unauthorized', 'permission denied'],
  EPERM: ['channel.unauthorized', 'operation not permitted'],
  EROFS: ['channel.unauthorized', 'read-only file system'],
  // A shared drive that went away or is overloaded comes back: retry.
  EIO: ['target.unavailable', 'input/output error'],
  ENOSPC: ['target.unavailable', 'no space left on the device'],
  EBUSY: ['target.unavailable', 'resource busy'],
  EAGAIN: ['target.unavailable', 'resource temporarily unavailable'],
  ESTALE: ['target.unreachable', 'stale network file handle'],
  EHOSTDOWN: ['target.unreachable', 'the file server is down'],
  ENOTCONN: ['target.unreachable', 'the network share is disconnected'],
  ETIMEDOUT: ['target.timeout', 'the file server did not answer in time'],
};

export function classifyFsError(error: unknown, scene: { target: string; operation: string; path: string }): CrossdockError {
  if (error instanceof CrossdockError) return error;
  const code = codeOf(error);
  const known = code === undefined ? undefined : FS_ERRORS[code];
  const message = error instanceof Error ? error.message : String(error);
  if (!known) return new CrossdockError('internal.defect', `${scene.operation} ${scene.path}: ${message}`, { target: scene.target, cause: error });
  return new CrossdockError(known[0], `${scene.operation} ${scene.path}: ${known[1]}`, {
    target: scene.target,
    cause: error,
    context: { operation: scene.operation, path: scene.path, reason: code },
  });
}
