import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

/** `/metrics` for Prometheus and `/health` for load balancers. */
export async function opsRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.get('/metrics', { config: { scope: 'metrics:read' }, schema: { hide: true } }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
  app.get('/health', { config: { scope: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
}
