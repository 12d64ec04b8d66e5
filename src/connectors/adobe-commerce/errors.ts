import { CrossdockError } from '../../errors/crossdock-error.js';
import { arrayAt, isObject, text } from './document.js';

/**
 * Adobe Commerce errors are `{ message, parameters }` where `message` is a phrase with
 * placeholders: `%1`, `%2` … for a `parameters` array (1-based), `%name` for a `parameters`
 * object ("The consumer isn't authorized to access %resources."). Validation failures add an
 * `errors` array of the same shape (REST "Error format"). Renders the readable text.
 */
export function renderMagentoMessage(body: unknown): string | undefined {
  if (!isObject(body)) return text(body);
  const main = renderPhrase(body.message, body.parameters);
  const details = arrayAt(body.errors).flatMap((error) => {
    const rendered = isObject(error) ? renderPhrase(error.message, error.parameters) : undefined;
    return rendered === undefined ? [] : [rendered];
  });
  const all = [...(main === undefined ? [] : [main]), ...details];
  return all.length === 0 ? undefined : all.join('; ');
}

function renderPhrase(message: unknown, parameters: unknown): string | undefined {
  const phrase = text(message);
  if (phrase === undefined) return undefined;
  return phrase.replace(/%(\w+)/g, (placeholder, name: string) => {
    const value = Array.isArray(parameters)
      ? /^\d+$/.test(name) ? parameters[Number(name) - 1] : undefined
      : isObject(parameters) ? parameters[name] : undefined;
    return value === undefined || value === null ? placeholder : String(value);
  });
}

/** The values named in an error's `parameters` (and its `errors[]`), to find which SKUs it is about. */
export function errorParameterValues(body: unknown): string[] {
  if (!isObject(body)) return [];
  const values = (parameters: unknown): string[] => {
    const list = Array.isArray(parameters) ? parameters : isObject(parameters) ? Object.values(parameters) : [];
    return list.flatMap((value) => (typeof value === 'string' || typeof value === 'number' ? [String(value)] : []));
  };
  return [...values(body.parameters), ...arrayAt(body.errors).flatMap((error) => (isObject(error) ? values(error.parameters) : []))];
}

/**
 * A 4xx answer as a CrossdockError: 401/403 → `channel.unauthorized` (the integration token is
 * wrong, revoked, or lacks the ACL resource the message names), 404 → `channel.not-found`,
 * anything else → `target.rejected` with Magento's own text.
 */
export function adobeCommerceError(target: string, operation: string, status: number, body: unknown): CrossdockError {
  const rendered = renderMagentoMessage(body) ?? `HTTP ${status}`;
  const message = `Adobe Commerce answered ${operation} with HTTP ${status}: ${rendered}`;
  const options = { target, context: { operation, status, body } };
  if (status === 401 || status === 403) return new CrossdockError('channel.unauthorized', message, options);
  if (status === 404) return new CrossdockError('channel.not-found', message, options);
  return new CrossdockError('target.rejected', message, options);
}
