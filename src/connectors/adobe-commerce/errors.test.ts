import { describe, expect, it } from 'vitest';
import { adobeCommerceError, errorParameterValues, renderMagentoMessage } from './errors.js';

describe('Adobe Commerce error bodies', () => {
  it('substitutes named and positional parameters, and appends validation errors', () => {
    expect(renderMagentoMessage({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } }))
      .toBe("The consumer isn't authorized to access Magento_Sales::actions_view.");
    expect(renderMagentoMessage({ message: 'No such entity with %1 = %2', parameters: ['orderId', 42] })).toBe('No such entity with orderId = 42');
    expect(renderMagentoMessage({ message: 'Validation Failed', errors: [{ message: '"%field" is required.', parameters: { field: 'sku' } }] })).toBe('Validation Failed; "sku" is required.');
    expect(renderMagentoMessage({ message: 'Left as is: %missing' })).toBe('Left as is: %missing');
    expect(renderMagentoMessage('plain text')).toBe('plain text');
  });

  it('lists the parameter values, to find the SKUs a refusal names', () => {
    expect(errorParameterValues({ message: 'x', parameters: ['A'], errors: [{ message: 'y', parameters: { sku: 'B' } }] })).toEqual(['A', 'B']);
  });

  it('classifies 401/403, 404 and other 4xx', () => {
    expect(adobeCommerceError('m', 'orders.list', 403, {}).code).toBe('channel.unauthorized');
    expect(adobeCommerceError('m', 'orders.get', 404, { message: 'gone' }).code).toBe('channel.not-found');
    const rejected = adobeCommerceError('m', 'orders.list', 400, { message: '"%fieldName" is required.', parameters: { fieldName: 'searchCriteria' } });
    expect([rejected.code, rejected.message]).toEqual(['target.rejected', 'Adobe Commerce answered orders.list with HTTP 400: "searchCriteria" is required.']);
  });
});
