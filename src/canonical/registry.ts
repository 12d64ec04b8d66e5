import type { TSchema } from 'typebox';
import { AvailabilityUpdate } from './availability.js';
import { InvoiceSubmission, INVOICE_SCHEMA_VERSION } from './invoice.js';
import { Order, OrderSubmission, ORDER_SCHEMA_VERSION } from './order.js';
import { ShipmentSubmission, SHIPMENT_SCHEMA_VERSION } from './shipment.js';

/** One published schema: a canonical entity (or API document) at one version. */
export interface SchemaEntry {
  name: string;
  version: number;
  description: string;
  schema: TSchema;
}

/**
 * The schema registry: every canonical document crossdock publishes, by name and version.
 * Served at `GET /v1/schemas`; old versions stay listed when new ones are added.
 */
export const SCHEMAS: readonly SchemaEntry[] = [
  { name: 'order', version: ORDER_SCHEMA_VERSION, description: 'Canonical Order as crossdock keeps it', schema: Order },
  { name: 'order-submission', version: ORDER_SCHEMA_VERSION, description: 'Order as submitted to POST /v1/orders', schema: OrderSubmission },
  { name: 'shipment', version: SHIPMENT_SCHEMA_VERSION, description: 'A shipment of (part of) an order: carrier, tracking, packages, lines (POST /v1/shipments)', schema: ShipmentSubmission },
  { name: 'invoice', version: INVOICE_SCHEMA_VERSION, description: 'An invoice for (part of) an order, as the ERP posted it', schema: InvoiceSubmission },
  { name: 'availability-update', version: 1, description: 'What a channel may sell of one SKU (POST /v1/availability)', schema: AvailabilityUpdate },
];

export function findSchema(name: string, version: number): SchemaEntry | undefined {
  return SCHEMAS.find((s) => s.name === name && s.version === version);
}

/** The schema as standalone JSON Schema (draft 2020-12), with a stable `$id`. */
export function toJsonSchema(entry: SchemaEntry): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(entry.schema)) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...copy,
    $id: `urn:crossdock:schema:${entry.name}:${entry.version}`,
    title: `${entry.name} v${entry.version}`,
    description: entry.description,
  };
}
