import { Compile } from 'typebox/compile';
import { CrossdockError } from '../errors/crossdock-error.js';
import { Order, OrderSubmission } from './order.js';

const orderValidator = Compile(Order);
const submissionValidator = Compile(OrderSubmission);

/**
 * Checks a canonical order read back from the store (or built by a mapping) against Order v1.
 * A mismatch is a defect: crossdock wrote something it cannot read.
 */
export function parseOrder(value: unknown): Order {
  if (orderValidator.Check(value)) return value as Order;
  const errors = [...orderValidator.Errors(value)].slice(0, 10).map((e) => ({ pointer: e.instancePath || '/', detail: e.message }));
  throw new CrossdockError('internal.defect', 'stored order does not match canonical Order v1', { errors });
}

/** The problems (JSON pointer + message) that keep `value` from being an OrderSubmission v1; [] when it is one. */
export function submissionProblems(value: unknown): { pointer: string; detail: string }[] {
  if (submissionValidator.Check(value)) return [];
  return [...submissionValidator.Errors(value)].slice(0, 20).map((e) => ({ pointer: e.instancePath || '/', detail: e.message }));
}
