import Type from 'typebox';
import type { SloRecorder } from '../observability/slo.js';
import type { HttpServer } from './server.js';

const ObjectiveStatusSchema = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('order-posted'), Type.Literal('inventory-published'), Type.Literal('shipment-published')]),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'Only this channel counts; null: every channel' }),
  target: Type.Number({ description: 'Share of events that must be good' }),
  withinSeconds: Type.Number({ description: 'A good event takes at most this long' }),
  windowMinutes: Type.Number({ description: 'Trailing window the counts cover' }),
  good: Type.Integer(),
  total: Type.Integer(),
  overdue: Type.Integer({ description: 'Orders received in the window, not posted yet and already past withinSeconds (across every process); counted as bad' }),
  attainment: Type.Union([Type.Number(), Type.Null()], { description: 'good / (total + overdue); null while the window holds no event' }),
  met: Type.Union([Type.Boolean(), Type.Null()], { description: 'attainment ≥ target; null while the window holds no event' }),
});

/** `GET /v1/slo`: each service level objective with its attainment, for the console dashboard. */
export async function sloRoutes(app: HttpServer, deps: { slo: SloRecorder }): Promise<void> {
  app.get('/v1/slo', {
    config: { scope: 'metrics:read' },
    schema: {
      summary: 'Service level objectives and their attainment over their trailing windows',
      description: 'Completed events are counted in memory by this process (one-minute buckets; the counters behind them are exported as crossdock_slo_events_total for attainment over any window across processes); orders still unposted past their time are counted from the store, across processes.',
      tags: ['operations'],
      response: { 200: Type.Object({ objectives: Type.Array(ObjectiveStatusSchema) }) },
    },
  }, async () => ({ objectives: await deps.slo.status() }));
}
