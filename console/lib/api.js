// The console's one way to reach crossdock: the same /v1 API every client uses. Errors arrive as
// RFC 9457 problem+json and are thrown as ApiError so every view can show them the same way.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail ?? '';
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.retryAfter = headers?.get('retry-after') ?? null;
    this.problem = problem;
  }
}

/** Which scope a 403 names: the problem's own field, its detail text, or the scope the caller expected. */
export function missingScope(error, expected) {
  const named = error.problem?.scope ?? error.problem?.requiredScope;
  if (named) return named;
  const match = /\b(admin|[a-z-]+:(?:read|write))\b/.exec(`${error.detail ?? ''} ${error.title ?? ''}`);
  return match ? match[1] : expected;
}

export function createApi({ onUnauthorized } = {}) {
  let csrfToken = null;

  async function request(method, path, body, { expectedScope } = {}) {
    const headers = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
    const response = await fetch(path, {
      method, headers, credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 204) return null;
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { title: `HTTP ${response.status}`, detail: text.slice(0, 300) };
    }
    if (response.ok) return parsed;
    const error = new ApiError(response.status, parsed ?? {}, response.headers);
    if (response.status === 403) {
      error.title = 'You do not have permission';
      error.detail = `You do not have permission (needs ${missingScope(error, expectedScope ?? 'a scope you do not hold')}).`;
    }
    if (response.status === 401 && path !== '/v1/session') onUnauthorized?.();
    throw error;
  }

  return {
    setCsrfToken(token) { csrfToken = token ?? null; },
    get: (path) => request('GET', path),
    post: (path, body, options) => request('POST', path, body ?? {}, options),
    put: (path, body, options) => request('PUT', path, body, options),
    del: (path, options) => request('DELETE', path, undefined, options),
  };
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
