import type { CallContext, ChangeCursor, ChangePage, ErpChangeFeed, ErpInvoice, ErpShipment, ErpStockLevel } from '../capabilities.js';
import { trytonDatetime } from './codec.js';
import { invoiceFromTryton, shipmentsFromTryton, stampOf } from './mapping.js';
import {
  expectRecords,
  INVOICE_LINE_FIELDS,
  invoiceFields,
  moveFields,
  shipmentFields,
  CHANGED_MOVE_FIELDS,
  TrytonInvoice,
  TrytonInvoiceLine,
  TrytonMove,
  TrytonShipment,
  TrytonChangedMove,
  type TrytonInvoiceLine as InvoiceLine,
  type TrytonStamped,
  type TrytonMove as Move,
} from './records.js';
import { chunks, READ_CHUNK, type TrytonDomain, type TrytonRecord, type TrytonRpc } from './rpc.js';
import type { TrytonSettings } from './settings.js';
import type { StockReader } from './stock.js';

/** The cursor of a first poll that found nothing: the beginning of time, so the next poll reads everything. */
export const START_CURSOR: ChangeCursor = '1970-01-01T00:00:00.000000Z';

/**
 * Change capture by polling, for Tryton has no webhooks: records whose `write_date` (or
 * `create_date`, never written) is at or after the cursor less the overlap window.
 *
 * Pages are read by id (`id > last id seen`), not by offset: a record rewritten during the poll
 * moves in a `write_date` order and would shift an offset page past a record never seen again.
 * Paging by id, such a record can only be missed by this poll, and its new `write_date` falls
 * inside the next poll's overlap. Each poll's findings are then sorted oldest first.
 */
export function createTrytonChangeFeed(deps: { rpc: TrytonRpc; settings: TrytonSettings; stock: StockReader }): ErpChangeFeed {
  const { rpc, settings, stock } = deps;

  function changedSince(since: ChangeCursor | undefined): TrytonDomain {
    if (since === undefined || since === START_CURSOR) return [];
    const from = trytonDatetime(since, -settings.overlapSeconds);
    return [['OR', ['write_date', '>=', from], [['write_date', '=', null], ['create_date', '>=', from]]]];
  }

  /** Every changed record of `model` matching `domain`, a page (one call) at a time. */
  async function* changedPages(model: string, domain: TrytonDomain, fields: readonly string[], since: ChangeCursor | undefined, ctx: CallContext): AsyncGenerator<TrytonRecord[]> {
    let lastId = 0;
    for (;;) {
      const page = await rpc.searchRead(model, [...domain, ...changedSince(since), ['id', '>', lastId]], fields, ctx, {
        limit: settings.pageSize,
        order: [['id', 'ASC']],
      });
      if (page.length > 0) yield page;
      if (page.length < settings.pageSize) return;
      lastId = page.at(-1)!.id;
    }
  }

  /** Collects a poll: items with the time of the record they came from, and the newest time seen. */
  function poll<T>(since: ChangeCursor | undefined) {
    const found: { stamp: string; id: number; item: T }[] = [];
    let newest = since ?? START_CURSOR;
    return {
      seen(record: TrytonStamped): string {
        const stamp = stampOf(record) ?? newest;
        if (stamp > newest) newest = stamp;
        return stamp;
      },
      add(stamp: string, id: number, item: T): void {
        found.push({ stamp, id, item });
      },
      page(): ChangePage<T> {
        found.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.id - b.id));
        return { items: found.map((entry) => entry.item), cursor: newest };
      },
    };
  }

  async function shipments(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpShipment>> {
    const result = poll<ErpShipment>(since);
    for await (const page of changedPages('stock.shipment.out', [['state', '=', 'done']], shipmentFields(settings), since, ctx)) {
      const records = expectRecords(TrytonShipment, page, 'stock.shipment.out.search_read');
      const moveIds = records.flatMap((shipment) => shipment.outgoing_moves);
      const moves = new Map<number, Move>();
      for (const chunk of chunks(moveIds, READ_CHUNK)) {
        for (const move of expectRecords(TrytonMove, await rpc.read('stock.move', chunk, moveFields(settings), ctx), 'stock.move.read')) moves.set(move.id, move);
      }
      for (const shipment of records) {
        const stamp = result.seen(shipment);
        const own = shipment.outgoing_moves.map((id) => moves.get(id)).filter((move): move is Move => move !== undefined);
        for (const item of shipmentsFromTryton(settings, shipment, own)) result.add(stamp, shipment.id, item);
      }
    }
    return result.page();
  }

  async function invoices(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpInvoice>> {
    const result = poll<ErpInvoice>(since);
    const domain = [['type', '=', 'out'], ['state', 'in', ['posted', 'paid']]];
    for await (const page of changedPages('account.invoice', domain, invoiceFields(settings), since, ctx)) {
      const records = expectRecords(TrytonInvoice, page, 'account.invoice.search_read');
      const lines = new Map<number, InvoiceLine[]>();
      for (const chunk of chunks(records.flatMap((invoice) => invoice.lines), READ_CHUNK)) {
        for (const line of expectRecords(TrytonInvoiceLine, await rpc.read('account.invoice.line', chunk, INVOICE_LINE_FIELDS, ctx), 'account.invoice.line.read')) {
          lines.set(line.invoice, [...(lines.get(line.invoice) ?? []), line]);
        }
      }
      for (const invoice of records) {
        const stamp = result.seen(invoice);
        const item = invoiceFromTryton(settings, invoice, lines.get(invoice.id) ?? []);
        if (item) result.add(stamp, invoice.id, item);
      }
    }
    return result.page();
  }

  async function stockChanges(since: ChangeCursor | undefined, ctx: CallContext): Promise<ChangePage<ErpStockLevel>> {
    const result = poll<ErpStockLevel>(since);
    const products = new Set<number>();
    for await (const page of changedPages('stock.move', [], CHANGED_MOVE_FIELDS, since, ctx)) {
      for (const move of expectRecords(TrytonChangedMove, page, 'stock.move.search_read')) {
        result.seen(move);
        products.add(move.product);
      }
    }
    // Levels are read now, not as of each move: the item is the current level, stamped with the poll's cursor.
    const cursor = result.page().cursor;
    for (const level of await stock.levelsOfProducts([...products], ctx)) result.add(cursor, 0, level);
    return result.page();
  }

  return { shipments, invoices, stock: stockChanges };
}
