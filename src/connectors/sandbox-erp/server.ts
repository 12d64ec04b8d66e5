import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '../../lib/clock.js';
import { sandboxErpAdminRoutes } from './admin-routes.js';
import { sandboxErpApiRoutes } from './api-routes.js';
import { FaultInjector } from './faults.js';
import { knobsFrom, type SandboxErpKnobsPatch } from './knobs.js';
import type { RandomSource } from './latency.js';
import type { SandboxErpRuntime } from './runtime.js';
import { openSandboxErpState, type SandboxErpState } from './state.js';
import { CallStats } from './stats.js';

/** Where the sandbox ERP's routes live, on crossdock's server or its own. */
export const SANDBOX_ERP_PREFIX = '/sandbox/erp';

/** Options of `sandboxErpRoutes`. */
export interface SandboxErpRoutesOptions {
  /** The ERP's books; the caller opens and closes them. */
  state: SandboxErpState;
  /** Initial knobs over the defaults; validated here (a bad value fails the registration). */
  knobs?: SandboxErpKnobsPatch;
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: RandomSource;
  /** How often call counters are written to the ERP's database, ms. @default 1000 */
  statsFlushMs?: number;
}

/**
 * The sandbox ERP as a Fastify plugin: its API under `/sandbox/erp/api/...` and its admin API
 * under `/sandbox/erp/...` (see `api-routes.ts` and `admin-routes.ts`). Register it without a
 * prefix; it adds its own. Encapsulated: its validator, error format and hooks stay inside.
 */
export async function sandboxErpRoutes(app: FastifyInstance, options: SandboxErpRoutesOptions): Promise<void> {
  const { state } = options;
  const clock = options.clock ?? systemClock;
  const runtime: SandboxErpRuntime = {
    state,
    faults: new FaultInjector(knobsFrom(options.knobs ?? {}), clock, options.random ?? Math.random),
    stats: new CallStats(state.loadCounters(), clock),
  };

  const flush = (): void => {
    if (!state.isOpen) return;
    const delta = runtime.stats.takeDelta();
    if (delta) state.saveCounters(delta);
  };
  const timer = setInterval(flush, options.statsFlushMs ?? 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    flush();
  });

  await app.register(
    async (erp) => {
      // Its own validator, so the ERP answers the same whatever ajv options the host app chose.
      erp.setValidatorCompiler(TypeBoxValidatorCompiler);
      erp.setErrorHandler(erpErrorHandler);
      // Hosted in crossdock's server, the sandbox stands for a system outside it: its routes
      // are crossdock's access control's `sandbox` scope (src/auth/scopes.ts).
      erp.addHook('onRoute', (route) => {
        route.config = { ...route.config, scope: 'sandbox' };
      });
      await erp.register(sandboxErpApiRoutes, runtime);
      await erp.register(sandboxErpAdminRoutes, runtime);
    },
    { prefix: SANDBOX_ERP_PREFIX },
  );
}

/** Errors in the ERP's own shape (`{ code, message }`), not crossdock's problem+json. */
function erpErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const code = status === 500 ? 'internal-error' : 'invalid-request';
  return reply.code(status).send({ code, message: error.message });
}

/** Options of `startSandboxErpServer`. */
export interface StartSandboxErpServerOptions {
  /** Holds `sandbox-erp.db`. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  knobs?: SandboxErpKnobsPatch;
  clock?: Clock;
  random?: RandomSource;
}

/** A running standalone sandbox ERP. */
export interface SandboxErpServer {
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Base URL for the connector's HTTP client: `url` + `/sandbox/erp`. */
  apiBaseUrl: string;
  state: SandboxErpState;
  /** Stops listening, flushes counters and closes the database. */
  close(): Promise<void>;
}

/** Runs the sandbox ERP as its own HTTP server (`crossdock sandbox-erp --port N`). */
export async function startSandboxErpServer(options: StartSandboxErpServerOptions): Promise<SandboxErpServer> {
  const host = options.host ?? '127.0.0.1';
  const state = openSandboxErpState(options.dataDir, { clock: options.clock });
  // A 5,000-line order is a few megabytes of JSON.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  try {
    await app.register(sandboxErpRoutes, { state, knobs: options.knobs, clock: options.clock, random: options.random });
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app.close();
    state.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    apiBaseUrl: `${url}${SANDBOX_ERP_PREFIX}`,
    state,
    async close() {
      await app.close();
      state.close();
    },
  };
}
