import Type from 'typebox';
import { StringEnum } from '../canonical/common.js';
import type { SeriesSampler } from '../observability/series.js';
import { SERIES, SERIES_GROUPS } from '../observability/series-measure.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';

/** What the dashboard route needs from the composition root. */
export interface DashboardApiDeps {
  series: SeriesSampler;
}

const SERIES_LIST = SERIES.map((s) => `- \`${s.name}\` (${s.group}, ${s.unit}): ${s.description}`).join('\n');

// A type list, not anyOf: fast-json-stringify refuses null against an anyOf inside a tuple.
const PointSchema = Type.Tuple([Type.Number(), Type.Unsafe<number | null>({ type: ['number', 'null'] })], {
  description: '[epoch milliseconds of the step, value or null where nothing was sampled]',
});

const DashboardSchema = Type.Object({
  stepSeconds: Type.Number({ description: 'Width of one point' }),
  from: Type.Number({ description: 'First point, epoch milliseconds' }),
  to: Type.Number({ description: 'Last point, epoch milliseconds' }),
  series: Type.Array(Type.Object({
    name: Type.String({ description: 'Stable series name (see the list above)' }),
    group: StringEnum(SERIES_GROUPS, 'what the key names'),
    key: Type.String({ description: 'The channel, target, queue or stock source' }),
    unit: StringEnum(['per_minute', 'seconds', 'count', 'ratio', 'state'] as const, 'unit of the values'),
    points: Type.Array(PointSchema),
  })),
  current: Type.Object({
    circuits: Type.Array(Type.Object({ target: Type.String(), state: StringEnum(['closed', 'half-open', 'open'] as const, 'circuit state') })),
    queues: Type.Array(Type.Object({
      queue: Type.String(), queued: Type.Number(), running: Type.Number(), dead: Type.Number(), oldestAgeSeconds: Type.Number(),
    })),
  }, { description: 'Circuits and queues as of the latest sample' }),
});

/**
 * `GET /v1/dashboard`: the console's charts, answered from the series sampler's memory — a
 * request never reads the store or the metrics registry (docs/console.md, "Dashboard series").
 */
export async function dashboardRoutes(app: HttpServer, deps: DashboardApiDeps): Promise<void> {
  app.get('/v1/dashboard', {
    config: { scope: 'metrics:read' },
    schema: {
      summary: 'Throughput, latency, errors, queues and circuits over time',
      description: `One point per step for the last \`minutes\`, aligned to step boundaries; null where this process took no sample or a percentile had no observations. Rates are per minute. Past 2 hours a point covers several steps (\`stepSeconds\`): rates and ratios averaged, the rest at their highest. Series kept by this process since it started:\n\n${SERIES_LIST}`,
      tags: ['dashboard'],
      querystring: Type.Object({
        minutes: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|360)$', description: 'a whole number of minutes, 1–360 (default 60)' })),
        group: Type.Optional(StringEnum(SERIES_GROUPS, 'series group (channel, target, queue, warehouse)')),
      }, { additionalProperties: false }),
      response: { 200: DashboardSchema, 422: ProblemSchema },
    },
  }, async (request) => {
    const { minutes, group } = request.query;
    return { ...deps.series.window(Number(minutes ?? 60), group), current: deps.series.current() };
  });
}
