import Type, { type Static } from 'typebox';
import { StringEnum } from '../../canonical/common.js';
import type { BatchMode } from '../model.js';

/** The figures and keys a stock file's columns can hold, in the order problems list them. */
export const FEED_FIELDS = ['sku', 'location', 'onHand', 'allocated', 'inTransit', 'expectedAt', 'uom', 'timestamp'] as const;
export type FeedField = (typeof FEED_FIELDS)[number];
/** The fields that say something about a level (the rest say which level, in what unit, as of when). */
export const FIGURES = ['onHand', 'allocated', 'inTransit', 'expectedAt'] as const satisfies readonly FeedField[];

const column = (what: string) => Type.Optional(Type.String({ minLength: 1, description: `Header of the column holding ${what}` }));

const Columns = Type.Object(
  {
    sku: column("the 3PL's item code, read through `skus` (required when `columns` is given)"),
    location: column('the 3PL location or warehouse code, read through `locations`; absent from the file: every row is at `location`'),
    onHand: column('the quantity physically there (required in a snapshot)'),
    allocated: column('the quantity promised to orders the 3PL holds'),
    inTransit: column('the quantity on its way to the location (ASNs, transfers)'),
    expectedAt: column('when the in-transit quantity is expected (ISO 8601 date or timestamp); an empty cell clears it'),
    uom: column('the unit the figures are counted in, converted with `inventory.units`'),
    timestamp: column("when the 3PL measured the row (ISO 8601); the file's latest is the batch's time"),
  },
  {
    additionalProperties: false,
    description: "The file's header names for each field; headers match without regard to case or surrounding spaces, and other columns are ignored. Given: only the fields named are read, and each named column must be in the file. Absent: the file uses the field names as headers (sku, location, onHand …), each column optional but sku",
  },
);

/** One 3PL / WMS stock feed: CSV files over SFTP, a folder, or HTTP (docs/inventory-feeds.md). */
export const InventoryFeedSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Feed id: the journal source (`feed:<id>`) and `POST /v1/inventory/feeds/{id}`' }),
    mode: Type.Optional(StringEnum(['snapshot', 'set', 'delta'] as const,
      "How a file's figures are read: snapshot (the whole stock of the feed's locations: a level the file does not list is zero), set (the listed levels stand at these figures), delta (signed increments). @default snapshot")),
    columns: Type.Optional(Columns),
    location: Type.Optional(Type.String({ minLength: 1, description: 'crossdock location of rows without a location (a file with no location column, or an empty cell)' })),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'Field separator (`;` for files from European spreadsheets, a tab for TSV). @default ,' })),
    skus: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }), { description: "The 3PL's item code → crossdock SKU; a code not listed is taken as the SKU itself" })),
    locations: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }), {
      description: "The 3PL's location code → crossdock location; a code not listed is taken as the location itself. A snapshot covers every location named here",
    })),
    httpToken: Type.Optional(Type.String({ description: 'Bearer token the 3PL sends to `POST /v1/inventory/feeds/{id}`, at least 16 characters (use `env:NAME`); absent: HTTP upload is off for this feed' })),
    transport: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
      description: '`type: sftp` or `type: directory`, as for EDI partners (docs/edi.md): files are picked up from `folders.inbound`, then moved to `folders.processed` or `folders.rejected`; `folders.outbound` is not used and may be left out',
    })),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, description: "How often the transport's inbound folder is polled. @default 300" })),
  },
  { additionalProperties: false, description: 'A stock feed from a 3PL or WMS: CSV files over SFTP, a folder or HTTP' },
);
export type InventoryFeedFile = Static<typeof InventoryFeedSchema>;

/** Where a field is read from: the configured header, or the field's own name when `columns` is absent. */
export interface FeedColumn {
  readonly header: string;
  /** Named in the configuration: a file without this column is refused. Otherwise the column may be absent. */
  readonly configured: boolean;
}

/** A feed as configured, with defaults applied and `env:NAME` strings read. */
export interface InventoryFeedSettings {
  readonly id: string;
  readonly mode: BatchMode;
  /** The fields read, and from which column; a field not here is not read. */
  readonly columns: Readonly<Partial<Record<FeedField, FeedColumn>>>;
  readonly location: string | undefined;
  readonly delimiter: string;
  readonly skus: Readonly<Record<string, string>>;
  readonly locations: Readonly<Record<string, string>>;
  readonly httpToken: string | undefined;
  /** Transport settings with `env:NAME` read; checked when the transport is built (`buildInventoryFeeds`). */
  readonly transport: Readonly<Record<string, unknown>> | undefined;
  readonly pollIntervalSeconds: number;
}

/** Shorter tokens can be guessed; the same floor as EDI partners' upload tokens. */
const MIN_TOKEN_LENGTH = 16;

/** Applies defaults; problems name the path (`/inventory/feeds/0/...`). */
export function resolveInventoryFeeds(feeds: readonly InventoryFeedFile[], env: NodeJS.ProcessEnv, problems: string[]): InventoryFeedSettings[] {
  const seen = new Set<string>();
  return feeds.map((f, i) => {
    const path = `/inventory/feeds/${i}`;
    if (seen.has(f.id)) problems.push(`${path}/id: ${f.id} is used by another feed`);
    seen.add(f.id);
    const mode = f.mode ?? 'snapshot';
    const columns = resolveColumns(f.columns, `${path}/columns`, problems);
    if (f.columns !== undefined && mode === 'snapshot' && columns.onHand === undefined) {
      problems.push(`${path}/columns/onHand: a snapshot needs the on-hand column`);
    }
    if (f.columns !== undefined && !FIGURES.some((figure) => columns[figure] !== undefined)) {
      problems.push(`${path}/columns: name at least one of ${FIGURES.join(', ')}, or the files say nothing`);
    }
    if (f.columns !== undefined && columns.location === undefined && f.location === undefined) {
      problems.push(`${path}/location: name columns.location or give the feed's location`);
    }
    const delimiter = f.delimiter ?? ',';
    if (delimiter === '"' || delimiter === '\n' || delimiter === '\r') problems.push(`${path}/delimiter: ${JSON.stringify(delimiter)} cannot separate fields`);
    const httpToken = f.httpToken === undefined ? undefined : readEnv(f.httpToken, `${path}/httpToken`, env, problems);
    if (httpToken !== undefined && httpToken !== '' && httpToken.length < MIN_TOKEN_LENGTH) {
      problems.push(`${path}/httpToken: at least ${MIN_TOKEN_LENGTH} characters, so it cannot be guessed`);
    }
    const transport = f.transport === undefined ? undefined : (readEnvDeep(f.transport, `${path}/transport`, env, problems) as Record<string, unknown>);
    if (httpToken === undefined && transport === undefined) problems.push(`${path}: give httpToken, transport or both, or the feed receives nothing`);
    return {
      id: f.id,
      mode,
      columns,
      location: f.location,
      delimiter,
      skus: f.skus ?? {},
      locations: f.locations ?? {},
      httpToken,
      transport,
      pollIntervalSeconds: f.pollIntervalSeconds ?? 300,
    };
  });
}

function resolveColumns(file: Partial<Record<FeedField, string>> | undefined, path: string, problems: string[]): Partial<Record<FeedField, FeedColumn>> {
  if (file === undefined) return Object.fromEntries(FEED_FIELDS.map((field) => [field, { header: field, configured: false }]));
  if (file.sku === undefined) problems.push(`${path}/sku: the SKU column is required`);
  const columns: Partial<Record<FeedField, FeedColumn>> = {};
  // Two fields read from one column would make one figure count as two.
  const byHeader = new Map<string, FeedField>();
  for (const field of FEED_FIELDS) {
    const header = file[field]?.trim();
    if (header === undefined) continue;
    if (header === '') problems.push(`${path}/${field}: must name a column`);
    const other = byHeader.get(headerKey(header));
    if (other !== undefined) problems.push(`${path}/${field}: column "${header}" is already read as ${other}`);
    byHeader.set(headerKey(header), field);
    columns[field] = { header, configured: true };
  }
  return columns;
}

/** How headers are compared: 3PL exports differ in case and stray spaces between versions. */
export function headerKey(header: string): string {
  return header.trim().toLowerCase();
}

/** `env:NAME` → the variable's value; a missing variable is a problem naming the path. */
function readEnv(value: string, path: string, env: NodeJS.ProcessEnv, problems: string[]): string {
  if (!value.startsWith('env:')) return value;
  const name = value.slice(4);
  const found = env[name];
  if (found === undefined || found === '') problems.push(`${path}: environment variable ${name} is not set`);
  return found ?? '';
}

function readEnvDeep(value: unknown, path: string, env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') return readEnv(value, path, env, problems);
  if (Array.isArray(value)) return value.map((v, i) => readEnvDeep(v, `${path}/${i}`, env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readEnvDeep(v, `${path}/${k}`, env, problems)]));
  }
  return value;
}
