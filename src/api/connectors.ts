import Type from 'typebox';
import { actorOf } from '../auth/principal.js';
import { auditRequest } from '../auth/audit.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { connectorViews, type ConnectorHealth } from '../operations/connectors.js';
import type { TargetPauses } from '../operations/pauses.js';
import type { PolicyRegistry } from '../protect/registry.js';
import type { TargetPause } from '../store/operations-types.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

export interface ConnectorRouteDeps extends ApiDeps {
  policies: PolicyRegistry;
  pauses: TargetPauses;
  health: ConnectorHealth;
  /** Targets configured (ERP, channels, EDI partners, feeds), called yet or not. */
  configuredTargets: () => readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

const PauseSchema = Type.Object({ by: Type.String(), at: Type.String(), reason: Type.Union([Type.String(), Type.Null()]) });

const ConnectorSchema = Type.Object({
  target: Type.String(),
  kind: Type.Union([Type.Literal('erp'), Type.Literal('channel'), Type.Literal('edi'), Type.Literal('feed'), Type.Literal('other')]),
  circuit: Type.String({ description: 'closed, open or half-open' }),
  inFlight: Type.Integer(), concurrency: Type.Integer(), ratePerSecond: Type.Number(),
  rateBudgetRemaining: Type.Optional(Type.Number({ description: 'Calls the shared rate budget allows right now' })),
  paused: Type.Union([PauseSchema, Type.Null()]),
  recentErrors: Type.Array(Type.Object({ at: Type.String(), code: Type.String(), message: Type.String() }), { description: 'Newest first, at most 20, seen by this process' }),
  calls: Type.Object({ ok: Type.Integer(), failed: Type.Integer() }, { description: 'Calls made by this process since it started' }),
});

const pauseView = (p: TargetPause) => ({ by: p.pausedBy, at: iso(p.pausedAt), reason: p.reason });

/**
 * Connector health and control: each target's circuit, rate budget and recent errors, and
 * pausing a target — its work waits in the queue, in every process, without spending attempts,
 * until it is resumed.
 */
export async function connectorRoutes(app: HttpServer, deps: ConnectorRouteDeps): Promise<void> {
  const known = (target: string) =>
    deps.configuredTargets().includes(target) || deps.policies.snapshots().some((s) => s.target === target) || deps.pauses.get(target) !== undefined;

  app.get('/v1/connectors', {
    config: { scope: 'connectors:read' },
    schema: {
      summary: 'Every connector target with its circuit, rate budget, pause and recent errors',
      tags: ['connectors'],
      response: { 200: Type.Object({ connectors: Type.Array(ConnectorSchema) }) },
    },
  }, async () => {
    await deps.pauses.refresh();
    const views = connectorViews({
      configured: deps.configuredTargets(), channels: new Set(deps.channels.keys()), snapshots: deps.policies.snapshots(),
      settingsFor: (t) => deps.policies.settingsFor(t), pauses: deps.pauses.list(), health: deps.health,
    });
    return {
      connectors: views.map((v) => ({
        ...v, paused: v.paused ? { by: v.paused.by, at: iso(v.paused.at), reason: v.paused.reason } : null,
        recentErrors: v.recentErrors.map((e) => ({ ...e, at: iso(e.at) })),
      })),
    };
  });

  app.post('/v1/connectors/:target/pause', {
    config: { scope: 'connectors:write' },
    schema: {
      summary: 'Pause a connector: nothing is sent to it from any process; its work waits, nothing is lost',
      tags: ['connectors'],
      params: Type.Object({ target: Type.String({ minLength: 1, maxLength: 200 }) }),
      body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })),
      response: { 200: Type.Object({ target: Type.String(), paused: PauseSchema }), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const { target } = request.params;
    if (!known(target)) return sendProblem(reply, new CrossdockError('request.not-found', `no connector target ${target}`));
    const reason = request.body?.reason?.trim() || null;
    const now = deps.clock.now();
    const before = deps.pauses.get(target) ?? null;
    const stored = await deps.pauses.pause({ target, pausedBy: actorOf(request.principal), reason, pausedAt: now });
    await auditRequest(deps.store, request, {
      action: 'connector.pause', target, before: { paused: before ? pauseView(before) : null }, after: { paused: pauseView(stored) },
      ...(reason ? { detail: { reason } } : {}),
    }, now);
    return { target, paused: pauseView(stored) };
  });

  app.post('/v1/connectors/:target/resume', {
    config: { scope: 'connectors:write' },
    schema: {
      summary: 'Resume a paused connector: the work it held back is due at once',
      tags: ['connectors'],
      params: Type.Object({ target: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: Type.Object({ target: Type.String(), paused: Type.Null() }), 409: ProblemSchema },
    },
  }, async (request, reply) => {
    const { target } = request.params;
    const now = deps.clock.now();
    const ended = await deps.pauses.resume(target, now);
    if (!ended) return sendProblem(reply, new CrossdockError('request.conflict', `${target} is not paused`));
    await auditRequest(deps.store, request, {
      action: 'connector.resume', target, before: { paused: pauseView(ended) }, after: { paused: null },
    }, now);
    deps.notifyWork();
    return { target, paused: null };
  });
}
