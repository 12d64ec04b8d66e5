import type { FastifyInstance } from 'fastify';
import type { ErpConnector } from '../capabilities.js';
import type { HttpClient } from '../../protect/types.js';
import { createSandboxErpConnector } from './connector.js';
import type { SandboxErpKnobsPatch } from './knobs.js';
import { sandboxErpRoutes } from './server.js';
import { openSandboxErpState, type SandboxErpState } from './state.js';

/** What the sandbox ERP connector is and offers. */
export const sandboxErpManifest = {
  name: 'sandbox-erp',
  kind: 'erp',
  capabilities: ['masterData', 'orderSink', 'changes', 'stock', 'prices'],
} as const;

export interface SandboxErp {
  /** The connector, talking to the ERP through `http`. */
  readonly connector: ErpConnector;
  /** The ERP's books, for tests that look behind its API. */
  readonly state: SandboxErpState;
  /** Mounts the ERP's routes (`/sandbox/erp/...`) on `app`; `http` must point there. */
  register(app: FastifyInstance): Promise<void>;
  /** Closes the ERP's database; close `app` first so the last call counts are written. */
  close(): Promise<void>;
}

/**
 * The in-process sandbox ERP in one call: its books in `dataDir`, its routes ready to mount,
 * and a connector that reaches them over `http`, whose base URL must end in `/sandbox/erp`
 * (requests go through HTTP even in-process, so the protection policy sees real calls).
 */
export function createSandboxErp(options: { dataDir: string; knobs?: SandboxErpKnobsPatch; http: HttpClient }): SandboxErp {
  const state = openSandboxErpState(options.dataDir);
  const close = async (): Promise<void> => state.close();
  return {
    connector: { ...createSandboxErpConnector({ http: options.http }), close },
    state,
    async register(app) {
      await app.register(sandboxErpRoutes, { state, knobs: options.knobs });
    },
    close,
  };
}
