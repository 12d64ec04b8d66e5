import Type, { type Static } from 'typebox';
import { StringEnum } from '../canonical/common.js';

const MODES = ['auto', 'required'] as const;
export type AccessMode = (typeof MODES)[number];

/** The `access` section: who may call the API and sign in to the console. */
export const AccessConfigSchema = Type.Object(
  {
    mode: Type.Optional(StringEnum(MODES,
      '`required`: every route but the public ones needs an API key or a console session. `auto`: required unless the server listens on a loopback address only, where a caller without credentials acts as the local administrator (requests from other origins are refused). @default auto')),
    sessionHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'A console session ends after this long without use. @default 8' })),
    secureCookies: Type.Optional(Type.Boolean({ description: 'Mark the session cookie `Secure` (sent over HTTPS only); turn off only behind no TLS at all. @default true unless listening on loopback' })),
    loginAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Failed sign-ins per user name and address before further attempts wait. @default 5' })),
    loginLockoutSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'How long sign-in waits after too many failures. @default 300' })),
    defaultRatePerMinute: Type.Optional(Type.Integer({ minimum: 1, description: 'Requests per minute of an API client that sets no rate of its own. @default 6000' })),
  },
  { additionalProperties: false, description: 'Access control: console users, API clients (docs/access.md)' },
);

export type AccessConfigFile = Static<typeof AccessConfigSchema>;

export interface AccessSettings {
  mode: AccessMode;
  sessionMs: number;
  secureCookies: boolean | undefined;
  loginAttempts: number;
  loginLockoutMs: number;
  defaultRatePerMinute: number;
  /** `CROSSDOCK_ADMIN_PASSWORD`: at start, with no console user yet, user `admin` is created with it. */
  bootstrapAdminPassword: string | undefined;
}

/** Applies defaults; reads `CROSSDOCK_ADMIN_PASSWORD` from `env`. */
export function resolveAccess(file: AccessConfigFile | undefined, env: NodeJS.ProcessEnv = {}): AccessSettings {
  return {
    mode: file?.mode ?? 'auto',
    sessionMs: (file?.sessionHours ?? 8) * 3_600_000,
    secureCookies: file?.secureCookies,
    loginAttempts: file?.loginAttempts ?? 5,
    loginLockoutMs: (file?.loginLockoutSeconds ?? 300) * 1000,
    defaultRatePerMinute: file?.defaultRatePerMinute ?? 6000,
    bootstrapAdminPassword: env.CROSSDOCK_ADMIN_PASSWORD || undefined,
  };
}
