import Type from 'typebox';
import { CrossdockError } from '../errors/crossdock-error.js';
import { SCHEMAS, findSchema, toJsonSchema } from '../canonical/registry.js';
import type { HttpServer } from './server.js';
import { ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';

/** The schema registry: canonical documents as versioned JSON Schema. */
export async function schemaRoutes(app: HttpServer): Promise<void> {
  app.get('/v1/schemas', {
    config: { scope: 'public' },
    schema: {
      summary: 'Published canonical schemas', tags: ['schemas'],
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), version: Type.Integer(), description: Type.String(), href: Type.String() })) }) },
    },
  }, async () => ({
    items: SCHEMAS.map((s) => ({ name: s.name, version: s.version, description: s.description, href: `/v1/schemas/${s.name}/${s.version}` })),
  }));

  app.get('/v1/schemas/:name/:version', {

    config: { scope: 'public' },
    schema: {
      summary: 'One schema as JSON Schema (2020-12)', tags: ['schemas'],
      params: Type.Object({ name: Type.String(), version: Type.String({ pattern: '^[0-9]+$' }) }),
      response: { 200: Type.Unknown(), 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const entry = findSchema(request.params.name, Number(request.params.version));
    if (!entry) return sendProblem(reply, new CrossdockError('request.not-found', `no schema ${request.params.name} v${request.params.version}`));
    return reply.type('application/schema+json').send(toJsonSchema(entry));
  });
}
