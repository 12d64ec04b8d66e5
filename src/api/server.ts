import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { context } from '@opentelemetry/api';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CrossdockError } from '../errors/crossdock-error.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../observability/logger.js';
import type { RequestTrace, Tracing } from '../observability/tracing.js';
import { problemFromError, sendProblem } from './problem.js';
import '../auth/scopes.js';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
    /** The body exactly as received, for the journal. */
    rawBody?: string;
    /** The trace context the handler runs in and the request's SERVER span; null when there is none. */
    trace: RequestTrace | null;
  }
}

export interface HttpServerOptions {
  logger: Logger | false;
  bodyLimitBytes: number;
  /** Fastify's `trustProxy`: which proxies' `X-Forwarded-For` sets `request.ip`. */
  trustProxy?: boolean | string;
  /** Access control (src/auth/access-control.ts), installed before any route so that every route is checked and recorded. */
  access?: { install(app: FastifyInstance): void };
  /** Every request gets a SERVER span, and its handler runs in its trace context. */
  tracing?: Tracing;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The Fastify instance every API plugin is registered on: strict validation (no type
 * coercion, no silently dropped fields), raw body kept, errors as problem+json, OpenAPI 3.1.
 */
export async function createHttpServer(options: HttpServerOptions) {
  const app = Fastify({
    loggerInstance: (options.logger || pino({ level: 'silent' })) as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    // Requests are journaled; one log line per request would only cost throughput.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: routes log with the correlation id explicitly, and a child
    // per request (with redaction set up) was a measurable share of intake's CPU.
    childLoggerFactory: (logger) => logger,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, verbose: true, useDefaults: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('correlationId', '');
  app.decorateRequest('trace', null);
  const { tracing } = options;
  // A callback hook, not an async one: it runs on every request and needs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    const given = request.headers['x-correlation-id'];
    const traceparent = request.headers.traceparent;
    const trace = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
    request.correlationId =
      typeof given === 'string' && CORRELATION_ID.test(given) ? given : trace?.[1] ?? newId('cor');
    reply.header('x-correlation-id', request.correlationId);
    // Without an exporter and without a caller's trace there is nothing to do: intake stays cheap.
    if (tracing && (tracing.recording || trace)) request.trace = startRequestTrace(tracing, request, trace ? traceparent as string : undefined);
    done();
  });
  if (tracing) {
    // Handlers run inside the request's trace context, so what they enqueue and call continues it.
    app.addHook('onRoute', (route) => {
      const handler = route.handler;
      route.handler = function traced(this: FastifyInstance, request, reply) {
        return request.trace ? context.with(request.trace.context, handler, this, request, reply) : handler.call(this, request, reply);
      };
    });
    app.addHook('onResponse', (request, reply, done) => {
      request.trace?.span?.end(reply.statusCode);
      done();
    });
  }

  // JSON only: a text/plain body is refused with 415, not parsed as a string and refused later.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new CrossdockError('request.invalid-json', `the body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemFromError(error, request.headers['content-type']);
    if (problem.kind === 'defect') request.log.error({ err: error, correlationId: request.correlationId }, 'unexpected error');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new CrossdockError('request.not-found', `no route for ${request.method} ${request.url}`)));

  options.access?.install(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'crossdock API', version: '1', description: 'Orders in from every channel, into the ERP exactly once.' },
      components: {},
    },
  });
  // The API's documentation is public, like its JSON schemas.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  return app;
}

/** The request's SERVER span, named by its route pattern (`POST /v1/orders`), never by its URL. */
function startRequestTrace(tracing: Tracing, request: FastifyRequest, traceparent: string | undefined): RequestTrace | null {
  const route = request.routeOptions.url;
  return tracing.startServerSpan(route === undefined ? request.method : `${request.method} ${route}`, traceparent, {
    'http.request.method': request.method,
    ...(route === undefined ? {} : { 'http.route': route }),
    'url.path': request.url.split('?', 1)[0],
    'crossdock.correlation_id': request.correlationId,
  }) ?? null;
}

export type HttpServer = Awaited<ReturnType<typeof createHttpServer>>;
export type { FastifyInstance };
