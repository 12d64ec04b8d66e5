/**
 * Country of each Amazon marketplace (SP-API "Marketplace IDs" page). Used only to fill the
 * country of an address Amazon withheld (a cancelled order, or restricted data not requested).
 */
const MARKETPLACE_COUNTRIES: Readonly<Record<string, string>> = {
  ATVPDKIKX0DER: 'US',
  A2EUQ1WTGCTBG2: 'CA',
  A1AM78C64UM0Y8: 'MX',
  A2Q3Y263D00KWC: 'BR',
  A1F83G8C2ARO7P: 'GB',
  A1PA6795UKMFR9: 'DE',
  A13V1IB3VIYZZH: 'FR',
  APJ6JRA9NG5V4: 'IT',
  A1RKKUPIHCS9HS: 'ES',
  A1805IZSGTT6HS: 'NL',
  A2NODRKZP88ZB9: 'SE',
  A1C3SOZRARQ6R3: 'PL',
  AMEN7PMS3EDWL: 'BE',
  A33AVAJ2PDY3EV: 'TR',
  A1VC38T7YXB528: 'JP',
  A39IBJ37TRP1C6: 'AU',
  A19VAU5U5O7RUS: 'SG',
  A21TJRUUN4KGV: 'IN',
  A2VIGQ35RCS4UG: 'AE',
  A17E79C6D8DWNP: 'SA',
  ARBP9OOSHTCHU: 'EG',
};

export function marketplaceCountry(marketplaceId: string | undefined): string | undefined {
  return marketplaceId !== undefined && Object.hasOwn(MARKETPLACE_COUNTRIES, marketplaceId) ? MARKETPLACE_COUNTRIES[marketplaceId] : undefined;
}
