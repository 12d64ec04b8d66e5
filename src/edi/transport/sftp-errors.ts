import type { ErrorCode } from '../../errors/catalogue.js';
import { CrossdockError } from '../../errors/crossdock-error.js';

/** What was being done when an error happened: names it in the error and its context. */
export interface SftpErrorScene {
  /** The configured endpoint (partner or 3PL id): the `target` of the error. */
  readonly target: string;
  readonly operation: string;
  readonly path?: string;
}

/**
 * SFTP status codes (draft-ietf-secsh-filexfer-02 §7, as sent by OpenSSH), which ssh2 puts in
 * `error.code` as a number.
 */
const SFTP_STATUS = { noSuchFile: 2, permissionDenied: 3, failure: 4, noConnection: 6, connectionLost: 7, unsupported: 8 } as const;

/** Socket errors that mean the server or the network is unwell right now. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'EAI_AGAIN', 'ENOTFOUND',
]);

/**
 * Turns whatever ssh2 reported into a `CrossdockError` for the protection policy. ssh2 marks
 * connection-level errors with `level` (client-socket, client-timeout, client-authentication,
 * client-dns, protocol, handshake) and file errors with the numeric SFTP status in `code`;
 * those two facts decide, never the wording of the message.
 */
export function classifySftpError(error: unknown, scene: SftpErrorScene): CrossdockError {
  if (error instanceof CrossdockError) return error;
  const { level, code, message } = describe(error);
  const where = scene.path === undefined ? scene.operation : `${scene.operation} ${scene.path}`;
  const make = (errorCode: ErrorCode, text: string, reason: string) =>
    new CrossdockError(errorCode, `SFTP ${where}: ${text}`, {
      target: scene.target,
      cause: error,
      context: { operation: scene.operation, ...(scene.path === undefined ? {} : { path: scene.path }), reason, ...(code === undefined ? {} : { code }) },
    });

  if (typeof code === 'number') {
    switch (code) {
      case SFTP_STATUS.noSuchFile:
        return make('target.rejected', `no such file or folder (${message})`, 'no-such-file');
      case SFTP_STATUS.permissionDenied:
        return make('channel.unauthorized', `permission denied for this login (${message})`, 'permission-denied');
      case SFTP_STATUS.noConnection:
      case SFTP_STATUS.connectionLost:
        return make('target.unreachable', `connection lost (${message})`, 'connection-lost');
      case SFTP_STATUS.unsupported:
        return make('target.rejected', `the server does not support this operation (${message})`, 'unsupported');
      default:
        return make('target.rejected', `the server refused it (${message})`, 'refused');
    }
  }
  switch (level) {
    case 'client-authentication':
      return make('channel.unauthorized', `login refused (${message})`, 'authentication');
    case 'client-timeout':
      return make('target.timeout', message, 'timeout');
    case 'handshake':
      // Key exchange or algorithm negotiation failed: a configuration mismatch, not a hiccup.
      return make('target.rejected', `SSH handshake failed (${message})`, 'handshake');
    case 'client-socket':
    case 'client-dns':
    case 'protocol':
      if (code === 'ETIMEDOUT') return make('target.timeout', message, 'timeout');
      return make('target.unreachable', message, typeof code === 'string' ? code : 'connection');
    default:
      break;
  }
  if (typeof code === 'string' && TRANSIENT_SOCKET_CODES.has(code)) return make('target.unreachable', message, code);
  if (code === 'ETIMEDOUT') return make('target.timeout', message, 'timeout');
  if (error instanceof ConnectionGone) return make('target.unreachable', message, 'connection-lost');
  return new CrossdockError('internal.defect', `SFTP ${where}: ${message}`, { target: scene.target, cause: error });
}

/** Thrown by the session when the connection ended under an operation, or before it started. */
export class ConnectionGone extends Error {
  constructor(message = 'the SFTP connection was closed') {
    super(message);
    this.name = 'ConnectionGone';
  }
}

function describe(error: unknown): { level: string | undefined; code: number | string | undefined; message: string } {
  if (!(error instanceof Error)) return { level: undefined, code: undefined, message: String(error) };
  const fields = error as Error & { level?: unknown; code?: unknown };
  const level = typeof fields.level === 'string' ? fields.level : undefined;
  const code = typeof fields.code === 'number' || typeof fields.code === 'string' ? fields.code : undefined;
  return { level, code, message: error.message };
}
