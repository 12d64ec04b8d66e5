import type { OrderSubmission } from '../../canonical/order.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import { isRecord } from './document.js';
import { plainText } from './text.js';

type Address = OrderSubmission['shipTo'];

/**
 * A WooCommerce `billing` / `shipping` object → canonical address. Empty strings are how
 * WooCommerce says "not given" (a virtual order's `shipping` is all empty strings), so an
 * address without street, city or country is absent, with the reason in `problems`.
 */
export function mapAddress(value: unknown, path: 'billing' | 'shipping'): { address?: Address; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  if (!isRecord(value)) return { problems: [{ path, message: 'missing' }] };
  const field = (name: string): string | undefined => plainText(value[name]);
  const line1 = field('address_1');
  const city = field('city');
  const country = field('country')?.toUpperCase();
  if (!line1) problems.push({ path: `${path}.address_1`, message: 'empty' });
  if (!city) problems.push({ path: `${path}.city`, message: 'empty' });
  if (!country || !/^[A-Z]{2}$/.test(country)) problems.push({ path: `${path}.country`, message: 'empty or not an ISO 3166-1 alpha-2 code' });
  const person = [field('first_name'), field('last_name')].filter(Boolean).join(' ');
  const company = field('company');
  const name = person || company;
  if (!name) problems.push({ path: `${path}.first_name`, message: 'no name or company' });
  if (problems.length > 0 || !line1 || !city || !country || !name) return { problems };

  const address: Address = { name: name.slice(0, 200), line1: line1.slice(0, 200), city: city.slice(0, 100), country };
  if (company && company !== name) address.company = company.slice(0, 200);
  const line2 = field('address_2');
  if (line2) address.line2 = line2.slice(0, 200);
  const region = field('state');
  if (region) address.region = region.slice(0, 100);
  const postalCode = field('postcode');
  if (postalCode) address.postalCode = postalCode.slice(0, 20);
  const phone = field('phone');
  if (phone) address.phone = phone.slice(0, 40);
  const email = field('email');
  if (email) address.email = email.slice(0, 254);
  return { address, problems };
}

/**
 * The buyer: the WooCommerce customer (`customer_id`, 0 for guests), else the billing e-mail
 * (lower-cased, as WordPress compares e-mails), else the billing company — each tried against
 * the instance's customer cross-references (`customer:42`, `email:a@b.com`, `company:Acme`).
 */
export function mapCustomer(order: Record<string, unknown>, ctx: MappingContext): OrderSubmission['customer'] {
  const billing = isRecord(order.billing) ? order.billing : {};
  const customerId = typeof order.customer_id === 'number' && order.customer_id > 0 ? order.customer_id : undefined;
  const email = plainText(billing.email)?.toLowerCase();
  const company = plainText(billing.company);
  const accountId = ctx.resolveCustomer([
    customerId ? `customer:${customerId}` : undefined,
    email ? `email:${email}` : undefined,
    company ? `company:${company}` : undefined,
  ]);
  const customer: OrderSubmission['customer'] = { accountId: accountId.slice(0, 100) };
  const name = [plainText(billing.first_name), plainText(billing.last_name)].filter(Boolean).join(' ');
  if (name) customer.name = name.slice(0, 200);
  if (email) customer.email = email.slice(0, 254);
  if (company) {
    customer.company = company.slice(0, 200);
    // A company on the billing address is the B2B signal WooCommerce core offers.
    customer.business = true;
  }
  return customer;
}
