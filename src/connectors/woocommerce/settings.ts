import Type, { type Static } from 'typebox';

/** How one WooCommerce store is reached and read. Credentials may be `env:NAME` references. */
export const WooCommerceSettings = Type.Object(
  {
    baseUrl: Type.String({
      minLength: 1,
      description: 'The site root over HTTPS (https://shop.example.com); the API is {baseUrl}/wp-json/wc/v3',
    }),
    consumerKey: Type.String({ minLength: 1, description: 'REST API consumer key (ck_…), Read/Write (WooCommerce > Settings > Advanced > REST API)' }),
    consumerSecret: Type.String({ minLength: 1, description: 'REST API consumer secret (cs_…)' }),
    webhookSecret: Type.Optional(Type.String({
      minLength: 1,
      description: "The webhooks' secret. @default consumerSecret (what WooCommerce uses for webhooks created through the REST API without one)",
    })),
    poNumberMetaKey: Type.Optional(Type.String({ minLength: 1, default: '_po_number', description: 'Order meta_data key holding the B2B PO number. @default _po_number' })),
    pollLookbackMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600, default: 60, description: 'First poll: orders modified this long ago onward. @default 60' })),
    overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 120, description: 'Each poll re-reads this much before its cursor. @default 120' })),
    pollStartAt: Type.Optional(Type.String({ format: 'date-time', description: 'First poll: start here instead of the look-back' })),
    completeOnShipment: Type.Optional(Type.Boolean({ default: true, description: 'Set the order to completed once every line has shipped. @default true' })),
  },
  { additionalProperties: false },
);

export type WooCommerceSettings = Static<typeof WooCommerceSettings>;

export const SETTINGS_DEFAULTS = {
  poNumberMetaKey: '_po_number',
  pollLookbackMinutes: 60,
  overlapSeconds: 120,
  completeOnShipment: true,
} as const;
