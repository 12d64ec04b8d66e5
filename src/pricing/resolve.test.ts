import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceRuleProblems, validityEnd, validityStart, type PriceRule } from '../canonical/price.js';
import { compareDecimals } from '../lib/money.js';
import { PriceBook } from './book.js';
import { resolvePrice, type PriceRequest } from './resolve.js';

const AT = Date.parse('2026-06-15T12:00:00Z');

const list = (sku: string, unitPrice: string, extra: Partial<PriceRule> = {}): PriceRule =>
  ({ kind: 'list', id: `list:${sku}:${extra.currency ?? 'USD'}${extra.region ? `:${extra.region}` : ''}`, source: 'config', sku, currency: 'USD', unitPrice, ...extra }) as PriceRule;
const tier = (sku: string, group: string, unitPrice: string, extra: Partial<PriceRule> = {}): PriceRule =>
  ({ kind: 'tier', id: `tier:${group}:${sku}`, source: 'config', sku, currency: 'USD', group, unitPrice, ...extra }) as PriceRule;
const contract = (sku: string, customer: string, unitPrice: string, extra: Partial<PriceRule> = {}): PriceRule =>
  ({ kind: 'contract', id: `contract:${customer}:${sku}`, source: 'erp:sandbox', sku, currency: 'USD', customer, unitPrice, ...extra }) as PriceRule;
const promotion = (sku: string, id: string, extra: Record<string, unknown>): PriceRule =>
  ({ kind: 'promotion', id, source: 'api', sku, currency: 'USD', validFrom: '2026-06-01', validTo: '2026-06-30', ...extra }) as PriceRule;

const ask = (overrides: Partial<PriceRequest> = {}): PriceRequest => ({ customer: 'C-100', currency: 'USD', at: AT, sku: 'SKU-1', quantity: 1, ...overrides });

describe('price resolution', () => {
  it('answers the list price when nothing more specific applies, and nothing for an unknown SKU or currency', () => {
    const book = new PriceBook([list('SKU-1', '10.00'), list('SKU-1', '9.20', { currency: 'EUR' })]);
    expect(resolvePrice(book, ask())).toEqual({ unitPrice: '10.00', rule: { id: 'list:SKU-1:USD', kind: 'list', why: 'list price' } });
    expect(resolvePrice(book, ask({ currency: 'EUR' }))?.unitPrice).toBe('9.20');
    expect(resolvePrice(book, ask({ currency: 'JPY' }))).toBeUndefined();
    expect(resolvePrice(book, ask({ sku: 'SKU-2' }))).toBeUndefined();
  });

  it("prefers the customer group's tier price to the list price, even when the tier is higher", () => {
    const book = new PriceBook([list('SKU-1', '10.00'), tier('SKU-1', 'gold', '9.00'), tier('SKU-1', 'odd', '11.00')], { 'C-100': 'gold', 'C-200': 'odd' });
    expect(resolvePrice(book, ask())).toMatchObject({ unitPrice: '9.00', rule: { id: 'tier:gold:SKU-1', kind: 'tier', why: 'price of customer group gold' } });
    expect(resolvePrice(book, ask({ customer: 'C-200' }))?.unitPrice).toBe('11.00');
    expect(resolvePrice(book, ask({ customer: 'C-300' }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask({ customer: 'C-300', customerGroup: 'gold' }))?.unitPrice).toBe('9.00');
  });

  it("lets the customer's contract win over tier, list and even a lower promotion", () => {
    const book = new PriceBook([
      list('SKU-1', '10.00'), tier('SKU-1', 'gold', '9.00'), contract('SKU-1', 'C-100', '9.50'),
      promotion('SKU-1', 'promo:june', { unitPrice: '7.00' }),
    ], { 'C-100': 'gold' });
    expect(resolvePrice(book, ask())).toMatchObject({ unitPrice: '9.50', rule: { kind: 'contract', why: 'contract price of customer C-100' } });
    expect(resolvePrice(book, ask({ customer: 'C-999' }))).toMatchObject({ unitPrice: '7.00', rule: { kind: 'promotion' } });
  });

  it('applies a contract only within its dates, whole days in UTC', () => {
    const book = new PriceBook([list('SKU-1', '10.00'), contract('SKU-1', 'C-100', '8.00', { validFrom: '2026-01-01', validTo: '2026-06-15' })]);
    expect(resolvePrice(book, ask({ at: Date.parse('2026-06-15T23:59:59.999Z') }))).toMatchObject({
      unitPrice: '8.00', rule: { why: 'contract price of customer C-100, valid 2026-01-01 to 2026-06-15' },
    });
    expect(resolvePrice(book, ask({ at: Date.parse('2026-06-16T00:00:00Z') }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask({ at: Date.parse('2025-12-31T23:59:59Z') }))?.unitPrice).toBe('10.00');
  });

  it('lets a promotion win only when it lowers the price', () => {
    const book = new PriceBook([list('SKU-1', '10.00'), tier('SKU-1', 'gold', '8.00'), promotion('SKU-1', 'promo:9', { unitPrice: '9.00' })], { 'C-100': 'gold' });
    expect(resolvePrice(book, ask())?.rule.id).toBe('tier:gold:SKU-1');
    const won = resolvePrice(book, ask({ customer: 'C-500' }));
    expect(won).toMatchObject({ unitPrice: '9.00', rule: { id: 'promo:9', kind: 'promotion' } });
    expect(won?.rule.why).toBe('promotional price, valid 2026-06-01 to 2026-06-30; lower than the list price 10.00 (rule list:SKU-1:USD)');
  });

  it('takes a percent off the price the customer would otherwise pay, in the currency\'s minor units', () => {
    const book = new PriceBook([
      list('SKU-1', '10.00'), tier('SKU-1', 'gold', '8.00'), promotion('SKU-1', 'promo:15', { percentOff: 15 }),
      list('SKU-1', '1333', { currency: 'JPY' }), promotion('SKU-1', 'promo:jpy', { currency: 'JPY', percentOff: 10 }),
    ], { 'C-100': 'gold' });
    expect(resolvePrice(book, ask())).toMatchObject({ unitPrice: '6.80', rule: { id: 'promo:15', why: 'promotion: 15 % off the price of customer group gold 8.00 (rule tier:gold:SKU-1), valid 2026-06-01 to 2026-06-30' } });
    expect(resolvePrice(book, ask({ customer: 'C-9' }))?.unitPrice).toBe('8.50');
    expect(resolvePrice(book, ask({ currency: 'JPY' }))?.unitPrice).toBe('1200');
  });

  it('applies a promotion only on its channels and within its dates', () => {
    const book = new PriceBook([list('SKU-1', '10.00'), promotion('SKU-1', 'promo:shop', { unitPrice: '8.00', channels: ['shopify-us'], validFrom: '2026-06-10T06:00:00Z', validTo: '2026-06-20' })]);
    expect(resolvePrice(book, ask({ channel: 'shopify-us' }))).toMatchObject({ unitPrice: '8.00', rule: { why: expect.stringContaining('on channel shopify-us') } });
    expect(resolvePrice(book, ask({ channel: 'b2b-portal' }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask()))?.toMatchObject({ unitPrice: '10.00' });
    expect(resolvePrice(book, ask({ channel: 'shopify-us', at: Date.parse('2026-06-10T05:59:59Z') }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask({ channel: 'shopify-us', at: Date.parse('2026-06-20T23:00:00Z') }))?.unitPrice).toBe('8.00');
  });

  it('takes the best quantity break the quantity reaches, and ignores breaks that would raise the price', () => {
    const book = new PriceBook([list('SKU-1', '10.00', { breaks: [{ minQuantity: 10, unitPrice: '9.00' }, { minQuantity: 100, unitPrice: '8.00' }, { minQuantity: 50, unitPrice: '9.50' }] } as Partial<PriceRule>)]);
    expect(resolvePrice(book, ask({ quantity: 9.5 }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask({ quantity: 10 }))).toMatchObject({ unitPrice: '9.00', minQuantity: 10, rule: { why: 'list price, quantity break from 10 (10 ordered)' } });
    expect(resolvePrice(book, ask({ quantity: 60 }))?.unitPrice).toBe('9.00');
    expect(resolvePrice(book, ask({ quantity: 100 }))?.unitPrice).toBe('8.00');
  });

  it("lets a regional rule replace the rule for every region, and never applies another region's", () => {
    const book = new PriceBook([list('SKU-1', '10.00'), list('SKU-1', '11.00', { region: 'CA' }), list('SKU-1', '7.00', { region: 'MX' })]);
    expect(resolvePrice(book, ask({ region: 'CA' }))).toMatchObject({ unitPrice: '11.00', rule: { why: 'list price, region CA' } });
    expect(resolvePrice(book, ask({ region: 'US' }))?.unitPrice).toBe('10.00');
    expect(resolvePrice(book, ask())?.unitPrice).toBe('10.00');
  });

  it('skips rules for another unit of measure', () => {
    const book = new PriceBook([list('SKU-1', '10.00', { uom: 'EA' }), list('SKU-1', '110.00', { uom: 'CA', id: 'list:case' } as Partial<PriceRule>)]);
    expect(resolvePrice(book, ask({ uom: 'CA' }))?.unitPrice).toBe('110.00');
    expect(resolvePrice(book, ask({ uom: 'EA' }))?.unitPrice).toBe('10.00');
  });

  it('picks the lowest of several rules of one kind, then the smallest id', () => {
    const book = new PriceBook([
      contract('SKU-1', 'C-100', '9.00', { id: 'b' } as Partial<PriceRule>),
      contract('SKU-1', 'C-100', '8.00', { id: 'c' } as Partial<PriceRule>),
      contract('SKU-1', 'C-100', '8.00', { id: 'a' } as Partial<PriceRule>),
    ]);
    expect(resolvePrice(book, ask())?.rule.id).toBe('a');
  });

  it('follows updates: a replaced rule answers its new price, a removed one nothing, a replaced source loses what it no longer has', () => {
    const book = new PriceBook([list('SKU-1', '10.00'), list('SKU-2', '20.00', { source: 'erp:sandbox' })]);
    book.upsert([list('SKU-1', '12.00')]);
    expect(resolvePrice(book, ask())?.unitPrice).toBe('12.00');
    expect(book.remove(['list:SKU-1:USD', 'nope'])).toBe(1);
    expect(resolvePrice(book, ask())).toBeUndefined();
    expect(book.replaceSource('erp:sandbox', [list('SKU-3', '30.00', { source: 'erp:sandbox' })])).toEqual({ upserted: 1, removed: 1 });
    expect(book.skus('USD')).toEqual(['SKU-3']);
    expect(book.size).toBe(1);
  });

  it('resolves a 20-line quote in well under a millisecond on a large book', () => {
    const rules: PriceRule[] = [];
    for (let i = 0; i < 20_000; i++) {
      const sku = `SKU-${i}`;
      rules.push(list(sku, '10.00', { breaks: [{ minQuantity: 10, unitPrice: '9.50' }] } as Partial<PriceRule>), tier(sku, 'gold', '9.80'));
      if (i % 10 === 0) rules.push(contract(sku, `C-${i % 2000}`, '9.00', { validFrom: '2026-01-01', validTo: '2026-12-31' }));
      if (i % 50 === 0) rules.push(promotion(sku, `promo:${i}`, { percentOff: 5 }));
    }
    const book = new PriceBook(rules, { 'C-7': 'gold' });
    const lines = Array.from({ length: 20 }, (_, k) => `SKU-${k * 997}`);
    const quote = () => lines.map((sku, k) => resolvePrice(book, ask({ sku, customer: 'C-7', quantity: k + 1 })));
    for (let i = 0; i < 200; i++) quote();
    const runs = 500;
    const started = performance.now();
    for (let i = 0; i < runs; i++) quote();
    const perQuoteMs = (performance.now() - started) / runs;
    expect(quote().every((p) => p !== undefined)).toBe(true);
    expect(perQuoteMs).toBeLessThan(0.5);
  });
});

describe('price resolution properties', () => {
  const day = fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
  const price = fc.integer({ min: 1, max: 100_000 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
  const breaks = fc.array(fc.record({ minQuantity: fc.integer({ min: 2, max: 200 }), unitPrice: price }), { maxLength: 4 })
    .map((bs) => [...new Map(bs.map((b) => [b.minQuantity, b])).values()]);
  const ruleArb: fc.Arbitrary<PriceRule> = fc.record({
    n: fc.integer({ min: 0, max: 1_000_000 }),
    kind: fc.constantFrom('list', 'tier', 'contract', 'promotion'),
    sku: fc.constantFrom('A', 'B'),
    currency: fc.constantFrom('USD', 'EUR'),
    region: fc.option(fc.constantFrom('US', 'CA'), { nil: undefined }),
    customer: fc.constantFrom('C-1', 'C-2'),
    group: fc.constantFrom('gold', 'silver'),
    unitPrice: price,
    percentOff: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
    from: fc.option(day, { nil: undefined }),
    length: fc.integer({ min: 0, max: 30 }),
    channels: fc.option(fc.constantFrom(['web'], ['edi', 'web']), { nil: undefined }),
    breaks,
  }).map((r) => {
    const base = { id: `${r.kind}-${r.n}`, source: 'api', sku: r.sku, currency: r.currency, ...(r.region ? { region: r.region } : {}), breaks: r.breaks };
    const dates = r.from === undefined ? {} : { validFrom: r.from, validTo: new Date(Date.parse(r.from) + r.length * 86_400_000).toISOString().slice(0, 10) };
    switch (r.kind) {
      case 'list': return { ...base, ...dates, kind: 'list', unitPrice: r.unitPrice } as PriceRule;
      case 'tier': return { ...base, ...dates, kind: 'tier', group: r.group, unitPrice: r.unitPrice } as PriceRule;
      case 'contract': return { ...base, ...dates, kind: 'contract', customer: r.customer, unitPrice: r.unitPrice } as PriceRule;
      default: {
        const from = r.from ?? '2026-01-10';
        const promo = { ...base, kind: 'promotion', validFrom: from, validTo: new Date(Date.parse(from) + r.length * 86_400_000).toISOString().slice(0, 10), ...(r.channels ? { channels: r.channels } : {}) };
        return (r.percentOff === undefined ? { ...promo, unitPrice: r.unitPrice } : { ...promo, breaks: undefined, percentOff: r.percentOff }) as PriceRule;
      }
    }
  });
  const requestArb = fc.record({
    customer: fc.constantFrom('C-1', 'C-2', 'C-3'),
    currency: fc.constantFrom('USD', 'EUR'),
    region: fc.option(fc.constantFrom('US', 'CA'), { nil: undefined }),
    channel: fc.option(fc.constantFrom('web', 'edi'), { nil: undefined }),
    at: fc.integer({ min: 0, max: 70 * 86_400_000 - 1 }).map((ms) => Date.UTC(2026, 0, 1) + ms),
    sku: fc.constantFrom('A', 'B'),
    quantity: fc.integer({ min: 1, max: 300 }),
  });
  const groups = { 'C-1': 'gold', 'C-2': 'silver' };

  it('generates only valid rules', () => {
    fc.assert(fc.property(ruleArb, (rule) => {
      expect(priceRuleProblems(rule)).toEqual([]);
    }));
  });

  it('never answers with a rule that does not apply to the date, customer, currency, region and channel asked for', () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 25 }), requestArb, (rules, request) => {
      const book = new PriceBook(rules, groups);
      const won = resolvePrice(book, request);
      if (!won) return;
      const rule = book.get(won.rule.id)!;
      expect(rule.sku).toBe(request.sku);
      expect(rule.currency).toBe(request.currency);
      if (rule.region !== undefined) expect(rule.region).toBe(request.region);
      if (rule.validFrom !== undefined) expect(request.at).toBeGreaterThanOrEqual(validityStart(rule.validFrom));
      if (rule.validTo !== undefined) expect(request.at).toBeLessThanOrEqual(validityEnd(rule.validTo));
      if (rule.kind === 'contract') expect(rule.customer).toBe(request.customer);
      if (rule.kind === 'tier') expect(rule.group).toBe(groups[request.customer as keyof typeof groups]);
      if (rule.kind === 'promotion' && rule.channels) expect(rule.channels).toContain(request.channel);
    }), { numRuns: 400 });
  });

  it('never lets a promotion raise the price, and never prices above every applicable list and tier rule without a contract', () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 25 }), requestArb, (rules, request) => {
      const withPromotions = resolvePrice(new PriceBook(rules, groups), request);
      const without = resolvePrice(new PriceBook(rules.filter((r) => r.kind !== 'promotion'), groups), request);
      if (withPromotions && without) expect(compareDecimals(withPromotions.unitPrice, without.unitPrice)).toBeLessThanOrEqual(0);
      if (without && !withPromotions) throw new Error('a promotion took a price away');
    }), { numRuns: 300 });
  });

  it('never raises the unit price when the quantity rises, within one rule', () => {
    fc.assert(fc.property(ruleArb, requestArb, fc.integer({ min: 1, max: 300 }), (rule, request, more) => {
      if (rule.kind === 'promotion' && rule.percentOff !== undefined) return;
      const book = new PriceBook([rule], groups);
      const target = { ...request, sku: rule.sku, currency: rule.currency, region: rule.region, customer: rule.kind === 'contract' ? rule.customer : request.customer, channel: 'web', at: rule.validFrom ? validityStart(rule.validFrom) : request.at };
      const small = resolvePrice(book, target);
      const large = resolvePrice(book, { ...target, quantity: target.quantity + more });
      if (small && large) expect(compareDecimals(large.unitPrice, small.unitPrice)).toBeLessThanOrEqual(0);
    }), { numRuns: 400 });
  });
});
