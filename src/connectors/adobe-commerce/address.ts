import type { Static } from 'typebox';
import type { Address } from '../../canonical/common.js';
import type { MappingProblem } from '../../channels/types.js';
import { arrayAt, isObject, text, type Json } from './document.js';

type CanonicalAddress = Static<typeof Address>;

/**
 * A `salesDataOrderAddressInterface` → canonical address. `street` is an ARRAY of lines in
 * Magento (up to the store's "Number of Lines in a Street Address"); the first is line1, the
 * rest are joined into line2. `region_code` is the short code (`TX`), `region` the name.
 */
export function mapAddress(value: unknown, path: string, problems: MappingProblem[]): CanonicalAddress | undefined {
  if (!isObject(value)) {
    problems.push({ path, message: 'missing address' });
    return undefined;
  }
  const streets = arrayAt(value.street).flatMap((line) => (text(line) === undefined ? [] : [text(line)!]));
  // Some integrations still send `street` as one string with line breaks.
  const lines = streets.length > 0 ? streets : (text(value.street) ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const name = personName(value) ?? text(value.company);
  const city = text(value.city);
  const country = text(value.country_id)?.toUpperCase();
  const before = problems.length;
  if (name === undefined) problems.push({ path: `${path}.lastname`, message: 'the address names no one' });
  if (lines[0] === undefined) problems.push({ path: `${path}.street`, message: 'missing street' });
  if (city === undefined) problems.push({ path: `${path}.city`, message: 'missing city' });
  if (country === undefined || !/^[A-Z]{2}$/.test(country)) problems.push({ path: `${path}.country_id`, message: `not an ISO 3166-1 alpha-2 country (got ${JSON.stringify(value.country_id)})` });
  if (problems.length > before || name === undefined || lines[0] === undefined || city === undefined || country === undefined) return undefined;

  const region = text(value.region_code) ?? text(value.region);
  const company = text(value.company);
  const postalCode = text(value.postcode);
  const phone = text(value.telephone);
  const email = text(value.email);
  const line2 = lines.slice(1).join(', ');
  return {
    name: name.slice(0, 200),
    ...(company === undefined ? {} : { company: company.slice(0, 200) }),
    line1: lines[0].slice(0, 200),
    ...(line2 === '' ? {} : { line2: line2.slice(0, 200) }),
    city: city.slice(0, 100),
    ...(region === undefined ? {} : { region: region.slice(0, 100) }),
    ...(postalCode === undefined ? {} : { postalCode: postalCode.slice(0, 20) }),
    country,
    ...(phone === undefined ? {} : { phone: phone.slice(0, 40) }),
    ...(email === undefined ? {} : { email: email.slice(0, 254) }),
  };
}

/** `prefix firstname middlename lastname suffix`, as Magento prints a name; undefined when blank. */
export function personName(value: Json, prefix = ''): string | undefined {
  const parts = ['prefix', 'firstname', 'middlename', 'lastname', 'suffix'].flatMap((field) => {
    const part = text(value[`${prefix}${field}`]);
    return part === undefined ? [] : [part];
  });
  return parts.length === 0 ? undefined : parts.join(' ');
}
