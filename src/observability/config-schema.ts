import Type, { type Static } from 'typebox';
import { StringEnum } from '../canonical/common.js';

/** The `telemetry` section: where traces go. */
export const TelemetryConfigSchema = Type.Object(
  {
    serviceName: Type.Optional(Type.String({ minLength: 1, description: 'service.name of the traces. @default crossdock' })),
    otlpEndpoint: Type.Optional(Type.String({ description: 'OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`); absent: spans are not exported (traceparent is still accepted and passed on). Env: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' })),
    otlpHeaders: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Headers sent with each export (`env:NAME` values read from the environment)' })),
    sampleRatio: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of new traces recorded (a sampled incoming traceparent is always followed). @default 1' })),
  },
  { additionalProperties: false, description: 'OpenTelemetry tracing (docs/observability.md)' },
);

const OBJECTIVE_KINDS = ['order-posted', 'inventory-published', 'shipment-published'] as const;
export type ObjectiveKind = (typeof OBJECTIVE_KINDS)[number];

const Objective = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'Objective name, the `objective` label of its metrics' }),
    kind: StringEnum(OBJECTIVE_KINDS, 'order-posted: accepted → posted in the ERP; inventory-published: stock change → channel accepted the availability; shipment-published: shipment in → channel confirmed it'),
    withinSeconds: Type.Number({ exclusiveMinimum: 0, description: 'A good event takes at most this long' }),
    target: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Share of events that must be good (0.99)' }),
    windowMinutes: Type.Optional(Type.Integer({ minimum: 1, description: 'Attainment is measured over this trailing window. @default 60' })),
    channel: Type.Optional(Type.String({ description: 'Only this channel; absent: all' })),
  },
  { additionalProperties: false },
);

export const SloConfigSchema = Type.Array(Objective, {
  description: 'Service level objectives, with attainment shown in the console and exported as metrics. @default orders posted within 5 minutes (99%), inventory published within 60 s (99%)',
});

export type TelemetryConfigFile = Static<typeof TelemetryConfigSchema>;
export type ObjectiveConfig = Static<typeof Objective>;

export interface TelemetrySettings {
  serviceName: string;
  otlpEndpoint: string | undefined;
  otlpHeaders: Record<string, string>;
  sampleRatio: number;
}

export interface Objective {
  name: string;
  kind: ObjectiveKind;
  withinMs: number;
  target: number;
  windowMs: number;
  channel: string | undefined;
}

export const DEFAULT_OBJECTIVES: readonly ObjectiveConfig[] = [
  { name: 'orders-posted-5m', kind: 'order-posted', withinSeconds: 300, target: 0.99 },
  { name: 'inventory-published-60s', kind: 'inventory-published', withinSeconds: 60, target: 0.99 },
];

/** Applies defaults; `env:NAME` header values are read from the environment. */
export function resolveTelemetry(file: TelemetryConfigFile | undefined, env: NodeJS.ProcessEnv, problems: string[]): TelemetrySettings {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(file?.otlpHeaders ?? {})) {
    const fromEnv = value.startsWith('env:') ? env[value.slice(4)] : value;
    if (fromEnv === undefined) problems.push(`/telemetry/otlpHeaders/${name}: environment variable ${value.slice(4)} is not set`);
    else headers[name] = fromEnv;
  }
  return {
    serviceName: file?.serviceName ?? 'crossdock',
    otlpEndpoint: file?.otlpEndpoint ?? (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined),
    otlpHeaders: headers,
    sampleRatio: file?.sampleRatio ?? 1,
  };
}

export function resolveObjectives(file: readonly ObjectiveConfig[] | undefined, problems: string[]): Objective[] {
  const list = file ?? DEFAULT_OBJECTIVES;
  const names = new Set<string>();
  return list.map((o, i) => {
    if (names.has(o.name)) problems.push(`/slo/${i}/name: ${o.name} is used by another objective`);
    names.add(o.name);
    return { name: o.name, kind: o.kind, withinMs: o.withinSeconds * 1000, target: o.target, windowMs: (o.windowMinutes ?? 60) * 60_000, channel: o.channel };
  });
}
