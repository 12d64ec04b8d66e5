import type { OrderSubmission } from '../../canonical/order.js';
import type { MappingProblem } from '../../channels/types.js';
import { clip, record, text, type JsonRecord } from './document.js';
import { marketplaceCountry } from './marketplaces.js';

/** Stands in for what Amazon did not release, on orders nobody ships from the warehouse. */
const WITHHELD = '(withheld by Amazon)';

interface AddressInput {
  fulfilledBy: 'merchant' | 'channel';
  cancelled: boolean;
  problems: MappingProblem[];
  warnings: string[];
}

/**
 * `ShippingAddress` → canonical ship-to. Its Name, AddressLine1–3, Phone and AddressType are
 * restricted data (Orders API v0 `Order.ShippingAddress`): without a Restricted Data Token only
 * City, StateOrRegion, PostalCode and CountryCode come, and Amazon sends no address at all for
 * Pending and Canceled orders. A merchant-fulfilled order must have a full address (the
 * warehouse ships to it): each missing field is a problem. Amazon ships AFN orders itself and a
 * cancelled order ships nowhere: missing fields are filled with a placeholder and a warning, so
 * the order is still recorded.
 */
export function mapAddress(order: JsonRecord, input: AddressInput): OrderSubmission['shipTo'] | undefined {
  const address = record(order.ShippingAddress);
  const lenient = input.fulfilledBy === 'channel' || input.cancelled;
  const lines = [address?.AddressLine1, address?.AddressLine2, address?.AddressLine3].map(text).filter((l): l is string => l !== undefined);
  const name = text(address?.Name);
  const city = text(address?.City);
  const country = text(address?.CountryCode)?.toUpperCase() ?? (lenient ? marketplaceCountry(text(order.MarketplaceId)) : undefined);

  const required: [string, string | undefined][] = [['Name', name], ['AddressLine1', lines[0]], ['City', city], ['CountryCode', country]];
  const missing = required.filter(([, value]) => value === undefined).map(([field]) => field);
  if (missing.length > 0 && !lenient) {
    for (const field of missing) {
      input.problems.push({
        path: `order.ShippingAddress.${field}`,
        message: 'is missing: a seller-fulfilled order needs the full address (restricted data: enable useRestrictedDataToken and the Direct-to-Consumer Delivery role)',
      });
    }
    return undefined;
  }
  if (missing.length > 0) {
    input.warnings.push(`ShippingAddress ${missing.join(', ')} withheld by Amazon: placeholders used (${input.cancelled ? 'cancelled order' : 'fulfilled by Amazon'})`);
  }
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
    input.problems.push({ path: 'order.ShippingAddress.CountryCode', message: `${country} is not an ISO 3166-1 alpha-2 code` });
    return undefined;
  }
  const company = text(address?.CompanyName);
  const region = text(address?.StateOrRegion);
  const postalCode = text(address?.PostalCode);
  const phone = text(address?.Phone);
  return {
    name: clip(name ?? WITHHELD, 200),
    ...(company === undefined ? {} : { company: clip(company, 200) }),
    line1: clip(lines[0] ?? WITHHELD, 200),
    // Canonical addresses have two street lines: AddressLine3 joins the second.
    ...(lines.length > 1 ? { line2: clip(lines.slice(1).join(', '), 200) } : {}),
    city: clip(city ?? WITHHELD, 100),
    ...(region === undefined ? {} : { region: clip(region, 100) }),
    ...(postalCode === undefined ? {} : { postalCode: clip(postalCode, 20) }),
    // A cancelled order of an unknown marketplace: 'ZZ' (user-assigned ISO code) marks "unknown".
    country: country ?? 'ZZ',
    ...(phone === undefined ? {} : { phone: clip(phone, 40) }),
  };
}
