import Type from 'typebox';
import { createApiClient, CLIENT_ID_PATTERN, issueApiKey, listApiClients, revokeApiKey, updateApiClient } from '../auth/api-clients.js';
import { actedBy } from '../auth/audit.js';
import { SCOPES } from '../auth/scopes.js';
import { StringEnum } from '../canonical/common.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { AccessApiDeps } from './session.js';

const Scopes = Type.Array(StringEnum(SCOPES, 'scope (docs/access.md)'), { uniqueItems: true });
const Rate = Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()], { description: 'Requests per minute; null: `access.defaultRatePerMinute`' });
const KeySchema = Type.Object({
  id: Type.String(), prefix: Type.String(), createdAt: Type.String(), expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]), lastUsedAt: Type.Union([Type.String(), Type.Null()]), active: Type.Boolean(),
});
const ClientSchema = Type.Object({
  id: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()), ratePerMinute: Type.Union([Type.Integer(), Type.Null()]),
  disabled: Type.Boolean(), createdAt: Type.String(), updatedAt: Type.String(),
});

/** API clients and their keys (scope `admin`); every change is audited. */
export async function apiClientRoutes(app: HttpServer, deps: AccessApiDeps): Promise<void> {
  app.get('/v1/api-clients', {
    config: { scope: 'admin' },
    schema: {
      summary: 'API clients, their scopes, rates and keys (never the keys themselves)', tags: ['access'],
      response: { 200: Type.Object({ items: Type.Array(Type.Intersect([ClientSchema, Type.Object({ keys: Type.Array(KeySchema) })])) }) },
    },
  }, async () => ({ items: await listApiClients(deps.store, deps.clock.now()) }));

  app.post('/v1/api-clients', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Add an API client (then issue it a key)', tags: ['access'],
      body: Type.Object({
        id: Type.String({ pattern: CLIENT_ID_PATTERN, description: 'client id: letters, digits and ._@-' }), name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        scopes: Scopes, ratePerMinute: Type.Optional(Rate),
      }, { additionalProperties: false }),
      response: { 201: ClientSchema, 409: ProblemSchema, 422: ProblemSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createApiClient(deps.store, request.body, actedBy(request), deps.clock.now())));

  app.patch('/v1/api-clients/:id', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Change an API client\'s name, scopes, rate or disabled flag', tags: ['access'],
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), scopes: Type.Optional(Scopes), ratePerMinute: Type.Optional(Rate),
        disabled: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: ClientSchema, 404: ProblemSchema, 422: ProblemSchema },
    },
  }, async (request) => {
    const view = await updateApiClient(deps.store, request.params.id, request.body, actedBy(request), deps.clock.now());
    deps.access.forgetClient(request.params.id);
    return view;
  });

  app.post('/v1/api-clients/:id/keys', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Issue an API key (shown once); at most two are active, `rotate` revokes the oldest', tags: ['access'],
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({
        rotate: Type.Optional(Type.Boolean({ description: 'With two keys active, revoke the oldest instead of refusing' })),
        expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({ key: Type.String({ description: 'The key: store it now, it is not shown again' }), apiKey: KeySchema, revoked: Type.Array(KeySchema) }),
        404: ProblemSchema, 409: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const issued = await issueApiKey(deps.store, request.params.id, request.body, actedBy(request), deps.clock.now());
    if (issued.revoked.length > 0) deps.access.forgetClient(request.params.id);
    return reply.code(201).header('cache-control', 'no-store').send(issued);
  });

  app.delete('/v1/api-clients/:id/keys/:keyId', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Revoke an API key at once', tags: ['access'],
      params: Type.Object({ id: Type.String(), keyId: Type.String() }), response: { 204: Type.Null(), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    await revokeApiKey(deps.store, request.params.id, request.params.keyId, actedBy(request), deps.clock.now());
    deps.access.forgetClient(request.params.id);
    return reply.code(204).send(null);
  });
}
