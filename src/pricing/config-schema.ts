import Type, { type Static } from 'typebox';

/** The `prices` section: the price book's sources and each channel's price check. Filled in by the pricing module. */
export const PricesConfigSchema = Type.Object({}, { additionalProperties: false, description: 'Price book and price checks (docs/prices.md)' });
export type PricesConfigFile = Static<typeof PricesConfigSchema>;

/** The `prices` section with defaults applied. */
export type PriceSettings = Record<string, never>;

/** Applies defaults; problems name the path (`/prices/...`). */
export function resolvePrices(_file: PricesConfigFile | undefined, _env: NodeJS.ProcessEnv, _problems: string[]): PriceSettings {
  return {};
}
