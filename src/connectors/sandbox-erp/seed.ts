import type { SandboxCustomer } from './document.js';

/**
 * The demo master data a new sandbox ERP starts with. Each customer exists to show one
 * behaviour, so tests and demos can pick an outcome by account id.
 */
export const SEED_CUSTOMERS: readonly SandboxCustomer[] = [
  { id: 'C-100', name: 'Acme Retail Inc.', currency: 'USD', creditLimit: '1000000.00', balance: '0.00', onHold: false },
  // Refuses almost any order for its credit limit.
  { id: 'C-200', name: 'Shoestring Supplies LLC', currency: 'USD', creditLimit: '50.00', balance: '0.00', onHold: false },
  // On a manual credit hold: every order is refused, whatever its amount.
  { id: 'C-300', name: 'Overdue Outfitters Ltd', currency: 'USD', creditLimit: '100000.00', balance: '12500.00', onHold: true },
  // No credit limit at all, for benchmarks that post many orders to one account.
  { id: 'C-400', name: 'Bottomless Wholesale Co', currency: 'USD', creditLimit: null, balance: '0.00', onHold: false },
  { id: 'C-500', name: 'Euro Distribution GmbH', currency: 'EUR', creditLimit: '250000.00', balance: '0.00', onHold: false },
];

/** An item with its prices per currency and stock per warehouse. */
export interface SeedItem {
  sku: string;
  description: string;
  uom: string;
  active: boolean;
  prices: Record<string, string>;
  stock: Record<string, number>;
}

/** SKUs that exist but are no longer sold: orders for them are refused as `inactive-item`. */
export const INACTIVE_SKUS: readonly string[] = ['SKU-13'];

const NAMES = [
  'Widget', 'Gadget', 'Sprocket', 'Flange', 'Gasket', 'Bracket', 'Hinge', 'Valve', 'Bearing', 'Coupling',
  'Fastener kit', 'Cable', 'Filter', 'Nozzle', 'Spring', 'Clamp', 'Pulley', 'Sensor', 'Switch', 'Relay',
];

/** SKU-1 … SKU-20; prices and stock are derived from the number so they are the same everywhere. */
export const SEED_ITEMS: readonly SeedItem[] = NAMES.map((name, index) => {
  const n = index + 1;
  const sku = `SKU-${n}`;
  const usdCents = 499 + n * 250;
  return {
    sku,
    description: `${name} ${n}`,
    uom: n % 5 === 0 ? 'CA' : 'EA',
    active: !INACTIVE_SKUS.includes(sku),
    prices: { USD: cents(usdCents), EUR: cents(Math.round(usdCents * 0.92)) },
    // SKU-7 is out of stock in WH1 and SKU-11 everywhere, so availability has something to show.
    stock: {
      WH1: n === 7 || n === 11 ? 0 : ((n * 37) % 200) + 20,
      WH2: n === 11 ? 0 : ((n * 53) % 150) + 5,
    },
  };
});

function cents(value: number): string {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}
