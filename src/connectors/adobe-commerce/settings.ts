import Type, { type Static } from 'typebox';

/** Settings of one Adobe Commerce channel instance (`channels[].settings` in the configuration). */
export const AdobeCommerceSettings = Type.Object(
  {
    baseUrl: Type.String({
      minLength: 1,
      description: 'The store-code REST root, e.g. `https://shop.example.com/rest/default` (`/V1/...` is appended)',
    }),
    accessToken: Type.String({
      minLength: 1,
      description: 'Integration access token (System > Extensions > Integrations), sent as `Authorization: Bearer`. Use `env:NAME`.',
    }),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Orders per `GET /V1/orders` page. @default 100' })),
    pollStartAt: Type.Optional(Type.String({ format: 'date-time', description: 'Where the first poll starts (ISO 8601). @default one hour before the first poll' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'Each poll starts this long before the stored cursor, to catch orders saved late. @default 120' })),
    sources: Type.Optional(Type.Record(Type.String(), Type.String(), {
      description: 'crossdock location code → MSI `source_code`, for availability and the source a shipment deducts from',
    })),
    defaultSource: Type.Optional(Type.String({ minLength: 1, description: 'MSI `source_code` for updates without a location (or an unmapped one). @default default' })),
    carrierCodes: Type.Optional(Type.Record(Type.String(), Type.String(), {
      description: 'Carrier name (as shipments name it, case-insensitive) → Magento `carrier_code` (`ups`, `fedex`, `usps`, `dhl`). Unlisted carriers are sent as `custom` with the name as title.',
    })),
    notifyCustomer: Type.Optional(Type.Boolean({ description: 'Ask Adobe Commerce to e-mail the shipment to the customer. @default false' })),
    availabilityBatchSize: Type.Optional(Type.Integer({
      minimum: 1, maximum: 5000,
      description: 'Source items per `POST /V1/inventory/source-items`. A store with Web API input limits on refuses more than its limit; the connector then splits by the limit it names. @default 500',
    })),
  },
  { additionalProperties: false },
);

export type AdobeCommerceSettings = Static<typeof AdobeCommerceSettings>;

/** The settings with every default applied. */
export interface ResolvedSettings {
  baseUrl: string;
  accessToken: string;
  pageSize: number;
  pollStartAt: string | undefined;
  overlapSeconds: number;
  sources: Readonly<Record<string, string>>;
  defaultSource: string;
  carrierCodes: Readonly<Record<string, string>>;
  notifyCustomer: boolean;
  availabilityBatchSize: number;
}

export function resolveSettings(settings: AdobeCommerceSettings): ResolvedSettings {
  return {
    baseUrl: settings.baseUrl.replace(/\/+$/, ''),
    accessToken: settings.accessToken,
    pageSize: settings.pageSize ?? 100,
    pollStartAt: settings.pollStartAt,
    overlapSeconds: settings.overlapSeconds ?? 120,
    sources: settings.sources ?? {},
    defaultSource: settings.defaultSource ?? 'default',
    carrierCodes: settings.carrierCodes ?? {},
    notifyCustomer: settings.notifyCustomer ?? false,
    availabilityBatchSize: settings.availabilityBatchSize ?? 500,
  };
}
