import Type, { type Static } from 'typebox';

/**
 * A current stable Admin API version (Shopify releases one a quarter, each supported ≥ 12 months).
 * 2025-07 is the first with `fulfillmentCreate` (before it: `fulfillmentCreateV2`, also handled).
 */
export const DEFAULT_API_VERSION = '2025-07';

/**
 * Settings of one Shopify channel instance. Credentials may be `env:NAME` references: the
 * configuration loader resolves them before the connector sees them.
 */
export const ShopifySettings = Type.Object(
  {
    shopDomain: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$',
      description: "The shop's permanent domain (acme.myshopify.com); webhooks from any other shop are refused",
      examples: ['acme.myshopify.com'],
    }),
    apiBaseUrl: Type.Optional(Type.String({
      description: 'Scheme and host of the Admin API, for a local fake or a proxy. @default https://{shopDomain}',
    })),
    apiVersion: Type.Optional(Type.String({
      pattern: '^(\\d{4}-(01|04|07|10)|unstable)$',
      description: `Admin API version pinned in every URL. @default ${DEFAULT_API_VERSION}`,
    })),
    accessToken: Type.String({ minLength: 1, description: 'Admin API access token, sent as X-Shopify-Access-Token (e.g. env:SHOPIFY_TOKEN)' }),
    webhookSecret: Type.String({ minLength: 1, description: "The app's client secret: the key of X-Shopify-Hmac-Sha256 on webhooks" }),
    locations: Type.Optional(Type.Record(Type.String(), Type.String({ pattern: '^gid://shopify/Location/\\d+$' }), {
      description: 'crossdock location code → Shopify location GID, for availability',
      examples: [{ MAIN: 'gid://shopify/Location/123' }],
    })),
    defaultLocation: Type.Optional(Type.String({
      pattern: '^gid://shopify/Location/\\d+$',
      description: 'Shopify location GID for availability updates whose location has no entry in `locations` (or none)',
    })),
    skuInventoryItems: Type.Optional(Type.Record(Type.String(), Type.String({ pattern: '^gid://shopify/InventoryItem/\\d+$' }), {
      description: 'crossdock SKU → Shopify inventory item GID; SKUs not listed are looked up by SKU (productVariants query)',
    })),
    pollLookbackMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 60, description: 'How far back the first poll looks. @default 60' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'Each poll starts this long before the cursor, for orders written late. @default 120' })),
    notifyCustomer: Type.Optional(Type.Boolean({ description: 'Shopify emails the buyer when a fulfillment is created. @default true' })),
  },
  { additionalProperties: false },
);

export type ShopifySettings = Static<typeof ShopifySettings>;

/** The settings with every default applied: what the connector's parts read. */
export interface ResolvedShopifySettings {
  shopDomain: string;
  apiBaseUrl: string;
  apiVersion: string;
  accessToken: string;
  webhookSecret: string;
  locations: Readonly<Record<string, string>>;
  defaultLocation: string | undefined;
  skuInventoryItems: Readonly<Record<string, string>>;
  pollLookbackMinutes: number;
  overlapSeconds: number;
  notifyCustomer: boolean;
}

export function resolveSettings(settings: ShopifySettings): ResolvedShopifySettings {
  return {
    shopDomain: settings.shopDomain.toLowerCase(),
    apiBaseUrl: (settings.apiBaseUrl ?? `https://${settings.shopDomain}`).replace(/\/+$/, ''),
    apiVersion: settings.apiVersion ?? DEFAULT_API_VERSION,
    accessToken: settings.accessToken,
    webhookSecret: settings.webhookSecret,
    locations: settings.locations ?? {},
    defaultLocation: settings.defaultLocation,
    skuInventoryItems: settings.skuInventoryItems ?? {},
    pollLookbackMinutes: settings.pollLookbackMinutes ?? 60,
    overlapSeconds: settings.overlapSeconds ?? 120,
    notifyCustomer: settings.notifyCustomer ?? true,
  };
}
