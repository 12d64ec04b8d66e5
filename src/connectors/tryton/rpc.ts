import type { CallContext } from '../capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpClient, HttpResponse } from '../../protect/types.js';
import { decodeTryton } from './codec.js';

/** The system name on external references and errors. */
export const TRYTON_SYSTEM = 'tryton';

/** A record as `read`/`search_read` return it, tagged values decoded. */
export type TrytonRecord = Record<string, unknown> & { id: number };

/** A search domain: `[field, operator, value]` clauses, nested lists and `'OR'`/`'AND'`. */
export type TrytonDomain = readonly unknown[];

/** Tryton's `order` argument: `[[field, 'ASC' | 'DESC'], ...]`. */
export type TrytonOrder = readonly (readonly [string, 'ASC' | 'DESC'])[];

export interface SearchOptions {
  offset?: number;
  limit?: number;
  order?: TrytonOrder;
  /** Merged over the user's context for this call (e.g. `{ active_test: false }`). */
  context?: Record<string, unknown>;
}

/**
 * Tryton's JSON-RPC as crossdock uses it: one session per client, renewed when Tryton says it
 * expired, and every model call with the user's preferences as context. Results are decoded
 * (see codec.ts); refusals are CrossdockErrors.
 */
export interface TrytonRpc {
  /** `model.<model>.<method>` with `args`, then the context. */
  call(model: string, method: string, args: readonly unknown[], ctx: CallContext, context?: Record<string, unknown>): Promise<unknown>;
  search(model: string, domain: TrytonDomain, ctx: CallContext, options?: SearchOptions): Promise<number[]>;
  /** Reads many ids in one call; records come back in Tryton's order, not necessarily `ids`'. */
  read(model: string, ids: readonly number[], fields: readonly string[], ctx: CallContext, context?: Record<string, unknown>): Promise<TrytonRecord[]>;
  searchRead(model: string, domain: TrytonDomain, fields: readonly string[], ctx: CallContext, options?: SearchOptions): Promise<TrytonRecord[]>;
  create(model: string, values: readonly Record<string, unknown>[], ctx: CallContext): Promise<number[]>;
  /** A workflow button (`quote`, `confirm`, `cancel` …) on `ids`. Tryton ignores it in the wrong state: read the state back. */
  button(model: string, method: string, ids: readonly number[], ctx: CallContext): Promise<void>;
  /** The logged-in user's preferences (company, language …), the context of every call. */
  preferences(ctx: CallContext): Promise<Readonly<Record<string, unknown>>>;
}

export interface TrytonRpcOptions {
  /** Already wrapped by the Tryton target's protection policy; its base URL is trytond's root. */
  http: HttpClient;
  database: string;
  user: string;
  password: string;
  /** Tryton company id to work in; absent: the user's current company. */
  company?: number;
}

interface Session {
  authorization: string;
  context: Record<string, unknown>;
}

/** Fault texts of a busy or contended database: the same call may well succeed a moment later. */
const TRANSIENT_FAULT = /database is locked|ConcurrencyException|OperationalError|could not serialize|deadlock detected|lock timeout/i;

export function createTrytonRpc(options: TrytonRpcOptions): TrytonRpc {
  const { http, database, user, password, company } = options;
  const path = `/${encodeURIComponent(database)}/`;
  let nextId = 0;
  // One login in flight at a time: concurrent callers wait for the same one.
  let session: Promise<Session> | undefined;

  async function post(method: string, params: readonly unknown[], operation: string, ctx: CallContext, authorization?: string): Promise<HttpResponse> {
    nextId += 1;
    return http.request(
      {
        method: 'POST',
        path,
        operation,
        body: { id: nextId, method, params },
        ...(authorization === undefined ? {} : { headers: { authorization } }),
      },
      ctx,
    );
  }

  async function login(ctx: CallContext): Promise<Session> {
    const loginOperation = 'common.db.login';
    // The attempt goes on the journal like any other, but never with the password in it.
    const report = ctx.onAttempt;
    const quiet: CallContext = report === undefined ? ctx : {
      ...ctx,
      onAttempt: (attempt) => report({ ...attempt, request: { method: 'POST', path, body: { method: loginOperation, params: [user, { password: '***' }] } } }),
    };
    const answer = await post(loginOperation, [user, { password }], loginOperation, quiet);
    if (answer.status === 401 || answer.status === 403) {
      throw new CrossdockError('target.rejected', `Tryton refused the login of user "${user}" to database "${database}": check the user and password`, {
        target: TRYTON_SYSTEM, context: { operation: loginOperation, status: answer.status },
      });
    }
    const result = resultOf(answer, loginOperation);
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') throw unexpected(loginOperation, answer);
    const authorization = `Session ${Buffer.from(`${user}:${result[0]}:${result[1]}`).toString('base64')}`;
    const preferencesOperation = 'res.user.get_preferences';
    const preferences = await post(`model.${preferencesOperation}`, [true, {}], preferencesOperation, ctx, authorization);
    const context = resultOf(preferences, preferencesOperation);
    if (!isObject(context)) throw unexpected(preferencesOperation, preferences);
    // A user of several companies works in the configured one; else in the user's current one.
    return { authorization, context: company === undefined ? context : { ...context, company } };
  }

  function currentSession(ctx: CallContext): Promise<Session> {
    if (session === undefined) {
      const started = login(ctx);
      session = started;
      // A failed login is not kept: the next call tries again.
      started.catch(() => {
        if (session === started) session = undefined;
      });
    }
    return session;
  }

  async function call(model: string, method: string, args: readonly unknown[], ctx: CallContext, context?: Record<string, unknown>): Promise<unknown> {
    const operation = `${model}.${method}`;
    const send = async (current: Promise<Session>) => {
      const { authorization, context: userContext } = await current;
      return post(`model.${operation}`, [...args, { ...userContext, ...context }], operation, ctx, authorization);
    };
    const used = currentSession(ctx);
    let answer = await send(used);
    if (answer.status === 401) {
      // The session expired (or was ended on the server). Forget it unless a concurrent caller
      // already replaced it, log in again and repeat the call once.
      if (session === used) session = undefined;
      answer = await send(currentSession(ctx));
      if (answer.status === 401) {
        throw new CrossdockError('target.rejected', `Tryton refused a fresh session for ${operation}`, {
          target: TRYTON_SYSTEM, context: { operation, status: 401 },
        });
      }
    }
    return resultOf(answer, operation);
  }

  async function records(operation: string, answer: Promise<unknown>): Promise<TrytonRecord[]> {
    const result = await answer;
    if (!Array.isArray(result) || !result.every(isRecord)) throw contractBroken(operation, 'a list of records', result);
    return result;
  }

  async function ids(operation: string, answer: Promise<unknown>): Promise<number[]> {
    const result = await answer;
    if (!Array.isArray(result) || !result.every((id): id is number => typeof id === 'number')) throw contractBroken(operation, 'a list of ids', result);
    return result;
  }

  return {
    call,
    search: (model, domain, ctx, opts = {}) =>
      ids(`${model}.search`, call(model, 'search', [domain, opts.offset ?? 0, opts.limit ?? null, opts.order ?? null], ctx, opts.context)),
    read: (model, recordIds, fields, ctx, context) =>
      recordIds.length === 0 ? Promise.resolve([]) : records(`${model}.read`, call(model, 'read', [recordIds, fields], ctx, context)),
    searchRead: (model, domain, fields, ctx, opts = {}) =>
      records(`${model}.search_read`, call(model, 'search_read', [domain, opts.offset ?? 0, opts.limit ?? null, opts.order ?? null, fields], ctx, opts.context)),
    create: (model, values, ctx) => ids(`${model}.create`, call(model, 'create', [values], ctx)),
    button: async (model, method, recordIds, ctx) => {
      await call(model, method, [recordIds], ctx);
    },
    preferences: async (ctx) => (await currentSession(ctx)).context,
  };
}

/**
 * The `result` of a JSON-RPC answer, decoded, or the CrossdockError its `error` means. Tryton
 * answers refusals and faults with HTTP 200 and an `error` array: `["UserError", [message,
 * description, …]]` is the business saying no; anything else is a server fault,
 * `[str(exception), traceback]`.
 */
export function resultOf(answer: HttpResponse, operation: string): unknown {
  if (answer.status === 403) {
    throw new CrossdockError('target.rejected', `Tryton does not allow ${operation} over RPC (HTTP 403)`, {
      target: TRYTON_SYSTEM, context: { operation, status: 403 },
    });
  }
  if (answer.status !== 200 || !isObject(answer.body)) throw unexpected(operation, answer);
  const { body } = answer;
  if (body.error !== undefined && body.error !== null) throw errorFromTryton(body.error, operation);
  if (!('result' in body)) throw unexpected(operation, answer);
  return decodeTryton(body.result);
}

/** How one JSON-RPC `error` reads in crossdock's catalogue. */
export function errorFromTryton(error: unknown, operation: string): CrossdockError {
  const [kind, details] = Array.isArray(error) ? error : [];
  // A refusal's details are a list of texts; a fault's, the traceback as one text.
  const texts = (Array.isArray(details) ? details : [details]).filter((d): d is string => typeof d === 'string' && d.trim() !== '');
  const context = { operation, trytonError: error };
  if (kind === 'UserError' || kind === 'UserWarning') {
    // A UserWarning's first text is the warning's name, for the client to remember a "yes".
    const message = (kind === 'UserWarning' ? texts.slice(1) : texts.slice(0, 2)).join(' ');
    return new CrossdockError('erp.rejected', message || `Tryton refused ${operation}`, { target: TRYTON_SYSTEM, context });
  }
  if (typeof kind !== 'string') {
    return new CrossdockError('target.rejected', `Unexpected error answer from Tryton to ${operation}`, { target: TRYTON_SYSTEM, context });
  }
  const fault = [kind, ...texts].join('\n');
  if (kind === 'ConcurrencyException' || TRANSIENT_FAULT.test(fault)) {
    return new CrossdockError('target.unavailable', `Tryton could not run ${operation} now: ${firstLine(kind)}`, { target: TRYTON_SYSTEM, context });
  }
  return new CrossdockError('target.rejected', `Tryton failed ${operation}: ${firstLine(kind)}`, { target: TRYTON_SYSTEM, context });
}

/**
 * Ids per `read`: a page of shipments or invoices has a few records each (moves, lines), read in
 * one call; only an exceptional page needs a second. 1000 ids is a request of a few KiB.
 */
export const READ_CHUNK = 1000;

/** `items` in slices of `size`, for reads of many ids that must stay a reasonable request. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function unexpected(operation: string, answer: HttpResponse): CrossdockError {
  const body = typeof answer.body === 'string' ? answer.body.slice(0, 500) : answer.body;
  return new CrossdockError('target.rejected', `Unexpected answer from Tryton to ${operation}: HTTP ${answer.status}`, {
    target: TRYTON_SYSTEM, context: { operation, status: answer.status, body },
  });
}

function contractBroken(operation: string, wanted: string, result: unknown): CrossdockError {
  return new CrossdockError('target.rejected', `Tryton answered ${operation} with something other than ${wanted}`, {
    target: TRYTON_SYSTEM, context: { operation, result },
  });
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.slice(0, 300);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isRecord(value: unknown): value is TrytonRecord {
  return isObject(value) && typeof value.id === 'number';
}
