import Type, { type Static } from 'typebox';
import { StringEnum } from '../canonical/common.js';
import { InventoryConfigSchema } from '../inventory/config-schema.js';
import { PricesConfigSchema } from '../pricing/config-schema.js';
import { AccessConfigSchema } from '../auth/config-schema.js';
import { SloConfigSchema, TelemetryConfigSchema } from '../observability/config-schema.js';

const Protection = Type.Object(
  {
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Calls per second across all crossdock processes. @default 50' })),
    burst: Type.Optional(Type.Integer({ minimum: 1, description: 'Calls allowed above the steady rate. @default 1' })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'Calls in flight per process. @default 8' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Per-attempt timeout. @default 10000' })),
    attempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Attempts per job run for transient errors. @default 3' })),
    backoffMs: Type.Optional(Type.Integer({ minimum: 0, description: 'First retry delay. @default 200' })),
    maxWaitMs: Type.Optional(Type.Integer({ minimum: 0, description: 'Longest in-process wait before the job is handed back to the queue. @default 5000' })),
    breakerThreshold: Type.Optional(Type.Integer({ minimum: 1, description: 'Consecutive failures that open the circuit. @default 5' })),
    breakerHalfOpenAfterMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Open time before a probe. @default 5000' })),
  },
  { additionalProperties: false },
);

const SkuCrossReference = Type.Union([
  Type.String({ minLength: 1, maxLength: 100 }),
  Type.Object({
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    uom: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,6}$' })),
    factor: Type.Optional(Type.Integer({ minimum: 1, description: 'crossdock units in one channel unit (a case of 12: 12)' })),
  }, { additionalProperties: false }),
]);

const ChannelInstance = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Instance id (`shopify-us`): the channel name on orders, metrics, policies and webhook URLs' }),
    type: Type.String({ description: 'shopify, adobe-commerce, bigcommerce, woocommerce or amazon' }),
    enabled: Type.Optional(Type.Boolean({ description: '@default true' })),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
      description: "The channel type's settings (see docs/channels.md); a string `env:NAME` is read from the environment variable NAME, so secrets stay out of the file",
    })),
    skus: Type.Optional(Type.Record(Type.String(), SkuCrossReference, { description: 'SKU cross-references: channel key (SKU, `variant:ID`, `asin:…`) → crossdock SKU' })),
    customers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Customer cross-references: channel key (`customer:ID`, `email:…`, `company:ID`) → crossdock account' })),
    defaultCustomer: Type.Optional(Type.String({ description: 'Account for orders whose customer matches no cross-reference (e.g. one web-retail account)' })),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'How often polling sources (and webhook catch-up polls) run. @default 60' })),
  },
  { additionalProperties: false },
);

const EdiPartner = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: "Partner id: the channel name of the partner's orders, in metrics and in `POST /edi/{id}`" }),
    isaQualifier: Type.String({ minLength: 2, maxLength: 2, description: "The partner's ISA05/ISA07 qualifier (ZZ mutually defined, 01 DUNS, 12 phone …)" }),
    isaId: Type.String({ minLength: 1, maxLength: 15, description: "The partner's ISA06/ISA08 id (without padding)" }),
    gsId: Type.Optional(Type.String({ minLength: 2, maxLength: 15, description: "The partner's GS02/GS03 application code. @default isaId" })),
    version: Type.Optional(StringEnum(['004010', '005010'] as const, 'X12 version crossdock writes to this partner. @default 004010')),
    usage: Type.Optional(StringEnum(['P', 'T'] as const, 'ISA15 crossdock writes: P production, T test. @default P')),
    delimiters: Type.Optional(Type.Object({
      element: Type.String({ minLength: 1, maxLength: 1 }),
      component: Type.String({ minLength: 1, maxLength: 1 }),
      segment: Type.String({ minLength: 1, maxLength: 1 }),
      repetition: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
      lineEnding: Type.Optional(StringEnum(['', '\n', '\r\n'] as const, 'After each segment')),
    }, { additionalProperties: false, description: 'Delimiters crossdock writes with. @default * : ~ (and ^ in 005010), a newline after each segment' })),
    send997: Type.Optional(Type.Boolean({ description: 'Acknowledge every group received with a 997. @default true' })),
    ackWindowHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'How long the partner has to acknowledge what crossdock sends before it is an exception. @default 24' })),
    fulfils: Type.Optional(Type.Array(Type.String(), { description: 'For a 3PL: the channels (instance or partner ids) whose orders it ships; each order posted to the ERP gets a 940' })),
    httpToken: Type.Optional(Type.String({ minLength: 16, description: 'Bearer token the partner sends to `POST /edi/{id}` (use env:NAME); absent: HTTP upload is off for this partner' })),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, description: "How often the partner's inbound folder is polled. @default 60" })),
    transport: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
      description: '`type: sftp` (host, port, username, privateKey, hostKey, folders …) or `type: directory` (folders on a local or shared drive); see docs/edi.md',
    })),
    mapping: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
      description: 'Item cross-references by qualifier, unit conversions, ship-to locations, customer account, defaults (src/edi/sets/partner-profile.ts)',
    })),
  },
  { additionalProperties: false },
);

const TrytonSettingsSchema = Type.Object(
  {
    database: Type.Optional(Type.String({ minLength: 1, description: 'Tryton database name (or in the url)' })),
    user: Type.Optional(Type.String({ minLength: 1, description: 'Tryton login (use env:NAME, or put it in the url)' })),
    password: Type.Optional(Type.String({ description: 'Password of that login: env:NAME (never the value itself in a shared file)' })),
    company: Type.Optional(Type.Integer({ minimum: 1, description: "Tryton company id to work in, for a user of several companies; absent: the user's current company" })),
    warehouses: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Tryton warehouse code → crossdock location code; only these are read for stock. Absent: every warehouse, by its own code' })),
    defaultWarehouse: Type.Optional(Type.String({ minLength: 1, description: 'Code of the Tryton warehouse sales orders ship from. @default WH' })),
    referenceField: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]*$', description: 'The sale field that carries crossdock\'s order id. @default reference' })),
    customers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'crossdock customer account id → Tryton party code; absent: the same code' })),
    skus: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'crossdock SKU → Tryton product code; absent: the same code' })),
    units: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'crossdock unit code → Tryton unit symbol, over the defaults (EA → u, KG → kg, …)' })),
    trackingField: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]*$', description: 'The customer shipment field that holds the tracking number. @default reference' })),
    defaultCarrier: Type.Optional(Type.String({ minLength: 1, description: 'Carrier name reported to channels when the shipment names none. @default Other' })),
    shippingProduct: Type.Optional(Type.String({ minLength: 1, description: 'Product code of the freight line that carries the order\'s shipping charges; absent: not sent' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'How far back each change poll looks before its cursor, for records committed late. @default 60' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: 'Records per page when polling changes. @default 200' })),
  },
  { additionalProperties: false, description: 'Tryton connection and cross-references (docs/erp.md)' },
);

/** crossdock's configuration file (YAML). Every field is optional: no file means embedded defaults. */
export const ConfigSchema = Type.Object(
  {
    dataDir: Type.Optional(Type.String({ description: 'Folder for the SQLite database and the sandbox ERP. @default ./data' })),
    server: Type.Optional(Type.Object({
      host: Type.Optional(Type.String({ description: '@default 127.0.0.1' })),
      port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: '@default 8080' })),
      bodyLimitBytes: Type.Optional(Type.Integer({ minimum: 1024, description: 'Largest accepted request body. @default 1048576' })),
      trustProxy: Type.Optional(Type.Union([Type.Boolean(), Type.String({ minLength: 1 })], {
        description: "Behind a reverse proxy: whose `X-Forwarded-For` gives the client's address (login throttling, audit): `true` (any) or comma-separated addresses or CIDRs of the proxies (`127.0.0.1`, `10.0.0.0/8`). A server behind a proxy has no local mode (`access.mode: auto` acts as `required`) and marks its session cookie `Secure`. @default false",
      })),
    }, { additionalProperties: false })),
    database: Type.Optional(Type.Object({
      url: Type.Optional(Type.String({ description: 'postgres://… selects PostgreSQL; absent means SQLite in dataDir. Env: CROSSDOCK_DATABASE_URL' })),
      poolSize: Type.Optional(Type.Integer({ minimum: 1, description: 'PostgreSQL connections. @default 10' })),
    }, { additionalProperties: false })),
    erp: Type.Optional(Type.Object({
      kind: Type.Optional(StringEnum(['sandbox', 'tryton'] as const, 'Which ERP connector; a `tryton+http://` url implies tryton. @default sandbox')),
      url: Type.Optional(Type.String({
        description: 'sandbox: base URL of a sandbox ERP run with `crossdock sandbox-erp` (absent: in-process). tryton: `http://HOST:PORT` of trytond, or `tryton+http://USER:PASSWORD@HOST:PORT/DB`',
      })),
      knobs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Sandbox ERP knobs (latency, errors, rate cap, outages)' })),
      changePollSeconds: Type.Optional(Type.Integer({ minimum: 1, description: "How often the ERP's shipments, invoices and stock are polled for changes (ERPs without webhooks). @default 30" })),
      stockSnapshotMinutes: Type.Optional(Type.Integer({ minimum: 0, description: "How often the ERP's whole stock is read as one snapshot (the first run at start fills the inventory engine; each corrects drift); 0: never. @default 60" })),
      tryton: Type.Optional(TrytonSettingsSchema),
    }, { additionalProperties: false })),
    protection: Type.Optional(Type.Record(Type.String(), Protection, { description: 'Protection policy per target (erp, a channel instance id, …)' })),
    edi: Type.Optional(Type.Object({
      identity: Type.Object({
        isaQualifier: Type.String({ minLength: 2, maxLength: 2, description: "crossdock's (the distributor's) ISA qualifier" }),
        isaId: Type.String({ minLength: 1, maxLength: 15, description: "crossdock's ISA id" }),
        gsId: Type.Optional(Type.String({ minLength: 2, maxLength: 15, description: '@default isaId' })),
      }, { additionalProperties: false }),
      partners: Type.Array(EdiPartner, { description: 'Trading partners, each with its identifiers, delimiters, transport and cross-references' }),
    }, { additionalProperties: false, description: 'EDI X12 trading partners' })),
    channels: Type.Optional(Type.Array(ChannelInstance, { description: 'Sales channel instances: each with its own credentials, settings and cross-references' })),
    inventory: Type.Optional(InventoryConfigSchema),
    prices: Type.Optional(PricesConfigSchema),
    access: Type.Optional(AccessConfigSchema),
    telemetry: Type.Optional(TelemetryConfigSchema),
    slo: Type.Optional(SloConfigSchema),
    worker: Type.Optional(Type.Object({
      concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'Jobs run at once per process. @default 32' })),
      leaseMs: Type.Optional(Type.Integer({ minimum: 1000, description: 'Lease on a claimed job; a dead holder loses it after this. @default 30000' })),
      pollMs: Type.Optional(Type.Integer({ minimum: 5, description: 'Idle poll interval. @default 100' })),
      maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Attempts before a job is dead-lettered. @default 12' })),
      backoffMs: Type.Optional(Type.Integer({ minimum: 1, description: 'First retry delay of a job. @default 1000' })),
      maxBackoffMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Longest retry delay of a job. @default 300000' })),
    }, { additionalProperties: false })),
    log: Type.Optional(Type.Object({
      level: Type.Optional(StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, '@default info')),
    }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigSchema>;
