import type { Config } from '../config/config.js';
import type { HttpServer } from '../api/server.js';
import type { ErpConnector } from '../connectors/capabilities.js';
import { createSandboxErpConnector } from '../connectors/sandbox-erp/connector.js';
import { sandboxErpRoutes, SANDBOX_ERP_PREFIX } from '../connectors/sandbox-erp/server.js';
import { openSandboxErpState, type SandboxErpState } from '../connectors/sandbox-erp/state.js';
import type { SandboxErpKnobsPatch } from '../connectors/sandbox-erp/knobs.js';
import { MasterDataCache } from '../flows/order/master-data-cache.js';
import type { Clock } from '../lib/clock.js';
import { createHttpClient } from '../protect/http-client.js';
import type { PolicyRegistry } from '../protect/registry.js';
import { createTrytonConnector } from '../connectors/tryton/connector.js';
import type { TrytonSettings } from '../connectors/tryton/settings.js';

/** The protection-policy target name of the ERP. */
export const ERP_TARGET = 'erp';

export interface InProcessSandbox {
  state: SandboxErpState;
  close(): Promise<void>;
}

export interface AttachedErp {
  connector: ErpConnector;
  description: string;
  close(): Promise<void>;
}

/**
 * How crossdock reaches its ERP. The sandbox ERP runs in-process by default, mounted on
 * crossdock's own server under /sandbox/erp and still called over HTTP, so the protection
 * policy, timeouts and dropped connections behave exactly as with a remote ERP.
 */
export const attachErp = {
  async mountInProcess(http: HttpServer, config: Config): Promise<InProcessSandbox | undefined> {
    if (config.erp.kind !== 'sandbox' || config.erp.url) return undefined;
    const state = openSandboxErpState(config.dataDir);
    await http.register(sandboxErpRoutes, { state, knobs: config.erp.knobs as SandboxErpKnobsPatch });
    return { state, close: async () => state.close() };
  },

  connect(config: Config, deps: { baseUrl: string; policies: PolicyRegistry; clock: Clock; sandbox: InProcessSandbox | undefined }): AttachedErp {
    if (config.erp.kind === 'tryton') return connectTryton(config.erp.tryton, deps);
    const baseUrl = config.erp.url ?? `${deps.baseUrl}${SANDBOX_ERP_PREFIX}`;
    const http = createHttpClient({ baseUrl, target: ERP_TARGET, policy: deps.policies.get(ERP_TARGET), clock: deps.clock });
    const raw = createSandboxErpConnector({ http });
    const connector: ErpConnector = { ...raw, masterData: new MasterDataCache(raw.masterData, deps.clock) };
    return {
      connector,
      description: `sandbox ERP at ${baseUrl}${deps.sandbox ? ' (in-process)' : ''}`,
      close: async () => raw.close?.(),
    };
  },
};

function connectTryton(settings: TrytonSettings, deps: { policies: PolicyRegistry; clock: Clock }): AttachedErp {
  const http = createHttpClient({ baseUrl: settings.url, target: ERP_TARGET, policy: deps.policies.get(ERP_TARGET), clock: deps.clock });
  const raw = createTrytonConnector({ http, settings });
  const connector: ErpConnector = { ...raw, masterData: new MasterDataCache(raw.masterData, deps.clock) };
  return {
    connector,
    description: `Tryton database ${settings.database} at ${settings.url} (user ${settings.user})`,
    close: async () => raw.close?.(),
  };
}
