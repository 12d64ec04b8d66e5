import type { MappingContext, ResolvedSku } from './types.js';

/** A SKU cross-reference: a crossdock SKU, or a SKU with its unit and pack size. */
export type SkuCrossReference = string | { sku: string; uom?: string; factor?: number };

export interface CrossReferences {
  /** Channel key (`WIDGET-RED`, `variant:123`, `asin:B0…`) → crossdock item. */
  skus?: Readonly<Record<string, SkuCrossReference>>;
  /** Channel key (`customer:42`, `email:a@b.com`, `company:9`) → crossdock customer account. */
  customers?: Readonly<Record<string, string>>;
  /** Account for orders whose customer matches no cross-reference (e.g. one web-retail account). */
  defaultCustomer?: string;
}

/** Cross-references set at run time (src/operations/cross-references.ts), looked up by key. */
export interface RuntimeReferenceLookup {
  sku(key: string): SkuCrossReference | undefined;
  customer(key: string): string | undefined;
}

export interface MappingContextOptions extends CrossReferences {
  channel: string;
  /** Tried before the configured references for each key: an operator's fix wins over the file. */
  runtime?: RuntimeReferenceLookup;
  settings?: Readonly<Record<string, unknown>>;
  /** Unit when the cross-reference names none. @default EA */
  defaultUom?: string;
}

const present = (keys: readonly (string | null | undefined)[]): string[] =>
  keys.filter((k): k is string => typeof k === 'string' && k.trim() !== '');

/** The mapping context of one channel instance, from its configured cross-references. */
export function createMappingContext(options: MappingContextOptions): MappingContext {
  const skus = options.skus ?? {};
  const customers = options.customers ?? {};
  const defaultUom = options.defaultUom ?? 'EA';
  return {
    channel: options.channel,
    settings: options.settings ?? {},
    resolveSku(keys): ResolvedSku {
      const candidates = present(keys);
      for (const key of candidates) {
        const ref = options.runtime?.sku(key) ?? (Object.hasOwn(skus, key) ? skus[key] : undefined);
        if (ref === undefined) continue;
        if (typeof ref === 'string') return { sku: ref, uom: defaultUom, factor: 1, mapped: true };
        return { sku: ref.sku, uom: ref.uom ?? defaultUom, factor: ref.factor ?? 1, mapped: true };
      }
      return { sku: candidates[0] ?? '(no sku)', uom: defaultUom, factor: 1, mapped: false };
    },
    resolveCustomer(keys): string {
      const candidates = present(keys);
      for (const key of candidates) {
        const account = options.runtime?.customer(key);
        if (account !== undefined) return account;
        if (Object.hasOwn(customers, key)) return customers[key]!;
      }
      return options.defaultCustomer ?? candidates[0] ?? '(no customer)';
    },
  };
}
