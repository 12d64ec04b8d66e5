import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The sandbox ERP's fault knobs: how slow, how flaky, how strict and when down it is. Set from
 * configuration at start and changed at run time through `PUT /sandbox/erp/knobs`, so a
 * benchmark or fault test can make the ERP misbehave on cue.
 */

/** Longest latency any distribution may produce, so a typo cannot park requests for hours. */
export const MAX_LATENCY_MS = 60_000;

const Millis = Type.Number({ minimum: 0, maximum: MAX_LATENCY_MS });

/**
 * Added latency before each ERP API answer, in milliseconds:
 * - a number: fixed;
 * - `{ min, max }`: uniform between the two;
 * - `{ p50, p99 }`: log-normal fitted to the two percentiles (a long tail, as real ERPs have).
 */
export const LatencySpec = Type.Union([
  Millis,
  Type.Object({ min: Millis, max: Millis }, { additionalProperties: false }),
  Type.Object({ p50: Type.Number({ exclusiveMinimum: 0, maximum: MAX_LATENCY_MS }), p99: Millis }, { additionalProperties: false }),
]);
export type LatencySpec = Static<typeof LatencySpec>;

/** An outage planned relative to the moment the knobs are applied. */
export const OutageWindowSpec = Type.Object(
  { afterMs: Type.Number({ minimum: 0 }), durationMs: Type.Number({ exclusiveMinimum: 0 }) },
  { additionalProperties: false },
);
export type OutageWindowSpec = Static<typeof OutageWindowSpec>;

const Rate = Type.Number({ minimum: 0, maximum: 1 });

/** Every knob, as the ERP runs with them. */
export const SandboxErpKnobs = Type.Object(
  {
    /** @default { min: 1, max: 3 } */
    latencyMs: LatencySpec,
    /** Share of ERP API calls answered `500` (after latency). @default 0 */
    errorRate: Rate,
    /** ERP API calls served per sliding second above which it answers `429`; null = unlimited. @default null */
    rateCap: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    /**
     * How `Retry-After` is written on a `429`: `fractional` seconds ("0.2") or `integer`
     * seconds rounded up ("1", the only form RFC 9110 defines), so clients can be tested
     * against both. @default 'fractional'
     */
    retryAfterFormat: Type.Union([Type.Literal('fractional'), Type.Literal('integer')]),
    /** During an outage: answer `503` (`error`) or destroy the socket unanswered (`drop`). @default 'error' */
    outageMode: Type.Union([Type.Literal('error'), Type.Literal('drop')]),
    /** Outages planned relative to when these knobs are applied. @default [] */
    outageWindows: Type.Array(OutageWindowSpec, { maxItems: 100 }),
    /**
     * Share of sales-order creates that are committed and then left unanswered (socket
     * destroyed): the "lost response" that idempotent creates must survive. @default 0
     */
    loseResponseRate: Rate,
  },
  { additionalProperties: false },
);
export type SandboxErpKnobs = Static<typeof SandboxErpKnobs>;

/** A partial update, as `PUT /knobs` and configuration give it. */
export const SandboxErpKnobsPatch = Type.Partial(SandboxErpKnobs, { additionalProperties: false });
export type SandboxErpKnobsPatch = Static<typeof SandboxErpKnobsPatch>;

/** A well-behaved ERP: a few milliseconds per call, no errors, no limit, no outage. */
export const DEFAULT_KNOBS: Readonly<SandboxErpKnobs> = Object.freeze({
  latencyMs: { min: 1, max: 3 },
  errorRate: 0,
  rateCap: null,
  retryAfterFormat: 'fractional',
  outageMode: 'error',
  outageWindows: [],
  loseResponseRate: 0,
});

/** A knob value that is well-typed but makes no sense, or a type error, named by JSON pointer. */
export interface KnobProblem {
  pointer: string;
  detail: string;
}

/** The knobs after a valid patch, or what is wrong with the patch. */
export type KnobsResult = { ok: true; knobs: SandboxErpKnobs } | { ok: false; problems: KnobProblem[] };

/**
 * Validates `patch` (unknown input: YAML, JSON body) and applies it over `base`.
 * Never throws for bad input; returns the problems instead.
 */
export function applyKnobsPatch(base: SandboxErpKnobs, patch: unknown): KnobsResult {
  if (!Value.Check(SandboxErpKnobsPatch, patch)) {
    return { ok: false, problems: schemaProblems(patch) };
  }
  const knobs: SandboxErpKnobs = { ...base, ...stripUndefined(patch) };
  const problems = latencyProblems(knobs.latencyMs);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, knobs };
}

/** Defaults overlaid with a validated patch; throws a readable error for bad configuration. */
export function knobsFrom(patch: unknown = {}): SandboxErpKnobs {
  const result = applyKnobsPatch({ ...DEFAULT_KNOBS }, patch);
  if (!result.ok) {
    const lines = result.problems.map((p) => `  ${p.pointer || '/'}: ${p.detail}`).join('\n');
    throw new TypeError(`invalid sandbox ERP knobs:\n${lines}`);
  }
  return result.knobs;
}

function schemaProblems(value: unknown): KnobProblem[] {
  // Union branches each report their own failure; one line per pointer reads better.
  const seen = new Map<string, string>();
  for (const error of Value.Errors(SandboxErpKnobsPatch, value)) {
    if (!seen.has(error.instancePath)) seen.set(error.instancePath, error.message);
  }
  return [...seen].map(([pointer, detail]) => ({ pointer, detail }));
}

function latencyProblems(latency: LatencySpec): KnobProblem[] {
  if (typeof latency === 'number') return [];
  if ('min' in latency && latency.min > latency.max) {
    return [{ pointer: '/latencyMs', detail: 'min must not exceed max' }];
  }
  if ('p50' in latency && latency.p99 < latency.p50) {
    return [{ pointer: '/latencyMs', detail: 'p99 must not be below p50' }];
  }
  return [];
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
