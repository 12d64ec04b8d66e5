import type { Readable } from 'node:stream';

/**
 * How EDI files reach crossdock and leave it, whatever carries them (an SFTP server, a local or
 * shared folder). The EDI runtime polls `list()`, reads each file, hands it to the parser and
 * then moves it with `markProcessed()`; it sends documents with `put()`. Bytes only: a transport
 * never parses X12.
 *
 * Every failure is a `CrossdockError` whose code says whether to retry:
 * `target.unreachable` / `target.timeout` (transient: connection refused, reset, dropped, slow),
 * `channel.unauthorized` (credentials refused, permission denied, host key mismatch: not retried),
 * `target.rejected` (missing folder or file, a name refused by the server: not retried).
 */
export interface EdiTransport {
  /**
   * Files waiting in the inbound folder, oldest first (by modification time, then name).
   * Folders, temporary names (the configured temp prefix/suffix) and hidden names (starting
   * with `.`) are left out, and so are files still growing (see the settle check in README.md).
   */
  list(): Promise<InboundFile[]>;
  /** The whole file in memory: for the usual X12 interchange of a few kilobytes. */
  read(file: InboundFile): Promise<Buffer>;
  /**
   * The file as a stream, for large interchanges: nothing is buffered beyond the stream's
   * high-water mark. Errors opening the file reject; errors mid-way are emitted on the stream
   * as `CrossdockError`s. Consume or destroy the stream, or it holds its connection.
   */
  openRead(file: InboundFile): Promise<Readable>;
  /**
   * Moves the file out of the inbound folder into the processed or rejected folder, so it is
   * not listed again. When that folder already has a file of the same name, the moved file gets
   * a timestamp (and a sequence number if needed) before its extension; nothing is overwritten.
   */
  markProcessed(file: InboundFile, outcome: ProcessOutcome): Promise<void>;
  /**
   * Writes a file to the outbound folder under a temporary name, then renames it to `name`, so
   * a partner polling the folder never picks up half a file. A file already there under that
   * name is not overwritten (`target.rejected`), unless it holds exactly `content` — so a retry
   * after a lost reply succeeds.
   */
  put(name: string, content: Buffer | string): Promise<void>;
  /** Releases connections. The transport must not be used afterwards. */
  close(): Promise<void>;
}

/** A file found in the inbound folder. */
export interface InboundFile {
  /** The file name, without folder. */
  readonly name: string;
  /** Size in bytes when listed. */
  readonly size: number;
  /** Modification time as reported by the server (SFTP reports whole seconds). */
  readonly modifiedAt: Date;
  /** Full path on the transport's side (remote path for SFTP, absolute local path for a folder). */
  readonly path: string;
}

/** Where a file goes once the runtime is done with it. */
export type ProcessOutcome = 'processed' | 'rejected';
