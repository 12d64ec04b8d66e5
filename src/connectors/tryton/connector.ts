import type { ErpConnector } from '../capabilities.js';
import type { HttpClient } from '../../protect/types.js';
import { createTrytonChangeFeed } from './change-feed.js';
import { createTrytonMasterData } from './master-data.js';
import { createTrytonOrderSink } from './order-sink.js';
import { createReferenceData } from './reference-data.js';
import { createTrytonRpc, TRYTON_SYSTEM } from './rpc.js';
import type { TrytonSettings } from './settings.js';
import { createTrytonPrices, createTrytonStock } from './stock.js';

export { TRYTON_SYSTEM } from './rpc.js';

export interface TrytonConnectorDeps {
  /**
   * HTTP to trytond (base URL `settings.url`, no database path), already wrapped by the Tryton
   * target's protection policy. Every call the connector makes goes through it.
   */
  http: HttpClient;
  settings: TrytonSettings;
}

/**
 * Tryton 6.0 over JSON-RPC as crossdock's ERP: master data, the order sink (sales taken to
 * `processing`), change capture of shipments, invoices and stock by polling, stock levels and
 * customer prices. One session per connector, renewed when Tryton ends it.
 */
export function createTrytonConnector(deps: TrytonConnectorDeps): ErpConnector {
  const { http, settings } = deps;
  const rpc = createTrytonRpc({ http, database: settings.database, user: settings.user, password: settings.password, ...(settings.company === undefined ? {} : { company: settings.company }) });
  const reference = createReferenceData(rpc);
  const masterData = createTrytonMasterData({ rpc, settings, reference });
  const stock = createTrytonStock({ rpc, settings, reference, masterData });
  return {
    name: TRYTON_SYSTEM,
    masterData: { getCustomer: masterData.getCustomer, getItems: masterData.getItems },
    orderSink: createTrytonOrderSink({ rpc, settings, reference, masterData }),
    changes: createTrytonChangeFeed({ rpc, settings, stock }),
    allocatesOrders: true,
    stock: { levels: stock.levels, ...(stock.allLevels ? { allLevels: stock.allLevels } : {}) },
    prices: createTrytonPrices({ rpc, settings, reference, masterData }),
  };
}
