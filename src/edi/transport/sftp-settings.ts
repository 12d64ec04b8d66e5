import Type, { type Static } from 'typebox';
import { StringEnum } from '../../canonical/common.js';
import { commonProblems, commonSettingsProperties, resolveCommon, validateSettings, type CommonSettings } from './settings.js';

/** OpenSSH's fingerprint format, as printed by `ssh-keygen -lf host_key.pub`. */
const FINGERPRINT_PATTERN = '^SHA256:[A-Za-z0-9+/]{43}=?$';

/** Settings of one SFTP endpoint (a trading partner's or a 3PL's server). */
export const SftpSettingsSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'Server host name or address' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: '@default 22' })),
    username: Type.String({ minLength: 1, description: 'Login name' }),
    privateKey: Type.Optional(Type.String({ minLength: 1, description: 'Private key, PEM or OpenSSH text (use `env:NAME` to keep it out of the file); this or password is required' })),
    passphrase: Type.Optional(Type.String({ description: 'Passphrase of an encrypted privateKey' })),
    password: Type.Optional(Type.String({ description: 'Password, for servers without key login; this or privateKey is required' })),
    hostKey: Type.Optional(Type.String({
      pattern: FINGERPRINT_PATTERN,
      description: 'Pinned host key fingerprint (`SHA256:…`, from `ssh-keygen -lf`); a server presenting another key is refused. Absent: any host key is accepted',
    })),
    ...commonSettingsProperties,
    connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Longest wait for TCP connect, SSH handshake and login. @default 10000' })),
    keepaliveIntervalMs: Type.Optional(Type.Integer({
      minimum: 0,
      description: 'SSH keepalive interval; after 3 unanswered keepalives the connection counts as dropped (target.timeout), so a silent network never hangs a transfer. 0 turns it off. @default 10000',
    })),
    connection: Type.Optional(StringEnum(['per-poll', 'persistent'] as const,
      'per-poll: a connection is opened when needed and closed once idle for idleCloseMs, so one poll (list, reads, moves) shares one session; persistent: kept open between polls and reopened after a drop. @default per-poll')),
    idleCloseMs: Type.Optional(Type.Integer({ minimum: 0, description: 'per-poll only: idle time after which the connection is closed. @default 1000' })),
  },
  { additionalProperties: false },
);

export type SftpSettingsInput = Static<typeof SftpSettingsSchema>;

/** SFTP settings with defaults applied. */
export interface SftpSettings extends CommonSettings {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string | undefined;
  readonly passphrase: string | undefined;
  readonly password: string | undefined;
  /** The pinned fingerprint without its `SHA256:` prefix and base64 padding. */
  readonly hostKeySha256: string | undefined;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly connection: 'per-poll' | 'persistent';
  readonly idleCloseMs: number;
}

/** Validates raw settings (`origin` names them in problems) and applies the defaults. */
export function parseSftpSettings(input: unknown, origin = 'sftp'): SftpSettings {
  const valid = validateSettings<SftpSettingsInput>(SftpSettingsSchema, input, origin, (s) => {
    const problems = commonProblems(s);
    if (s.privateKey === undefined && s.password === undefined) problems.push('/privateKey: privateKey or password is required');
    return problems;
  });
  return {
    ...resolveCommon(valid),
    host: valid.host,
    port: valid.port ?? 22,
    username: valid.username,
    privateKey: valid.privateKey,
    passphrase: valid.passphrase,
    password: valid.password,
    hostKeySha256: valid.hostKey === undefined ? undefined : normaliseFingerprint(valid.hostKey),
    connectTimeoutMs: valid.connectTimeoutMs ?? 10_000,
    keepaliveIntervalMs: valid.keepaliveIntervalMs ?? 10_000,
    connection: valid.connection ?? 'per-poll',
    idleCloseMs: valid.idleCloseMs ?? 1_000,
  };
}

/** `SHA256:abc…=` → `abc…`: OpenSSH prints it unpadded, some tools pad it. */
export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replace(/^SHA256:/, '').replace(/=+$/, '');
}
