import { SEED_ITEMS, type SeedItem } from '../connectors/sandbox-erp/seed.js';

/**
 * Who buys in the demo and where from. The accounts are the sandbox ERP's seed customers, each
 * chosen for what it shows: web shops book to one account without a credit limit (as many
 * distributors do for consumer orders), the EU shop to the EUR account, the B2B portal and the
 * EDI partner to a trade account with a limit.
 */

/** A channel of the demo: an instance id, how its order ids look, and who buys there. */
export interface DemoChannel {
  id: string;
  /** Share of the orders, relative to the others. */
  weight: number;
  currency: 'USD' | 'EUR';
  account: string;
  /** Consumers (named people, paid up front) or trade buyers (a company, on account, with a PO). */
  buyers: 'consumer' | 'trade';
  orderId(sequence: number, runTag: string): string;
}

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  { id: 'shopify-us', weight: 35, currency: 'USD', account: 'C-400', buyers: 'consumer', orderId: (n, tag) => `SH-${tag}-${1000 + n}` },
  {
    id: 'amazon-us', weight: 25, currency: 'USD', account: 'C-400', buyers: 'consumer',
    // Amazon's 3-7-7 digit order ids.
    orderId: (n, tag) => `113-${tag.slice(-7).padStart(7, '0')}-${String(n).padStart(7, '0')}`,
  },
  { id: 'woocommerce-eu', weight: 15, currency: 'EUR', account: 'C-500', buyers: 'consumer', orderId: (n, tag) => `WC-${tag}-${n}` },
  { id: 'b2b-portal', weight: 15, currency: 'USD', account: 'C-100', buyers: 'trade', orderId: (n, tag) => `PO-${tag}-${n}` },
  { id: 'edi-acme', weight: 10, currency: 'USD', account: 'C-100', buyers: 'trade', orderId: (n, tag) => `ACME-${tag}-${n}` },
];

/** On a manual credit hold in the sandbox ERP: every order for it is held. */
export const CREDIT_HOLD_ACCOUNT = 'C-300';

/**
 * Channel SKUs the ERP does not know. An operator fixes them with a cross-reference
 * (`WIDGET-RED-XL` → `SKU-3`) and replays the held orders.
 */
export const UNKNOWN_CHANNEL_SKUS: readonly { channelSku: string; description: string; meant: string }[] = [
  { channelSku: 'WIDGET-RED-XL', description: 'Widget, red, XL', meant: 'SKU-3' },
  { channelSku: 'HINGE-BRASS-2PK', description: 'Brass hinge, pack of 2', meant: 'SKU-7' },
];

/** Items the demo sells: the sandbox ERP's active items with their list prices. */
export const DEMO_ITEMS: readonly SeedItem[] = SEED_ITEMS.filter((item) => item.active);

/** The warehouses of the sandbox ERP's stock. */
export const DEMO_WAREHOUSES: readonly string[] = ['WH1', 'WH2'];

export interface DemoPlace {
  line1: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export const US_PLACES: readonly DemoPlace[] = [
  { line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
  { line1: '455 Market St', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
  { line1: '22 Harbor Way', city: 'Seattle', region: 'WA', postalCode: '98101', country: 'US' },
  { line1: '800 Congress Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
  { line1: '17 Elm St', city: 'Columbus', region: 'OH', postalCode: '43215', country: 'US' },
  { line1: '300 Peachtree St NE', city: 'Atlanta', region: 'GA', postalCode: '30308', country: 'US' },
  { line1: '90 State St', city: 'Boston', region: 'MA', postalCode: '02109', country: 'US' },
  { line1: '1200 Larimer St', city: 'Denver', region: 'CO', postalCode: '80204', country: 'US' },
];

export const EU_PLACES: readonly DemoPlace[] = [
  { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
  { line1: 'Rue de Rivoli 45', city: 'Paris', postalCode: '75001', country: 'FR' },
  { line1: 'Keizersgracht 101', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' },
  { line1: 'Via Torino 8', city: 'Milano', postalCode: '20123', country: 'IT' },
  { line1: 'Calle de Alcalá 30', city: 'Madrid', postalCode: '28014', country: 'ES' },
];

export const FIRST_NAMES: readonly string[] = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kara', 'Luis', 'Mia', 'Noah', 'Olga', 'Priya'];
export const LAST_NAMES: readonly string[] = ['Meyer', 'Okafor', 'Nguyen', 'Rossi', 'Schmidt', 'Garcia', 'Kowalski', 'Tanaka', 'Dubois', 'Patel', 'Larsen', 'Silva'];
export const TRADE_BUYERS: readonly string[] = ['Acme Receiving', 'Acme Store 12', 'Acme Store 31', 'Acme West DC', 'Acme Service Center'];

export const CARRIERS: readonly string[] = ['UPS', 'FedEx', 'USPS', 'DHL'];
