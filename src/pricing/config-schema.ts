import { resolve as resolvePath } from 'node:path';
import Type, { type Static } from 'typebox';
import { StringEnum } from '../canonical/common.js';
import { PRICE_RULE_KINDS, priceRuleProblems, type PriceRule, type PriceRuleKind } from '../canonical/price.js';
import { isDecimal } from '../lib/money.js';

const ON_MISMATCH = ['hold', 'report'] as const;
export type OnPriceMismatch = (typeof ON_MISMATCH)[number];

const ChannelPriceCheck = Type.Object(
  {
    tolerancePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'A channel price this many percent from the book price (either way) is accepted. @default 0' })),
    toleranceAmount: Type.Optional(Type.Number({ minimum: 0, description: 'A channel unit price this much from the book price (either way, in the order currency) is accepted; with tolerancePercent too, the larger allowance applies. @default 0' })),
    onMismatch: StringEnum(ON_MISMATCH, 'A line outside the tolerance: hold the order for a person (`price.mismatch`), or post it and report the difference on its timeline'),
  },
  { additionalProperties: false },
);

/** A price rule as written in the configuration: `source` is `config`, whatever it says. */
const ConfigRule = Type.Unsafe<{ kind: PriceRuleKind } & Record<string, unknown>>(Type.Object(
  { kind: StringEnum(PRICE_RULE_KINDS, 'list, tier, contract or promotion') },
  { additionalProperties: true, description: 'A price rule (docs/prices.md): kind, id, sku, currency, unitPrice or percentOff, and the fields of its kind' },
));

/** The `prices` section: the price book's sources and each channel's price check. */
export const PricesConfigSchema = Type.Object(
  {
    rules: Type.Optional(Type.Array(ConfigRule, { description: 'Price rules kept in this file (source `config`), replaced as a whole at every start (docs/prices.md)' })),
    file: Type.Optional(Type.String({ minLength: 1, description: 'A rules file (`.json`: an array of rules or `{ rules }`; `.csv`: one row per rule or quantity break) loaded at every start as source `file`; relative to the working directory' })),
    customerGroups: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }), { description: 'Customer account id → customer group, for tier prices' })),
    channels: Type.Optional(Type.Record(Type.String(), ChannelPriceCheck, { description: 'Price check of orders per channel instance (or EDI partner, or `api`); channels not listed are not checked' })),
    erpLoadMinutes: Type.Optional(Type.Integer({ minimum: 0, description: 'How often the ERP\'s whole price list is loaded (when the ERP connector offers one); 0: never. @default 60' })),
    refreshSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'How often each process re-reads the book from the store when another process changed it. @default 30' })),
  },
  { additionalProperties: false, description: 'Price book and price checks (docs/prices.md)' },
);
export type PricesConfigFile = Static<typeof PricesConfigSchema>;

/** One channel's price check with defaults applied. */
export interface PriceCheckPolicy {
  /** Percent of the book price a channel price may differ by. */
  tolerancePercent: number;
  /** Amount (decimal string, order currency) a channel unit price may differ by. */
  toleranceAmount: string;
  onMismatch: OnPriceMismatch;
}

/** The `prices` section with defaults applied. */
export interface PriceSettings {
  /** Rules of the configuration file, `source: 'config'`, already validated. */
  rules: PriceRule[];
  /** Absolute path of the rules file, read at start. */
  file: string | undefined;
  customerGroups: Record<string, string>;
  channels: Record<string, PriceCheckPolicy>;
  /** 0: the ERP's price list is never loaded. */
  erpLoadMs: number;
  refreshMs: number;
}

/** Applies defaults and checks each rule; problems name the path (`/prices/...`). */
export function resolvePrices(file: PricesConfigFile | undefined, _env: NodeJS.ProcessEnv, problems: string[]): PriceSettings {
  const rules: PriceRule[] = [];
  const ids = new Set<string>();
  (file?.rules ?? []).forEach((raw, i) => {
    const candidate = { ...raw, source: 'config' };
    const found = priceRuleProblems(candidate, `/prices/rules/${i}`);
    problems.push(...found.map((p) => `${p.pointer}: ${p.detail}`));
    if (found.length > 0) return;
    const rule = candidate as PriceRule;
    if (ids.has(rule.id)) problems.push(`/prices/rules/${i}/id: ${rule.id} is used by another rule`);
    ids.add(rule.id);
    rules.push(rule);
  });
  const channels: Record<string, PriceCheckPolicy> = {};
  for (const [id, check] of Object.entries(file?.channels ?? {})) {
    const amount = String(check.toleranceAmount ?? 0);
    if (!isDecimal(amount)) problems.push(`/prices/channels/${id}/toleranceAmount: must be a plain decimal number`);
    channels[id] = { tolerancePercent: check.tolerancePercent ?? 0, toleranceAmount: isDecimal(amount) ? amount : '0', onMismatch: check.onMismatch };
  }
  return {
    rules,
    file: file?.file === undefined ? undefined : resolvePath(file.file),
    customerGroups: file?.customerGroups ?? {},
    channels,
    erpLoadMs: (file?.erpLoadMinutes ?? 60) * 60_000,
    refreshMs: (file?.refreshSeconds ?? 30) * 1000,
  };
}
