import type { Static } from 'typebox';
import type { Address } from '../../canonical/common.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import type { OrderSubmission } from '../../canonical/order.js';
import { clip, integer, type Json, records, text } from './values.js';

type CanonicalAddress = Static<typeof Address>;

/**
 * A v2 address (`billing_address`, an order shipping address: first_name, last_name, company,
 * street_1, street_2, city, state, zip, country_iso2, phone, email) as a canonical address, or
 * the fields it lacks.
 */
export function toAddress(address: Json): { address: CanonicalAddress } | { missing: string[] } {
  const person = [text(address.first_name), text(address.last_name)].filter(Boolean).join(' ');
  const company = text(address.company);
  const name = person !== '' ? person : company;
  const street1 = text(address.street_1);
  const street2 = text(address.street_2);
  const line1 = street1 ?? street2;
  const city = text(address.city);
  const country = text(address.country_iso2)?.toUpperCase();
  const missing = [
    ...(name === undefined ? ['first_name'] : []),
    ...(line1 === undefined ? ['street_1'] : []),
    ...(city === undefined ? ['city'] : []),
    ...(country === undefined || !/^[A-Z]{2}$/.test(country) ? ['country_iso2'] : []),
  ];
  if (missing.length > 0) return { missing };
  const region = text(address.state);
  const postalCode = text(address.zip);
  const phone = text(address.phone);
  const email = text(address.email);
  return {
    address: {
      name: clip(name!, 200),
      line1: clip(line1!, 200),
      city: clip(city!, 100),
      country: country!,
      ...(company !== undefined && company !== name ? { company: clip(company, 200) } : {}),
      ...(street1 !== undefined && street2 !== undefined ? { line2: clip(street2, 200) } : {}),
      ...(region !== undefined ? { region: clip(region, 100) } : {}),
      ...(postalCode !== undefined ? { postalCode: clip(postalCode, 20) } : {}),
      ...(phone !== undefined ? { phone: clip(phone, 40) } : {}),
      ...(email !== undefined ? { email: clip(email, 254) } : {}),
    },
  };
}

export interface Parties {
  shipTo?: CanonicalAddress;
  billTo?: CanonicalAddress;
  customer: OrderSubmission['customer'];
  /** Shipping addresses after the first, one line each, for the order attributes. */
  otherShipTos: string[];
  problems: MappingProblem[];
  warnings: string[];
}

/**
 * Ship-to, bill-to and customer. The first shipping address is the ship-to; BigCommerce orders
 * can ship to several addresses (one per consignment): the others are listed in the attributes
 * and each line names its address (`shipToAddressId`), so a person can split the order.
 */
export function mapParties(order: Json, shippingAddresses: readonly Json[], ctx: MappingContext): Parties {
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];
  const billing = order.billing_address;
  const billingFields = typeof billing === 'object' && billing !== null && !Array.isArray(billing) ? (billing as Json) : {};
  const bill = toAddress(billingFields);
  const billTo = 'address' in bill ? bill.address : undefined;
  if ('missing' in bill) warnings.push(`billing address incomplete (${bill.missing.join(', ')}): no bill-to`);

  let shipTo: CanonicalAddress | undefined;
  const [first, ...others] = shippingAddresses;
  if (first) {
    const ship = toAddress(first);
    if ('address' in ship) shipTo = ship.address;
    else for (const field of ship.missing) problems.push({ path: `shippingAddresses[0].${field}`, message: 'required for the ship-to address' });
  } else if (billTo) {
    // Digital-only and pickup orders have no shipping address (Orders V2: consignments).
    shipTo = billTo;
    warnings.push('order has no shipping address: the billing address is the ship-to');
  } else {
    problems.push({ path: 'shippingAddresses', message: 'no shipping address and no usable billing address' });
  }
  const otherShipTos = others.map((a) => describeAddress(a));
  if (others.length > 0) warnings.push(`order ships to ${shippingAddresses.length} addresses: the first is the ship-to, the others are in attributes shipTo2…`);

  const customerId = integer(order.customer_id);
  const email = text(billingFields.email);
  const company = text(billingFields.company);
  // customer_id 0 is a guest checkout (Orders V2: customer_id); only the e-mail can identify it.
  const keys = [customerId !== undefined && customerId > 0 ? `customer:${customerId}` : undefined, email ? `email:${email.toLowerCase()}` : undefined, company ? `company:${company}` : undefined];
  const name = billTo?.name ?? ([text(billingFields.first_name), text(billingFields.last_name)].filter(Boolean).join(' ') || undefined);
  const customer: OrderSubmission['customer'] = {
    accountId: clip(ctx.resolveCustomer(keys), 100),
    ...(name ? { name: clip(name, 200) } : {}),
    ...(email ? { email: clip(email, 254) } : {}),
    ...(company ? { company: clip(company, 200) } : {}),
  };
  return { ...(shipTo ? { shipTo } : {}), ...(billTo ? { billTo } : {}), customer, otherShipTos, problems, warnings };
}

function describeAddress(address: Json): string {
  const parts = [
    [text(address.first_name), text(address.last_name)].filter(Boolean).join(' '),
    text(address.company), text(address.street_1), text(address.street_2), text(address.city),
    text(address.state), text(address.zip), text(address.country_iso2),
  ].filter((p): p is string => p !== undefined && p !== '');
  const id = integer(address.id);
  return clip(`${parts.join(', ')}${id !== undefined ? ` (address ${id})` : ''}`, 1000);
}

/**
 * The buyer's PO number, from where the store keeps it (`poNumberFrom` setting): the order's
 * `external_order_id`, its `staff_notes`, or a checkout form field (`form_fields` of the order,
 * the billing address or a shipping address: [{ name, value }]).
 */
export function poNumber(order: Json, shippingAddresses: readonly Json[], source: unknown): string | undefined {
  if (typeof source !== 'string') return undefined;
  if (source === 'external_order_id' || source === 'staff_notes') {
    const value = text(order[source]);
    return value === undefined ? undefined : clip(value, 128);
  }
  if (!source.startsWith('form_field:')) return undefined;
  const wanted = source.slice('form_field:'.length).trim().toLowerCase();
  const billing = order.billing_address;
  const holders = [order, ...(typeof billing === 'object' && billing !== null ? [billing as Json] : []), ...shippingAddresses];
  for (const holder of holders) {
    for (const field of records(holder.form_fields)) {
      if (text(field.name)?.toLowerCase() !== wanted) continue;
      const value = Array.isArray(field.value) ? field.value.map((v) => text(v)).filter(Boolean).join(', ') : text(field.value);
      if (value) return clip(value, 128);
    }
  }
  return undefined;
}
