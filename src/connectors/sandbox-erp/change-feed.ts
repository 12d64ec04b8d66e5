import type { CallContext, ChangeCursor, ChangePage, ErpChangeFeed } from '../capabilities.js';
import type { HttpClient, HttpResponse } from '../../protect/types.js';
import { expectAnswer } from './answers.js';
import { InvoiceChanges, ShipmentChanges, StockChanges } from './fulfilment-documents.js';
import { invoiceFromSandbox, shipmentFromSandbox, stockLevelFromSandbox } from './mapping.js';

/** What every change page answers besides its records. */
interface PageInfo {
  cursor: string;
  more: boolean;
  next?: string;
}

/**
 * Change capture from the sandbox ERP: `GET /api/changes/{shipments,invoices,stock}` from the
 * cursor, page after page while the ERP says `more`. The ERP applies the overlap window and
 * answers oldest first; the cursor is the one its last page gives (its clock, never crossdock's).
 * A poll that finds nothing costs one call per feed.
 */
export function createSandboxChangeFeed(deps: { http: HttpClient; pageSize?: number }): ErpChangeFeed {
  const { http, pageSize } = deps;

  /** Every page of one feed from `since`: `parse` checks an answer, `records` maps its records. */
  async function readAll<P extends PageInfo, T>(
    feed: string,
    since: ChangeCursor | undefined,
    ctx: CallContext,
    parse: (response: HttpResponse, operation: string) => P,
    records: (page: P) => T[],
  ): Promise<ChangePage<T>> {
    const operation = `changes.${feed}`;
    const items: T[] = [];
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams();
      if (since !== undefined) query.set('since', since);
      if (after !== undefined) query.set('after', after);
      if (pageSize !== undefined) query.set('limit', String(pageSize));
      const response = await http.request({ method: 'GET', path: `/api/changes/${feed}?${query.toString()}`, operation }, ctx);
      const page = parse(response, operation);
      items.push(...records(page));
      // A `next` that does not move on would loop for ever: stop at what has been read.
      if (!page.more || page.next === undefined || page.next === after) return { items, cursor: page.cursor };
      after = page.next;
    }
  }

  return {
    shipments: (since, ctx) => readAll('shipments', since, ctx, (r, op) => expectAnswer(r, 200, ShipmentChanges, op), (page) => page.shipments.map(shipmentFromSandbox)),
    invoices: (since, ctx) => readAll('invoices', since, ctx, (r, op) => expectAnswer(r, 200, InvoiceChanges, op), (page) => page.invoices.map(invoiceFromSandbox)),
    stock: (since, ctx) => readAll('stock', since, ctx, (r, op) => expectAnswer(r, 200, StockChanges, op), (page) => page.levels.map(stockLevelFromSandbox)),
  };
}
