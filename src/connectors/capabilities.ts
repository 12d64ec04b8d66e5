import type { InvoiceSubmission } from '../canonical/invoice.js';
import type { Order } from '../canonical/order.js';
import type { PriceRule } from '../canonical/price.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';

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
  /**
   * Takes a sales order that `findByExternalRef` found but that an earlier attempt left
   * half-way (an ERP whose posting is several calls: create, then quote, confirm, process) to
   * the state `create` leaves it in. Absent when `create` is a single call.
   */
  finish?(ref: ExternalRef, order: Order, ctx: CallContext): Promise<ExternalRef>;
  /**
   * Cancels the sales order in the ERP. `refused` (with the ERP's reason) when the ERP will not
   * cancel it any more (already shipping, invoiced). Absent when the ERP cannot be asked.
   */
  cancel?(ref: ExternalRef, ctx: CallContext): Promise<{ outcome: 'cancelled' | 'refused'; reason?: string }>;
}

/** Stock of one item in one warehouse, as the ERP counts it. */
export interface ErpStockLevel {
  /** crossdock SKU (the ERP's product code mapped back). */
  sku: string;
  /** crossdock location code (the ERP's warehouse mapped back). */
  location: string;
  /** Physically there. */
  onHand: number;
  /** On hand less what open sales and transfers will take, plus expected receipts (Tryton's forecast). */
  forecast: number;
  /** Unit of measure of both figures (crossdock code). */
  uom: string;
}

/**
 * Where change capture resumes: the ERP's own modification time of the newest record seen (ISO
 * 8601, the ERP's clock, never crossdock's). Kept durably by crossdock between polls.
 */
export type ChangeCursor = string;

/** One poll's findings. Records may repeat across polls (the overlap window): consumers are idempotent. */
export interface ChangePage<T> {
  items: T[];
  /** Where the next poll resumes; the same cursor when nothing changed. */
  cursor: ChangeCursor;
}

/** A shipment the ERP marked done, already in canonical form (`orderId` is crossdock's order id). */
export interface ErpShipment {
  shipment: ShipmentSubmission;
  /** The ERP's shipment number, for the order's timeline. */
  number: string;
  /** The ERP's sales order number it ships. */
  salesOrderNumber?: string;
}

/** An invoice the ERP posted, already in canonical form (`orderId` is crossdock's order id). */
export interface ErpInvoice {
  invoice: InvoiceSubmission;
  salesOrderNumber?: string;
  /** The ERP's invoice state (`posted`, `paid`). */
  state: string;
}

/**
 * Change capture for an ERP without webhooks: each method returns what changed since the
 * cursor (less an overlap window, so a record written during the previous poll is not missed),
 * oldest first, and where to resume. Records of orders crossdock did not post are left out.
 */
export interface ErpChangeFeed {
  shipments(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpShipment>>;
  invoices(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpInvoice>>;
  /** Current levels of every item whose stock moved since the cursor, in every mapped warehouse. */
  stock(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpStockLevel>>;
}

/** Stock per warehouse on demand (reconciliation, full loads). */
export interface StockSource {
  levels(skus: readonly string[], ctx: CallContext): Promise<ErpStockLevel[]>;
  /** Every stocked item in every warehouse crossdock reads: the periodic stock snapshot. */
  allLevels?(ctx: CallContext): Promise<ErpStockLevel[]>;
}

/** The ERP's price for a customer, item and quantity (its price lists applied). */
export interface PriceSource {
  unitPrice(accountId: string, sku: string, quantity: number, currency: string, ctx: CallContext): Promise<string | undefined>;
}

/**
 * The ERP's whole price list as canonical price rules, for the price book's periodic full load
 * (docs/prices.md). Every rule carries the source `erp:<connector name>`; a load replaces that
 * source's rules, so a price removed in the ERP leaves the book.
 */
export interface PriceListSource {
  priceRules(ctx: CallContext): Promise<PriceRule[]>;
}

/** An ERP as the flows see it. Only master data and the order sink are required. */
export interface ErpConnector {
  readonly name: string;
  readonly masterData: MasterData;
  readonly orderSink: OrderSink;
  readonly changes?: ErpChangeFeed;
  readonly stock?: StockSource;
  /**
   * Its stock figures count what open sales orders will take as allocated (Tryton's forecast);
   * false: stock leaves its figures only when it ships (the sandbox ERP).
   */
  readonly allocatesOrders?: boolean;
  readonly prices?: PriceSource;
  readonly priceList?: PriceListSource;
  close?(): Promise<void>;
}
