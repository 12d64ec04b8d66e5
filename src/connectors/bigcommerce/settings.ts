import Type, { type Static } from 'typebox';

/**
 * Settings of one BigCommerce channel instance. Credentials may be `env:NAME` references
 * (resolved by the configuration loader before the connector sees them).
 */
export const BigCommerceSettings = Type.Object(
  {
    storeHash: Type.String({
      minLength: 1,
      pattern: '^[a-z0-9]+$',
      description: 'The store hash (the `{store_hash}` of https://api.bigcommerce.com/stores/{store_hash}); webhooks from another store are refused',
    }),
    apiBaseUrl: Type.Optional(Type.String({
      minLength: 1,
      description: 'Base URL of the store API, without /v2 or /v3 (override for a fake or a proxy). @default https://api.bigcommerce.com/stores/{storeHash}',
    })),
    accessToken: Type.String({ minLength: 1, description: 'API account access token, sent as `X-Auth-Token` (scopes: Orders modify, Information & Settings read, Products modify for inventory)' }),
    webhookSecret: Type.String({
      minLength: 16,
      description: 'Shared secret registered in the webhook\'s custom `headers` (BigCommerce does not sign payloads); deliveries without it are refused',
    }),
    webhookSecretHeader: Type.Optional(Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9-]+$',
      description: 'Name of the custom header carrying `webhookSecret`. @default x-crossdock-webhook-secret',
    })),
    locations: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 1 }), {
      description: 'crossdock location code → BigCommerce inventory `location_id` for availability updates',
    })),
    defaultLocation: Type.Optional(Type.Integer({ minimum: 1, description: 'BigCommerce `location_id` for availability without a location. @default 1' })),
    pollStartAt: Type.Optional(Type.String({ format: 'date-time', description: 'Where the first poll starts (ISO 8601); absent: `pollLookbackMinutes` ago' })),
    pollLookbackMinutes: Type.Optional(Type.Integer({ minimum: 1, description: 'How far back the first poll looks when `pollStartAt` is absent. @default 60' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'Each poll starts this long before the stored cursor, for orders written late. @default 120' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, description: 'v2 `limit` per page (documented maximum 250). @default 250' })),
    rateLimitReserve: Type.Optional(Type.Integer({
      minimum: 0,
      description: 'When `X-Rate-Limit-Requests-Left` falls to this, nothing more is sent until the window resets (the quota is shared by every app on the store). @default 5',
    })),
    poNumberFrom: Type.Optional(Type.String({
      pattern: '^(external_order_id|staff_notes|form_field:.+)$',
      description: 'Where the store keeps the buyer\'s PO number: `external_order_id`, `staff_notes`, or `form_field:<name>` (a checkout form field on the order, billing or shipping address). Absent: no PO number',
    })),
    inventoryReason: Type.Optional(Type.String({ maxLength: 255, description: '`reason` sent with inventory adjustments. @default crossdock availability' })),
  },
  { additionalProperties: false },
);

export type BigCommerceSettings = Static<typeof BigCommerceSettings>;

export const DEFAULT_WEBHOOK_SECRET_HEADER = 'x-crossdock-webhook-secret';

/** The settings with every default applied. */
export interface ResolvedSettings {
  storeHash: string;
  apiBaseUrl: string;
  accessToken: string;
  webhookSecret: string;
  webhookSecretHeader: string;
  locations: Readonly<Record<string, number>>;
  defaultLocation: number;
  pollStartAt: string | undefined;
  pollLookbackMinutes: number;
  overlapSeconds: number;
  pageSize: number;
  rateLimitReserve: number;
  inventoryReason: string;
}

export function resolveSettings(settings: BigCommerceSettings): ResolvedSettings {
  return {
    storeHash: settings.storeHash,
    apiBaseUrl: (settings.apiBaseUrl ?? `https://api.bigcommerce.com/stores/${settings.storeHash}`).replace(/\/+$/, ''),
    accessToken: settings.accessToken,
    webhookSecret: settings.webhookSecret,
    webhookSecretHeader: (settings.webhookSecretHeader ?? DEFAULT_WEBHOOK_SECRET_HEADER).toLowerCase(),
    locations: settings.locations ?? {},
    defaultLocation: settings.defaultLocation ?? 1,
    pollStartAt: settings.pollStartAt,
    pollLookbackMinutes: settings.pollLookbackMinutes ?? 60,
    overlapSeconds: settings.overlapSeconds ?? 120,
    pageSize: settings.pageSize ?? 250,
    rateLimitReserve: settings.rateLimitReserve ?? 5,
    inventoryReason: settings.inventoryReason ?? 'crossdock availability',
  };
}
