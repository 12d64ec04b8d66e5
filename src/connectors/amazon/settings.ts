import Type, { type Static } from 'typebox';

/** Login with Amazon's token endpoint for every SP-API region (LWA refresh-token grant). */
export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token';

/** Operations crossdock calls, each with its own SP-API usage plan (token bucket at Amazon). */
export const OPERATIONS = ['getOrders', 'getOrderItems', 'confirmShipment', 'patchListingsItem', 'createRestrictedDataToken'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface UsagePlan {
  /** Tokens added per second (what `x-amzn-RateLimit-Limit` reports). */
  rate: number;
  /** Bucket size: calls allowed at once after a pause. */
  burst: number;
}

/**
 * Default usage plans from the API references (Orders API v0, Listings Items API 2021-08-01,
 * Tokens API 2021-03-01). Amazon may grant a selling partner more: the rate is then read from
 * `x-amzn-RateLimit-Limit` on every answer, the burst from `usagePlans` in the settings.
 */
export const DEFAULT_USAGE_PLANS: Readonly<Record<Operation, UsagePlan>> = {
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  patchListingsItem: { rate: 5, burst: 10 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};

const UsagePlanSchema = Type.Object(
  {
    rate: Type.Number({ exclusiveMinimum: 0, description: 'Requests per second' }),
    burst: Type.Integer({ minimum: 1, description: 'Bucket size' }),
  },
  { additionalProperties: false },
);

/**
 * Settings of one Amazon Selling Partner API channel instance. Credentials may be `env:NAME`
 * references: the configuration loader resolves them before the connector sees them.
 */
export const AmazonSettings = Type.Object(
  {
    endpoint: Type.String({
      description: 'SP-API regional endpoint (scheme and host)',
      examples: ['https://sellingpartnerapi-na.amazon.com', 'https://sellingpartnerapi-eu.amazon.com'],
    }),
    lwaEndpoint: Type.Optional(Type.String({ description: `Login with Amazon token endpoint. @default ${DEFAULT_LWA_ENDPOINT}` })),
    clientId: Type.String({ minLength: 1, description: "The app's LWA client identifier (amzn1.application-oa2-client…)" }),
    clientSecret: Type.String({ minLength: 1, description: "The app's LWA client secret (e.g. env:AMAZON_CLIENT_SECRET)" }),
    refreshToken: Type.String({ minLength: 1, description: "The selling partner's LWA refresh token (Atzr|…), from the app authorization" }),
    sellerId: Type.String({ minLength: 1, description: 'Selling partner (merchant) id: the {sellerId} of Listings Items calls' }),
    marketplaceIds: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1, maxItems: 50,
      description: 'Marketplaces polled for orders and updated for availability (ATVPDKIKX0DER = amazon.com)',
    }),
    useRestrictedDataToken: Type.Optional(Type.Boolean({
      description: 'Fetch buyer info and shipping addresses (restricted data) with a Restricted Data Token. Needs the restricted roles. @default true',
    })),
    pollStartAt: Type.Optional(Type.String({ format: 'date-time', description: 'Where the first poll starts. @default 24 hours before the first poll' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'Each poll starts this long before the cursor. @default 300' })),
    carrierCodes: Type.Optional(Type.Record(Type.String(), Type.String(), {
      description: "crossdock carrier name → Amazon CarrierCode (amzn-base.xsd). Unlisted carriers go as 'Other' with their name",
      examples: [{ 'UPS Ground': 'UPS', 'Royal Mail': 'Royal Mail' }],
    })),
    productType: Type.Optional(Type.String({ minLength: 1, description: 'Amazon product type sent with listings patches. @default PRODUCT' })),
    skus: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }), {
      description: 'crossdock SKU → Amazon SellerSKU for availability; unlisted SKUs are published unchanged',
    })),
    usagePlans: Type.Optional(Type.Partial(Type.Object({
      getOrders: UsagePlanSchema,
      getOrderItems: UsagePlanSchema,
      confirmShipment: UsagePlanSchema,
      patchListingsItem: UsagePlanSchema,
      createRestrictedDataToken: UsagePlanSchema,
    }, { additionalProperties: false }), {
      description: 'Usage plans Amazon granted above the documented defaults (rate per second, burst)',
    })),
  },
  { additionalProperties: false },
);

export type AmazonSettings = Static<typeof AmazonSettings>;

/** The settings with every default applied: what the connector's parts read. */
export interface ResolvedAmazonSettings {
  endpoint: string;
  lwaEndpoint: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  marketplaceIds: readonly string[];
  useRestrictedDataToken: boolean;
  pollStartAt: string | undefined;
  overlapSeconds: number;
  carrierCodes: Readonly<Record<string, string>>;
  productType: string;
  skus: Readonly<Record<string, string>>;
  usagePlans: Readonly<Record<Operation, UsagePlan>>;
}

export function resolveSettings(settings: AmazonSettings): ResolvedAmazonSettings {
  return {
    endpoint: settings.endpoint.replace(/\/+$/, ''),
    lwaEndpoint: settings.lwaEndpoint ?? DEFAULT_LWA_ENDPOINT,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    refreshToken: settings.refreshToken,
    sellerId: settings.sellerId,
    marketplaceIds: settings.marketplaceIds,
    useRestrictedDataToken: settings.useRestrictedDataToken ?? true,
    pollStartAt: settings.pollStartAt,
    overlapSeconds: settings.overlapSeconds ?? 300,
    carrierCodes: settings.carrierCodes ?? {},
    productType: settings.productType ?? 'PRODUCT',
    skus: settings.skus ?? {},
    usagePlans: { ...DEFAULT_USAGE_PLANS, ...settings.usagePlans },
  };
}
