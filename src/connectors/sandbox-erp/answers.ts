import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpResponse } from '../../protect/types.js';

/** The system name on external references and errors. */
export const SANDBOX_ERP_SYSTEM = 'sandbox-erp';

/** How the ERP explains a refusal or an error. */
export const ErpMessage = Type.Object({ code: Type.String(), message: Type.String() });

/**
 * The answer if it has the expected status and shape; anything else breaks the contract. The
 * connector trusts no field of an answer this has not checked.
 */
export function expectAnswer<S extends TSchema>(response: HttpResponse, status: number, schema: S, operation: string): Static<S> {
  if (response.status === status && Value.Check(schema, response.body)) return response.body;
  throw rejected(response, operation);
}

/** An answer outside the contract: a mapping or contract problem for a person, not a retry. */
export function rejected(response: HttpResponse, operation: string): CrossdockError {
  const erp = Value.Check(ErpMessage, response.body) ? response.body : undefined;
  return new CrossdockError(
    'target.rejected',
    `Unexpected answer from the sandbox ERP to ${operation}: HTTP ${response.status}${erp ? ` ${erp.code}: ${erp.message}` : ''}`,
    { target: SANDBOX_ERP_SYSTEM, context: { operation, status: response.status, ...(erp ? { erpCode: erp.code, erpMessage: erp.message } : {}) } },
  );
}
