import Type from 'typebox';
import { actorOf } from '../auth/principal.js';
import { auditRequest } from '../auth/audit.js';
import { StringEnum } from '../canonical/common.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { RuntimeCrossReferences } from '../operations/cross-references.js';
import { CROSS_REFERENCE_KINDS, type CrossReference, type CrossReferenceKind } from '../store/operations-types.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

export type CrossReferenceRouteDeps = ApiDeps & { crossReferences: RuntimeCrossReferences };

const SkuValue = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 100, description: 'The crossdock (ERP) item' }),
  uom: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,6}$', description: 'Unit of the crossdock item. @default the line\'s unit' })),
  factor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'crossdock units in one channel unit (a case of 12 → 12). @default 1' })),
}, { additionalProperties: false });
const CustomerValue = Type.Object({
  account: Type.String({ minLength: 1, maxLength: 100, description: 'The ERP customer account' }),
}, { additionalProperties: false });

const ReferenceSchema = Type.Object({
  channel: Type.String(), kind: Type.String(), key: Type.String(),
  value: Type.Union([SkuValue, CustomerValue]), updatedBy: Type.String(), updatedAt: Type.String(),
});

const Params = Type.Object({
  channel: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Channel instance id' }),
  kind: StringEnum(CROSS_REFERENCE_KINDS, 'sku or customer'),
  key: Type.String({ minLength: 1, maxLength: 255, description: "The channel's key: its SKU or variant reference, its customer id" }),
});

const view = (r: CrossReference) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() });
/** What the audit log keeps of a reference: its value, by whom and when it was set. */
const audited = (r: CrossReference | undefined) => (r ? { value: r.value, updatedBy: r.updatedBy, updatedAt: r.updatedAt } : null);

/**
 * Cross-references set at run time: a channel's SKU or customer key → crossdock's item or
 * account. They win over the configuration file's, take effect at once in this process and
 * within seconds in the others, and are applied again to an order when it is replayed.
 */
export async function crossReferenceRoutes(app: HttpServer, deps: CrossReferenceRouteDeps): Promise<void> {
  app.get('/v1/cross-references', {
    config: { scope: 'mappings:read' },
    schema: {
      summary: 'Cross-references set at run time',
      tags: ['cross-references'],
      querystring: Type.Object({
        channel: Type.Optional(Type.String()), kind: Type.Optional(StringEnum(CROSS_REFERENCE_KINDS)),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ReferenceSchema) }) },
    },
  }, async (request) => {
    const { channel, kind } = request.query;
    const items = await deps.store.listCrossReferences({ ...(channel ? { channel } : {}), ...(kind ? { kind } : {}) });
    return { items: items.map(view) };
  });

  app.put('/v1/cross-references/:channel/:kind/:key', {
    config: { scope: 'mappings:write' },
    schema: {
      summary: 'Set a cross-reference (sku: { sku, uom?, factor? }; customer: { account })',
      tags: ['cross-references'],
      params: Params,
      body: Type.Union([SkuValue, CustomerValue]),
      response: { 200: ReferenceSchema, 422: ProblemSchema },
    },
  }, async (request, reply) => {
    const { channel, key } = request.params;
    const kind = request.params.kind as CrossReferenceKind;
    const body = request.body as Record<string, unknown>;
    const actor = actorOf(request.principal);
    const now = deps.clock.now();
    let ref: CrossReference;
    if (kind === 'sku') {
      if (typeof body['sku'] !== 'string') return sendProblem(reply, wrongShape('sku', '/sku', 'a SKU cross-reference names the crossdock item as `sku`'));
      const value = { sku: body['sku'], ...(typeof body['uom'] === 'string' ? { uom: body['uom'] } : {}), ...(typeof body['factor'] === 'number' ? { factor: body['factor'] } : {}) };
      ref = { channel, kind, key, value, updatedBy: actor, updatedAt: now };
    } else {
      if (typeof body['account'] !== 'string') return sendProblem(reply, wrongShape('customer', '/account', 'a customer cross-reference names the ERP account as `account`'));
      ref = { channel, kind, key, value: { account: body['account'] }, updatedBy: actor, updatedAt: now };
    }
    const before = await deps.crossReferences.put(ref);
    await auditRequest(deps.store, request, {
      action: 'cross-reference.put', target: `${channel}/${kind}/${key}`, before: audited(before), after: audited(ref),
    }, now);
    return view(ref);
  });

  app.delete('/v1/cross-references/:channel/:kind/:key', {
    config: { scope: 'mappings:write' },
    schema: {
      summary: 'Remove a cross-reference',
      tags: ['cross-references'],
      params: Params,
      response: { 204: Type.Null(), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const { channel, key } = request.params;
    const kind = request.params.kind as CrossReferenceKind;
    const before = await deps.crossReferences.delete(channel, kind, key);
    if (!before) return sendProblem(reply, new CrossdockError('request.not-found', `no ${kind} cross-reference ${key} on ${channel}`));
    await auditRequest(deps.store, request, {
      action: 'cross-reference.delete', target: `${channel}/${kind}/${key}`, before: audited(before), after: null,
    }, deps.clock.now());
    return reply.code(204).send(null);
  });
}

function wrongShape(kind: string, pointer: string, detail: string): CrossdockError {
  return new CrossdockError('request.invalid', `the body is not a ${kind} cross-reference`, { errors: [{ pointer, detail }] });
}
