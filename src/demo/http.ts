/**
 * The demo's HTTP calls: crossdock's own API and the sandbox ERP's admin API, over real
 * sockets, so demo traffic is journaled, traced and counted like any other. A call that fails
 * (crossdock stopping, a socket reset) is an answer with status 0, never an exception: the demo
 * keeps going and counts it.
 */
export interface DemoAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export type DemoHttp = (method: string, url: string, options?: { body?: unknown; headers?: Record<string, string> }) => Promise<DemoAnswer>;

export function demoHttp(apiKey?: string, timeoutMs = 30_000): DemoHttp {
  return async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    try {
      const res = await fetch(url, {
        method, headers, signal: AbortSignal.timeout(timeoutMs),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text for the log.
      }
      return { status: res.status, headers: res.headers, body };
    } catch (error) {
      return { status: 0, headers: new Headers(), body: String(error) };
    }
  };
}
