import { describe, expect, it } from 'vitest';
import { formatReconciliation } from './inventory.js';

describe('crossdock inventory reconcile output', () => {
  it('says so when every reservation matches its order', () => {
    expect(formatReconciliation({ at: '2026-11-22T10:00:00Z', checked: 12, findings: [] }, 40))
      .toBe('Checked 12 orders holding stock in 0s: every reservation matches its order.\n');
  });

  it('shows each finding with what it means and the stock released', () => {
    const text = formatReconciliation({
      at: '2026-11-22T10:00:00Z', checked: 3,
      findings: [
        { orderId: 'ord_1', finding: 'leaked', state: 'cancelled', released: [{ sku: 'SKU-1', location: 'WH1', quantity: 2 }] },
        { orderId: 'ord_2', finding: 'posted', state: 'posted', released: [] },
      ],
    }, 1_200);
    expect(text).toBe([
      'Checked 3 orders holding stock in 1s: 2 corrected.',
      '  ord_1  leaked  (order cancelled): the order holds nothing any more; its stock was released',
      '      released 2 × SKU-1 at WH1',
      '  ord_2  posted  (order posted): already in the ERP; its reservation now waits for the ERP to allocate it',
      '',
    ].join('\n'));
  });
});
