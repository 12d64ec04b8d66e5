import type { Command } from 'commander';

/** Where a command finds crossdock's API, and the key it shows. */
export interface ApiTarget {
  url: string;
  apiKey: string | undefined;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';
export const API_KEY_ENV = 'CROSSDOCK_API_KEY';

/** `--url` and `--api-key-env` on a command that calls crossdock's API. */
export function withApiOptions(command: Command): Command {
  return command
    .option('--url <url>', 'crossdock API base URL', DEFAULT_API_URL)
    .option('--api-key-env <VAR>', `environment variable holding the API key, sent as Authorization: Bearer (default ${API_KEY_ENV}; none needed on loopback)`);
}

/**
 * The key is read from the environment, never from the command line, where `ps` and shell
 * history would show it. An explicitly named variable that is unset is an error: the user meant
 * to send a key.
 */
export function apiTarget(opts: { url: string; apiKeyEnv?: string }, env: NodeJS.ProcessEnv): ApiTarget {
  const name = opts.apiKeyEnv ?? API_KEY_ENV;
  const apiKey = env[name] || undefined;
  if (opts.apiKeyEnv && !apiKey) throw new Error(`--api-key-env ${opts.apiKeyEnv}: that environment variable is not set`);
  return { url: opts.url.replace(/\/+$/, ''), apiKey };
}

/** One call to crossdock's API; a JSON body in and out. Network failures throw with the URL. */
export async function callApi(target: ApiTarget, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (error) {
    throw new Error(`cannot reach crossdock at ${target.url}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: keep the text for the message.
  }
  return { status: res.status, body: parsed };
}

/** The problem+json detail, or what there is, for an error message. */
export function describeAnswer(answer: ApiAnswer): string {
  const detail = (answer.body as { detail?: unknown; title?: unknown } | undefined)?.detail ?? (answer.body as { title?: unknown } | undefined)?.title;
  return `${answer.status}${typeof detail === 'string' ? ` ${detail}` : typeof answer.body === 'string' ? ` ${answer.body.slice(0, 200)}` : ''}`;
}

/** A command's action whose failures are one readable line and exit status 1, not a stack trace. */
export function reportingFailures<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  };
}
