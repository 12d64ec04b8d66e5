/**
 * The one catalogue of crossdock's errors. Each code fixes its kind, its HTTP status when it
 * reaches an API caller, and the action a person should take. The code is also the metric
 * label and the dead-letter grouping key, so codes are stable once published.
 * `docs/errors.md` is kept equal to this table by a test.
 */
export type ErrorKind =
  /** Well-formed, but the business says no. Needs a person; never retried. */
  | 'business'
  /** Breaks a contract (bad request, signature, target 4xx). Not retried. */
  | 'rejected'
  /** The world is unwell (timeout, 429, 5xx, breaker open). Retried with backoff. */
  | 'transient'
  /** crossdock is wrong. Retried a few times, then dead-lettered and logged. */
  | 'defect';

export interface ErrorDefinition {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly title: string;
  /** What a person should do about it. */
  readonly action: string;
}

export const ERRORS = {
  'request.invalid-json': {
    kind: 'rejected', status: 400, title: 'The request body is not valid JSON',
    action: 'Send a well-formed JSON document; the detail says where parsing stopped.',
  },
  'request.invalid': {
    kind: 'rejected', status: 422, title: 'The request does not match the schema',
    action: 'Correct the fields listed in `errors`; each names its JSON pointer.',
  },
  'request.unsupported-media-type': {
    kind: 'rejected', status: 415, title: 'Unsupported content type',
    action: 'Send the body as `application/json`.',
  },
  'request.too-large': {
    kind: 'rejected', status: 413, title: 'The request body is too large',
    action: 'Split the document or raise `api.bodyLimitBytes` in the configuration.',
  },
  'request.idempotency-conflict': {
    kind: 'rejected', status: 409, title: 'This key was already used with a different body',
    action: 'Use a new Idempotency-Key (or channel order id) for a different document, or resend the original body.',
  },
  'request.not-found': {
    kind: 'rejected', status: 404, title: 'Not found',
    action: 'Check the identifier; identifiers are returned by the call that created the resource.',
  },
  'request.conflict': {
    kind: 'rejected', status: 409, title: 'The resource is not in a state that allows this',
    action: 'Read the resource again and act on its current state.',
  },
  'auth.unauthenticated': {
    kind: 'rejected', status: 401, title: 'Credentials are missing or not valid',
    action: 'Send an API key as `Authorization: Bearer <key>` (or `X-API-Key`), or sign in to the console; keys are issued with `crossdock api-clients key`.',
  },
  'auth.login-failed': {
    kind: 'rejected', status: 401, title: 'Wrong user name or password',
    action: 'Check the user name and password; an administrator can set a new password with `crossdock users set-password`.',
  },
  'auth.forbidden': {
    kind: 'rejected', status: 403, title: 'The credentials do not grant the scope this needs',
    action: 'Use a key or user holding the scope named in the detail, or ask an administrator to grant it (docs/access.md).',
  },
  'auth.csrf': {
    kind: 'rejected', status: 403, title: 'Missing or wrong CSRF token',
    action: 'Send the `csrfToken` from `GET /v1/session` as the `x-csrf-token` header with every change made in a console session.',
  },
  'auth.origin-refused': {
    kind: 'rejected', status: 403, title: 'Request from another origin or host refused',
    action: 'Open the console at the address crossdock listens on (e.g. http://127.0.0.1:8080), or call the API with credentials.',
  },
  'auth.login-throttled': {
    kind: 'transient', status: 429, title: 'Too many failed sign-ins',
    action: 'Wait for the time in `Retry-After`, then sign in with the right password; an administrator can reset it.',
  },
  'auth.rate-limited': {
    kind: 'transient', status: 429, title: 'The API client is over its request rate',
    action: 'Slow down and retry after `Retry-After`; an administrator can raise the client\'s `ratePerMinute`.',
  },
  'auth.too-many-keys': {
    kind: 'rejected', status: 409, title: 'The API client already has two active keys',
    action: 'Revoke a key the client no longer uses, or issue the new one with `rotate` to revoke the oldest.',
  },
  'customer.unknown': {
    kind: 'business', status: 422, title: 'Unknown customer account',
    action: 'Create the customer in the ERP or fix the account mapping, then replay the order.',
  },
  'customer.credit-hold': {
    kind: 'business', status: 422, title: 'Customer is on credit hold',
    action: 'Release the credit hold or raise the credit limit in the ERP, then replay the order.',
  },
  'sku.unknown': {
    kind: 'business', status: 422, title: 'Unknown SKU',
    action: 'Create the item in the ERP or add a SKU cross-reference, then replay the order.',
  },
  'inventory.insufficient': {
    kind: 'business', status: 422, title: 'Not enough stock to promise',
    action: 'Receive or transfer stock, allow backorders for the channel, or reduce the order; then replay it. The reason names each short line.',
  },
  'inventory.feed-invalid': {
    kind: 'rejected', status: 422, title: 'The stock file cannot be read',
    action: 'Correct the rows and columns listed in `errors` (or the feed\'s `columns` settings) and send the whole file again; nothing from it was applied, and the file is kept in the journal.',
  },
  'inventory.feed-unauthorized': {
    kind: 'rejected', status: 401, title: 'Missing or wrong bearer token for the stock feed',
    action: 'Send `Authorization: Bearer <token>` with the feed\'s configured `httpToken`.',
  },
  'price.mismatch': {
    kind: 'business', status: 422, title: 'The channel price is outside the tolerance of the price book',
    action: 'Check the lines named in the reason: correct the price in the channel (or the rule in the price book, or the tolerance in `prices.channels`), then replay the order.',
  },
  'erp.rejected': {
    kind: 'business', status: 422, title: 'The ERP refused the document',
    action: 'Read the ERP message in the detail, correct the data in the ERP or the mapping, then replay.',
  },
  'webhook.signature-invalid': {
    kind: 'rejected', status: 401, title: 'The webhook signature does not match',
    action: 'Check the webhook secret configured for this channel instance; the rejected delivery is kept in the journal.',
  },
  'channel.unauthorized': {
    kind: 'business', status: 502, title: 'The channel refused crossdock\'s credentials',
    action: 'Renew or correct the channel credentials (token, key, app scopes) in the configuration, then replay.',
  },
  'channel.unmappable': {
    kind: 'business', status: 422, title: 'The channel document cannot be mapped to the canonical model',
    action: 'Read the problems in the detail (each names the field), fix the document or the mapping settings, then replay; the raw document is kept.',
  },
  'channel.not-found': {
    kind: 'business', status: 422, title: 'The channel does not know the referenced document',
    action: 'Check that the order, listing or fulfilment exists in the channel (it may have been deleted), then replay or discard.',
  },
  'target.rejected': {
    kind: 'rejected', status: 502, title: 'The target rejected the request as malformed',
    action: 'This is a mapping or contract problem: inspect the transformed payload and the response, fix the mapping, then replay.',
  },
  'target.timeout': {
    kind: 'transient', status: 504, title: 'The target did not answer in time',
    action: 'Retried automatically. If it persists, check the target system and the configured timeout.',
  },
  'target.rate-limited': {
    kind: 'transient', status: 503, title: 'The target is rate limiting crossdock',
    action: 'Retried automatically after the advertised delay. Lower the configured rate if this is frequent.',
  },
  'target.unavailable': {
    kind: 'transient', status: 503, title: 'The target answered with a server error',
    action: 'Retried automatically. If it persists, check the target system, then replay the dead letters.',
  },
  'target.unreachable': {
    kind: 'transient', status: 503, title: 'The target could not be reached or dropped the connection',
    action: 'Retried automatically; the order is checked in the target before any new create. Check network and target.',
  },
  'target.circuit-open': {
    kind: 'transient', status: 503, title: 'Calls to the target are paused by its circuit breaker',
    action: 'Nothing to do: work waits and resumes when probe calls succeed. Check the target if it stays open.',
  },
  'target.paused': {
    kind: 'transient', status: 503, title: 'An operator paused calls to the target',
    action: 'Nothing is lost: work waits in the queue without spending attempts. Resume the connector (POST /v1/connectors/{target}/resume) when the target may be called again.',
  },
  'edi.ack-overdue': {
    kind: 'business', status: 409, title: 'A trading partner has not acknowledged a document in time',
    action: 'Check with the partner that the file arrived (the interchange and group control numbers are in the detail); resend it from the journal or close the exception.',
  },
  'order.changed-after-post': {
    kind: 'business', status: 409, title: 'The channel changed or cancelled an order already in the ERP',
    action: 'Apply the change (or the cancellation) to the sales order in the ERP, then discard this dead letter; the new version is in the order timeline.',
  },
  'internal.waiting': {
    kind: 'transient', status: 503, title: 'Waiting for another step of the same document to finish',
    action: 'Nothing to do: retried shortly, without counting an attempt.',
  },
  'internal.defect': {
    kind: 'defect', status: 500, title: 'crossdock met a state it does not expect',
    action: 'Report it with the correlation id; the message is kept and can be replayed after a fix.',
  },
  'internal.shutting-down': {
    kind: 'transient', status: 503, title: 'crossdock is shutting down',
    action: 'Retry against another instance or after the restart.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export function definitionOf(code: ErrorCode): ErrorDefinition {
  return ERRORS[code];
}

/** Retries follow from the kind alone. */
export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'transient' || kind === 'defect';
}
