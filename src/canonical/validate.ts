import { Compile } from 'typebox/compile';
import { CrossdockError } from '../errors/crossdock-error.js';
import { Order } from './order.js';

const orderValidator = Compile(Order);

/**
 * Checks a canonical order read back from the store (or built by a mapping) against Order v1.
 * A mismatch is a defect: crossdock wrote something it cannot read.
 */
export function parseOrder(value: unknown): Order {
  if (orderValidator.Check(value)) return value as Order;
  const errors = [...orderValidator.Errors(value)].slice(0, 10).map((e) => ({ pointer: e.instancePath || '/', detail: e.message }));
  throw new CrossdockError('internal.defect', 'stored order does not match canonical Order v1', { errors });
}
