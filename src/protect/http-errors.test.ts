import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../errors/crossdock-error.js';
import { classifyTransportError } from './http-errors.js';

const scope = { target: 'erp', operation: 'salesOrder.create' };
const live = new AbortController().signal;
const networkError = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('classifyTransportError', () => {
  it('returns the abort reason the policy chose when the signal aborted', () => {
    const controller = new AbortController();
    const timeout = new CrossdockError('target.timeout');
    controller.abort(timeout);
    expect(classifyTransportError(new DOMException('aborted', 'AbortError'), controller.signal, scope)).toBe(timeout);
  });

  it('finds a refused connection inside an AggregateError from dual-stack connection attempts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 'ECONNREFUSED' });
    const error = classifyTransportError(networkError(new AggregateError([refused])), live, scope);
    expect(error).toMatchObject({ code: 'target.unreachable', context: { code: 'ECONNREFUSED' } });
  });

  it("classifies undici's header timeout as target.timeout", () => {
    const cause = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(classifyTransportError(networkError(cause), live, scope)).toMatchObject({ code: 'target.timeout' });
  });

  it('treats a body cut off mid-way as target.unreachable', () => {
    expect(classifyTransportError(new TypeError('terminated'), live, scope)).toMatchObject({ code: 'target.unreachable' });
  });

  it('leaves errors that are not network failures alone, so they surface as defects', () => {
    const invalidUrl = new TypeError('Failed to parse URL from nope');
    expect(classifyTransportError(invalidUrl, live, scope)).toBe(invalidUrl);
  });
});
