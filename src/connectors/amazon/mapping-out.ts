import { createHash } from 'node:crypto';
import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';

/**
 * Canonical shipment / availability → Amazon request bodies. Pure: the connector sends them.
 */

/**
 * CarrierCode values of Amazon's list (amzn-base.xsd, the list `confirmShipment` refers to)
 * that a carrier name may match as is (case-insensitive). Anything else goes as `Other` with
 * the name in `carrierName`, which Amazon accepts for unlisted carriers.
 */
const KNOWN_CARRIER_CODES = [
  'USPS', 'UPS', 'UPSMI', 'FedEx', 'DHL', 'DHL Global Mail', 'Fastway', 'GLS', 'GO!', 'Hermes Logistik Gruppe',
  'Royal Mail', 'Parcelforce', 'City Link', 'TNT', 'Target', 'SagawaExpress', 'NipponExpress', 'YamatoTransport',
  'UPS Mail Innovations', 'FedEx SmartPost', 'OSM', 'OnTrac', 'Streamlite', 'Newgistics', 'Canada Post',
  'Blue Package', 'Chronopost', 'Deutsche Post', 'DPD', 'La Poste', 'Poste Italiane', 'SDA', 'Yodel', 'Amazon Shipping',
] as const;

export interface ConfirmShipmentBody {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: { orderItemId: string; quantity: number }[];
  };
}

export type ConfirmationPlan =
  | { ok: true; amazonOrderId: string; body: ConfirmShipmentBody }
  | { ok: false; reason: string };

/**
 * `packageReferenceId` identifies a package within an order and "only positive numeric values
 * are supported" (Orders API v0 PackageReferenceId). Sending the same id again edits that
 * package instead of adding one ("Confirm the shipment status" guide), which makes a retried
 * publish safe. A numeric shipment id is used as is; any other is turned into a stable
 * positive number (first 48 bits of its SHA-256), so the same shipment always maps to the
 * same package.
 */
export function packageReferenceId(shipmentId: string): string {
  if (/^[1-9]\d{0,14}$/.test(shipmentId)) return shipmentId;
  const digest = createHash('sha256').update(shipmentId, 'utf8').digest();
  return String(digest.readUIntBE(0, 6) + 1);
}

export function carrierFields(carrier: string, carrierCodes: Readonly<Record<string, string>>): { carrierCode: string; carrierName?: string } {
  const configured = Object.hasOwn(carrierCodes, carrier) ? carrierCodes[carrier] : undefined;
  if (configured !== undefined) return configured === 'Other' ? { carrierCode: 'Other', carrierName: carrier } : { carrierCode: configured };
  const known = KNOWN_CARRIER_CODES.find((code) => code.toLowerCase() === carrier.trim().toLowerCase());
  return known === undefined ? { carrierCode: 'Other', carrierName: carrier } : { carrierCode: known };
}

/**
 * A canonical shipment as one Amazon package. Lines are matched to Amazon order items by
 * `lineId` (the OrderItemId the mapping set), else by SKU; quantities go back to Amazon units
 * when a pack factor turned them into crossdock units (`amazonQuantityOrdered` on the line).
 * Amazon takes one tracking number per package: further numbers are not sent (Amazon wants a
 * package per tracking number, and crossdock does not know which lines each one holds).
 */
export function shipmentToConfirmation(
  shipment: ShipmentSubmission,
  order: Order,
  settings: { carrierCodes: Readonly<Record<string, string>>; marketplaceIds: readonly string[] },
): ConfirmationPlan {
  const tracking = shipment.tracking[0]?.number;
  if (tracking === undefined) return { ok: false, reason: 'Amazon requires a tracking number to confirm a shipment (PackageDetail.trackingNumber)' };
  const marketplaceId = order.attributes?.marketplaceId ?? settings.marketplaceIds[0];
  if (marketplaceId === undefined) return { ok: false, reason: 'no marketplace id on the order or in the settings' };

  const quantities = new Map<string, number>();
  for (const line of shipment.lines) {
    const orderLine = order.lines.find((l) => line.lineId !== undefined && l.lineId === line.lineId)
      ?? order.lines.find((l) => l.lineId !== undefined && l.sku === line.sku);
    if (orderLine?.lineId === undefined) return { ok: false, reason: `shipment line ${line.lineId ?? line.sku} matches no Amazon order item of ${order.channelOrderId}` };
    const perAmazonUnit = unitsPerAmazonUnit(orderLine);
    const amazonQuantity = line.quantity / perAmazonUnit;
    if (!Number.isInteger(amazonQuantity) || amazonQuantity <= 0) {
      return { ok: false, reason: `shipment line ${orderLine.lineId}: ${line.quantity} ${orderLine.uom} is not a whole number of Amazon units (${perAmazonUnit} each)` };
    }
    quantities.set(orderLine.lineId, (quantities.get(orderLine.lineId) ?? 0) + amazonQuantity);
  }

  return {
    ok: true,
    amazonOrderId: order.channelOrderId,
    body: {
      marketplaceId,
      packageDetail: {
        packageReferenceId: packageReferenceId(shipment.shipmentId),
        ...carrierFields(shipment.carrier, settings.carrierCodes),
        ...(shipment.service === undefined ? {} : { shippingMethod: shipment.service }),
        trackingNumber: tracking,
        shipDate: new Date(shipment.shippedAt).toISOString(),
        orderItems: [...quantities].map(([orderItemId, quantity]) => ({ orderItemId, quantity })),
      },
    },
  };
}

function unitsPerAmazonUnit(line: Order['lines'][number]): number {
  const ordered = Number(line.attributes?.amazonQuantityOrdered);
  return Number.isInteger(ordered) && ordered > 0 ? line.quantity / ordered : 1;
}

export interface ListingsPatch {
  sellerSku: string;
  body: {
    productType: string;
    patches: { op: 'replace'; path: '/attributes/fulfillment_availability'; value: { fulfillment_channel_code: 'DEFAULT'; quantity: number }[] }[];
  };
}

/**
 * Availability → Listings Items `patchListingsItem`: replaces the merchant-fulfilled quantity
 * (`fulfillment_channel_code` DEFAULT; Amazon counts FBA stock itself). The SKU is published
 * under its Amazon SellerSKU (`skus` cross-reference, else unchanged).
 */
export function availabilityToPatch(update: AvailabilityUpdate, settings: { productType: string; skus: Readonly<Record<string, string>> }): ListingsPatch {
  const sellerSku = Object.hasOwn(settings.skus, update.sku) ? settings.skus[update.sku]! : update.sku;
  return {
    sellerSku,
    body: {
      productType: settings.productType,
      patches: [{
        op: 'replace',
        path: '/attributes/fulfillment_availability',
        value: [{ fulfillment_channel_code: 'DEFAULT', quantity: update.available }],
      }],
    },
  };
}
