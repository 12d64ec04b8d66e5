import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Currency, Decimal, StringEnum, UnitOfMeasure } from './common.js';
import { compareDecimals } from '../lib/money.js';

export const PRICE_RULE_KINDS = ['list', 'tier', 'contract', 'promotion'] as const;
export type PriceRuleKind = (typeof PRICE_RULE_KINDS)[number];

/**
 * A day (`2026-11-27`, the whole UTC day) or an instant (`2026-11-27T06:00:00Z`). `validFrom`
 * is the first moment a rule applies, `validTo` the last (a day: up to its end).
 */
const ValidityBound = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description: 'a date (YYYY-MM-DD, the whole UTC day) or an ISO 8601 timestamp with a zone',
});

export const QuantityBreak = Type.Object(
  {
    minQuantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000, description: 'From this quantity on a line' }),
    unitPrice: Decimal,
  },
  { additionalProperties: false, description: 'A lower unit price from a quantity on' },
);

/** What every kind of rule has. */
const common = {
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Unique across every source; a rule with the same id replaces it' }),
  source: Type.String({ pattern: '^[a-z][a-z0-9-]*(:[A-Za-z0-9._-]+)*$', maxLength: 100, description: 'Where the rule comes from: `config`, `file`, `api`, `erp:<name>` …' }),
  sku: Type.String({ minLength: 1, maxLength: 100 }),
  currency: Currency,
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Applies only to quotes for this region (order checks use the ship-to country); absent: every region' })),
  uom: Type.Optional(UnitOfMeasure),
  validFrom: Type.Optional(ValidityBound),
  validTo: Type.Optional(ValidityBound),
  breaks: Type.Optional(Type.Array(QuantityBreak, { maxItems: 50, description: 'Quantity breaks: the lowest price among the unit price and the breaks a quantity reaches' })),
  description: Type.Optional(Type.String({ maxLength: 500, description: 'For people: the contract number, the campaign' })),
};

export const ListPriceRule = Type.Object(
  { kind: Type.Literal('list'), ...common, unitPrice: Decimal },
  { additionalProperties: false, description: 'The price everyone pays unless another rule says otherwise' },
);

export const TierPriceRule = Type.Object(
  { kind: Type.Literal('tier'), ...common, group: Type.String({ minLength: 1, maxLength: 100, description: 'Customer group (`prices.customerGroups`)' }), unitPrice: Decimal },
  { additionalProperties: false, description: "A customer group's price" },
);

export const ContractPriceRule = Type.Object(
  { kind: Type.Literal('contract'), ...common, customer: Type.String({ minLength: 1, maxLength: 100, description: 'Customer account id' }), unitPrice: Decimal },
  { additionalProperties: false, description: "One customer's negotiated price" },
);

export const PromotionPriceRule = Type.Object(
  {
    kind: Type.Literal('promotion'),
    ...common,
    validFrom: ValidityBound,
    validTo: ValidityBound,
    channels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 100, description: 'Only orders and quotes from these channels; absent: every channel' })),
    unitPrice: Type.Optional(Decimal),
    percentOff: Type.Optional(Type.Number({ minimum: 0.01, maximum: 100, description: 'Percent off the price the customer would otherwise pay (tier or list)' })),
  },
  { additionalProperties: false, description: 'A date-bounded price: a fixed unit price or a percent off' },
);

export const PriceRule = Type.Union([ListPriceRule, TierPriceRule, ContractPriceRule, PromotionPriceRule], { description: 'A price rule' });

export type ListPriceRule = Static<typeof ListPriceRule>;
export type TierPriceRule = Static<typeof TierPriceRule>;
export type ContractPriceRule = Static<typeof ContractPriceRule>;
export type PromotionPriceRule = Static<typeof PromotionPriceRule>;
export type PriceRule = Static<typeof PriceRule>;
export type QuantityBreak = Static<typeof QuantityBreak>;

const SCHEMA_OF: Record<PriceRuleKind, TSchema> = { list: ListPriceRule, tier: TierPriceRule, contract: ContractPriceRule, promotion: PromotionPriceRule };
const validators = Object.fromEntries(Object.entries(SCHEMA_OF).map(([kind, schema]) => [kind, Compile(schema)])) as Record<PriceRuleKind, ReturnType<typeof Compile>>;

/** One problem with a rule, named by its JSON pointer below `prefix`. */
export interface RuleProblem {
  pointer: string;
  detail: string;
}

/**
 * The problems that keep `value` from being a PriceRule; [] when it is one. Validated against
 * the schema of its `kind` (so problems name fields, not "must match one of four"), then the
 * rules a schema cannot say: a promotion has a unit price or a percent off (one of them),
 * `validFrom` is not after `validTo`, quantity breaks do not repeat a quantity.
 */
export function priceRuleProblems(value: unknown, prefix = ''): RuleProblem[] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ pointer: prefix || '/', detail: 'must be an object' }];
  if (!(PRICE_RULE_KINDS as readonly unknown[]).includes(kind)) {
    return [{ pointer: `${prefix}/kind`, detail: `must be one of ${PRICE_RULE_KINDS.join(', ')}` }];
  }
  const validator = validators[kind as PriceRuleKind];
  if (!validator.Check(value)) {
    const seen = new Set<string>();
    const problems: RuleProblem[] = [];
    for (const e of validator.Errors(value)) {
      const problem = fieldProblem(e, prefix);
      const key = `${problem?.pointer}|${problem?.detail}`;
      if (!problem || seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
      if (problems.length === 20) break;
    }
    return problems;
  }
  const rule = value as PriceRule;
  const problems: RuleProblem[] = [];
  if (rule.kind === 'promotion' && (rule.unitPrice === undefined) === (rule.percentOff === undefined)) {
    problems.push({ pointer: `${prefix}/unitPrice`, detail: 'a promotion has either unitPrice or percentOff' });
  }
  if (rule.kind === 'promotion' && rule.percentOff !== undefined && rule.breaks !== undefined) {
    problems.push({ pointer: `${prefix}/breaks`, detail: 'a percent-off promotion has no quantity breaks (the breaks of the price it reduces apply)' });
  }
  const from = rule.validFrom === undefined ? undefined : validityStart(rule.validFrom);
  const to = rule.validTo === undefined ? undefined : validityEnd(rule.validTo);
  if (Number.isNaN(from) || Number.isNaN(to)) problems.push({ pointer: `${prefix}/${Number.isNaN(from) ? 'validFrom' : 'validTo'}`, detail: 'is not a real date' });
  else if (from !== undefined && to !== undefined && from > to) problems.push({ pointer: `${prefix}/validTo`, detail: `is before validFrom (${rule.validFrom})` });
  const seen = new Set<number>();
  (rule.breaks ?? []).forEach((b, i) => {
    if (seen.has(b.minQuantity)) problems.push({ pointer: `${prefix}/breaks/${i}/minQuantity`, detail: `${b.minQuantity} is given twice` });
    seen.add(b.minQuantity);
  });
  if ('unitPrice' in rule && rule.unitPrice !== undefined && compareDecimals(rule.unitPrice, '0') < 0) {
    problems.push({ pointer: `${prefix}/unitPrice`, detail: 'must not be negative' });
  }
  (rule.breaks ?? []).forEach((b, i) => {
    if (compareDecimals(b.unitPrice, '0') < 0) problems.push({ pointer: `${prefix}/breaks/${i}/unitPrice`, detail: 'must not be negative' });
  });
  return problems;
}

/** A schema error as a field problem; undefined for the echo a closed object adds beside `additionalProperties`. */
function fieldProblem(e: { keyword: string; instancePath: string; message: string; params?: unknown }, prefix: string): RuleProblem | undefined {
  const params = (e.params ?? {}) as Record<string, unknown>;
  if (e.keyword === 'boolean') return undefined;
  if (e.keyword === 'required' && Array.isArray(params.requiredProperties)) {
    return { pointer: `${prefix}${e.instancePath}/${String(params.requiredProperties[0])}`, detail: 'is required' };
  }
  if (e.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
    return { pointer: `${prefix}${e.instancePath}/${String(params.additionalProperties[0])}`, detail: 'is not a known field' };
  }
  if (e.keyword === 'enum' && e.instancePath.endsWith('/currency')) return { pointer: `${prefix}${e.instancePath}`, detail: 'must be an ISO 4217 currency code' };
  if (e.keyword === 'pattern' && /\/(unitPrice|validFrom|validTo)$/.test(e.instancePath)) {
    const what = e.instancePath.endsWith('unitPrice') ? 'a decimal string such as "10.00"' : 'a date (YYYY-MM-DD) or an ISO 8601 timestamp with a zone';
    return { pointer: `${prefix}${e.instancePath}`, detail: `must be ${what}` };
  }
  return { pointer: `${prefix}${e.instancePath}` || '/', detail: e.message };
}

/** Epoch ms of the first moment of a validity bound (a day starts at 00:00 UTC). NaN when it is no real date. */
export function validityStart(bound: string): number {
  return bound.length === 10 ? realDay(bound) : Date.parse(bound);
}

/** Epoch ms of the last moment of a validity bound (a day ends at 23:59:59.999 UTC). NaN when it is no real date. */
export function validityEnd(bound: string): number {
  return bound.length === 10 ? realDay(bound) + 86_400_000 - 1 : Date.parse(bound);
}

/** `Date.parse` rolls 2026-02-30 over to March; a day must read back as itself. */
function realDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? Number.NaN : ms;
}

/** Narrows a value already checked by `priceRuleProblems` (or read back from the store) to a PriceRule. */
export function isPriceRule(value: unknown): value is PriceRule {
  return priceRuleProblems(value).length === 0;
}

/** The `kind` field as a schema, for route schemas that validate the rest per kind. */
export const PriceRuleKindSchema = StringEnum(PRICE_RULE_KINDS, 'list, tier, contract or promotion');
