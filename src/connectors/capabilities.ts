import type { Order } from '../canonical/order.js';

/**
 * What flows depend on. Flows import this file, never a connector folder, so adding a channel
 * or replacing the ERP never edits a flow.
 */

/** Passed to every outbound call: ties it to the journal and lets it be cancelled. */
export interface CallContext {
  readonly correlationId: string;
  readonly signal?: AbortSignal;
  /** Called once per attempt (including retries inside the protection policy), for the journal. */
  readonly onAttempt?: (attempt: AttemptReport) => void;
}

export interface AttemptReport {
  target: string;
  operation: string;
  attempt: number;
  outcome: 'ok' | 'error';
  latencyMs: number;
  /** Error code from the catalogue when the attempt failed. */
  errorCode?: string;
  errorMessage?: string;
  /** HTTP status or equivalent, when there was an answer. */
  status?: number;
  /** The payload sent, as transformed for the target. */
  request?: unknown;
  /** The target's answer (or a summary of it). */
  response?: unknown;
}

/** A reference to a document in an external system. */
export interface ExternalRef {
  system: string;
  /** The external system's own id. */
  id: string;
  /** The number people see (sales order number), when it differs from the id. */
  number?: string;
  /** Set by a create that found the document already there (the target refused a duplicate). */
  existed?: boolean;
}

export interface ErpCustomer {
  accountId: string;
  name: string;
  currency: string;
  /** Decimal string; null when the customer has no limit. */
  creditLimit: string | null;
  /** Open balance, decimal string. */
  balance: string;
  /** A manual credit hold set in the ERP. */
  onHold: boolean;
}

export interface ErpItem {
  sku: string;
  description: string;
  uom: string;
  active: boolean;
}

/** Customers and items as the ERP knows them. Flows cache these. */
export interface MasterData {
  getCustomer(accountId: string, ctx: CallContext): Promise<ErpCustomer | undefined>;
  /** Looks up several SKUs in one call; absent SKUs are missing from the map. */
  getItems(skus: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>>;
}

/** Where accepted orders are posted (an ERP). */
export interface OrderSink {
  /**
   * Finds the sales order carrying crossdock's order id as external reference. Called before
   * every create, so a retry after a lost response never creates a second order.
   */
  findByExternalRef(externalRef: string, ctx: CallContext): Promise<ExternalRef | undefined>;
  /**
   * Creates the sales order with `order.id` as external reference. Business refusals are thrown
   * as `CrossdockError`s of kind `business` (`customer.credit-hold`, `sku.unknown`, `erp.rejected`).
   */
  create(order: Order, ctx: CallContext): Promise<ExternalRef>;
}

/** An ERP as the order flow sees it. */
export interface ErpConnector {
  readonly name: string;
  readonly masterData: MasterData;
  readonly orderSink: OrderSink;
  close?(): Promise<void>;
}
