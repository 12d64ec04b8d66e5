import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { HttpServer } from './server.js';

/**
 * The console's files sit at the package root, beside `src/` and `dist/`: this module is two
 * folders below it whether it runs from the checkout (src/api) or the built package (dist/api).
 */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../console/', import.meta.url));

/** uPlot's browser build, served as the console's only third-party script. */
function uplotDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('uplot/package.json')), 'dist');
}

/**
 * The console trusts nothing it displays (payloads are written by channels and partners), so the
 * page may run only its own scripts and styles, never be framed, and never leak its URL.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The operations console at `/console/`: a single page of static files calling the same `/v1`
 * API as every other client, so it can do nothing a caller with the same scopes could not.
 */
export async function consoleRoutes(app: HttpServer, root: string = CONSOLE_ROOT): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) throw new Error(`the console's files are missing: ${root}index.html`);
  // An encapsulated plugin: its routes (and only they) are public, like the API docs.
  await app.register(async (ui) => {
    ui.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' };
    });
    ui.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(CONSOLE_SECURITY_HEADERS);
      return payload;
    });
    ui.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/', 301));
    await ui.register(fastifyStatic, {
      root,
      prefix: '/console/',
      index: ['index.html'],
      // The files change with the package version, not while it runs: revalidate with the ETag.
      cacheControl: true,
      maxAge: 0,
      etag: true,
      lastModified: true,
      wildcard: true,
      // Type declarations beside the modules are for crossdock's own tests, not the browser.
      allowedPath: (path) => !path.endsWith('.d.ts'),
      schemaHide: true,
    });
    await ui.register(fastifyStatic, {
      root: uplotDist(),
      prefix: '/console/vendor/',
      decorateReply: false,
      allowedPath: (path) => /^\/uPlot\.(esm\.js|min\.css)$/.test(path),
      cacheControl: true,
      maxAge: 0,
      etag: true,
      schemaHide: true,
    });
  });
}
