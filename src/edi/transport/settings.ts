import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ConfigError } from '../../config/config.js';
import type { TempNaming } from './naming.js';

/** The four folders every transport works with, in the transport's own path syntax. */
export const FoldersSchema = Type.Object(
  {
    inbound: Type.String({ minLength: 1, description: 'Where partners drop files for crossdock; listed at each poll' }),
    outbound: Type.String({ minLength: 1, description: 'Where crossdock puts files for partners to pick up' }),
    processed: Type.String({ minLength: 1, description: 'Where inbound files go once handled' }),
    rejected: Type.String({ minLength: 1, description: 'Where inbound files go when they cannot be handled (kept for a person)' }),
  },
  { additionalProperties: false, description: 'Folder paths; they must exist (crossdock does not create them)' },
);

/** Settings shared by every transport: folders, temp naming, settle check. */
export const commonSettingsProperties = {
  folders: FoldersSchema,
  tempPrefix: Type.Optional(Type.String({ description: 'Prefix of the temporary name an upload is written under before its rename. @default ""' })),
  tempSuffix: Type.Optional(Type.String({ description: 'Suffix of the temporary name an upload is written under before its rename; inbound names with it are skipped. @default ".part"' })),
  settleMs: Type.Optional(Type.Integer({
    minimum: 0,
    description: 'Settle check: inbound is listed twice this far apart and files whose size or modification time changed are skipped until the next poll; 0 turns it off. @default 2000',
  })),
};

export interface Folders {
  readonly inbound: string;
  readonly outbound: string;
  readonly processed: string;
  readonly rejected: string;
}

/** Common settings with defaults applied. */
export interface CommonSettings {
  readonly folders: Folders;
  readonly temp: TempNaming;
  readonly settleMs: number;
}

export const COMMON_DEFAULTS = { tempPrefix: '', tempSuffix: '.part', settleMs: 2_000 } as const;

interface CommonInput {
  folders: Folders;
  tempPrefix?: string | undefined;
  tempSuffix?: string | undefined;
  settleMs?: number | undefined;
}

/**
 * Checks `input` against `schema`, then the rules a schema cannot say well; throws a
 * `ConfigError` listing every problem with its path, so start-up fails, not the first poll.
 */
export function validateSettings<T>(
  schema: TSchema,
  input: unknown,
  origin: string,
  extraProblems: (valid: T) => string[],
): T {
  const validator = Compile(schema);
  if (!validator.Check(input)) {
    const problems = [...validator.Errors(input)].map((e) => `${origin}${e.instancePath}: ${e.message}`);
    throw new ConfigError(`the ${origin} settings are not valid`, problems);
  }
  const valid = input as T;
  const problems = extraProblems(valid).map((p) => `${origin}${p}`);
  if (problems.length > 0) throw new ConfigError(`the ${origin} settings are not valid`, problems);
  return valid;
}

/** Problems shared by every transport: a temp name must be recognisable, folders distinct. */
export function commonProblems(input: CommonInput): string[] {
  const problems: string[] = [];
  const prefix = input.tempPrefix ?? COMMON_DEFAULTS.tempPrefix;
  const suffix = input.tempSuffix ?? COMMON_DEFAULTS.tempSuffix;
  if (prefix === '' && suffix === '') {
    problems.push('/tempSuffix: tempPrefix or tempSuffix must be set, or uploads would be visible under their final name');
  }
  if (prefix.includes('/') || suffix.includes('/')) problems.push('/tempPrefix: temp affixes cannot contain "/"');
  const paths = Object.entries(input.folders);
  for (const [name, path] of paths) {
    const same = paths.find(([other, otherPath]) => other < name && otherPath === path);
    if (same) problems.push(`/folders/${name}: the same folder as ${same[0]}`);
  }
  return problems;
}

export function resolveCommon(input: CommonInput): CommonSettings {
  return {
    folders: { ...input.folders },
    temp: { prefix: input.tempPrefix ?? COMMON_DEFAULTS.tempPrefix, suffix: input.tempSuffix ?? COMMON_DEFAULTS.tempSuffix },
    settleMs: input.settleMs ?? COMMON_DEFAULTS.settleMs,
  };
}
