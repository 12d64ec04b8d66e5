import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { createHttpClient } from '../../protect/http-client.js';
import { MemoryRateBudget } from '../../protect/memory-budget.js';
import { PolicyRegistry } from '../../protect/registry.js';
import type { CallContext } from '../capabilities.js';
import { createTrytonRpc, errorFromTryton, type TrytonRpc } from './rpc.js';

interface Received {
  method: string;
  params: unknown[];
  authorization: string | undefined;
}

type Answer = { status?: number; body: unknown };

/**
 * Just enough of trytond's JSON-RPC: sessions from `common.db.login`, HTTP 401 for an unknown
 * one, and model calls answered by `handlers`.
 */
class FakeTrytond {
  readonly received: Received[] = [];
  readonly sessions = new Set<string>();
  logins = 0;
  password = 'secret';
  handlers = new Map<string, (params: unknown[]) => Answer>();
  private server: Server | undefined;

  async listen(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** What an expiry (or `expireSessions()`) does: every session is gone. */
  expireAll(): void {
    this.sessions.clear();
  }

  calls(method: string): Received[] {
    return this.received.filter((r) => r.method === method);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const { id, method, params } = JSON.parse(text) as { id: number; method: string; params: unknown[] };
    const authorization = request.headers.authorization;
    this.received.push({ method, params, authorization });
    const answer = await this.answer(method, params, authorization);
    const status = answer.status ?? 200;
    response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/html; charset=utf-8' });
    response.end(status === 200 ? JSON.stringify({ id, ...(answer.body as object) }) : String(answer.body ?? ''));
  }

  private async answer(method: string, params: unknown[], authorization: string | undefined): Promise<Answer> {
    if (method === 'common.db.login') {
      this.logins += 1;
      // Slow enough that concurrent callers would each log in if they did not share one login.
      await new Promise((resolve) => setTimeout(resolve, 30));
      if ((params[1] as { password: string }).password !== this.password) return { status: 401, body: '<h1>Unauthorized</h1>' };
      const session = `session-${this.logins}`;
      this.sessions.add(session);
      return { body: { result: [7, session] } };
    }
    const session = authorization?.startsWith('Session ') ? Buffer.from(authorization.slice(8), 'base64').toString().split(':')[2] : undefined;
    if (session === undefined || !this.sessions.has(session)) return { status: 401, body: '' };
    if (method === 'model.res.user.get_preferences') return { body: { result: { company: 1, language: 'en' } } };
    const handler = this.handlers.get(method);
    return handler ? handler(params) : { body: { error: [`'${method}'`, ''] } };
  }
}

const ctx: CallContext = { correlationId: 'rpc-test' };
let tryton: FakeTrytond;

afterEach(async () => {
  await tryton?.close();
});

async function setup(options: { password?: string; company?: number } = {}): Promise<TrytonRpc> {
  tryton = new FakeTrytond();
  const baseUrl = await tryton.listen();
  const policies = new PolicyRegistry(
    { tryton: { attempts: 1, ratePerSecond: 1000, burst: 100, timeoutMs: 3000, backoffMs: 1 } },
    { budget: new MemoryRateBudget() },
  );
  const http = createHttpClient({ baseUrl, target: 'tryton', policy: policies.get('tryton') });
  return createTrytonRpc({ http, database: 'shop db', user: 'crossdock', password: options.password ?? 'secret', ...(options.company ? { company: options.company } : {}) });
}

async function failure(promise: Promise<unknown>): Promise<CrossdockError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CrossdockError)) throw new Error(`expected a CrossdockError, got ${String(error)}`);
  return error;
}

describe('Tryton JSON-RPC client', () => {
  it('logs in once, authorises with the session and passes the user context last', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.party.party.search', () => ({ body: { result: [3] } }));
    tryton.handlers.set('model.party.party.read', () => ({ body: { result: [{ id: 3, receivable: { __class__: 'Decimal', decimal: '12.50' } }] } }));

    expect(await rpc.search('party.party', [['code', '=', 'C-1']], ctx, { limit: 1 })).toEqual([3]);
    expect(await rpc.read('party.party', [3], ['receivable'], ctx, { active_test: false })).toEqual([{ id: 3, receivable: '12.50' }]);

    expect(tryton.logins).toBe(1);
    const [search] = tryton.calls('model.party.party.search');
    expect(search!.authorization).toBe(`Session ${Buffer.from('crossdock:7:session-1').toString('base64')}`);
    expect(search!.params).toEqual([[['code', '=', 'C-1']], 0, 1, null, { company: 1, language: 'en' }]);
    expect(tryton.calls('model.party.party.read')[0]!.params).toEqual([[3], ['receivable'], { company: 1, language: 'en', active_test: false }]);
  });

  it('names each request after the model call, for the journal', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale.quote', () => ({ body: { result: null } }));
    const operations: string[] = [];
    await rpc.button('sale.sale', 'quote', [5], { ...ctx, onAttempt: (attempt) => operations.push(attempt.operation) });
    expect(operations).toEqual(['common.db.login', 'res.user.get_preferences', 'sale.sale.quote']);
  });

  it('logs in again once when the session expired, and repeats the call', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale.search', () => ({ body: { result: [1] } }));
    await rpc.search('sale.sale', [], ctx);
    tryton.expireAll();

    expect(await rpc.search('sale.sale', [], ctx)).toEqual([1]);
    expect(tryton.logins).toBe(2);
    const searches = tryton.calls('model.sale.sale.search');
    expect(searches.map((s) => s.authorization)).toEqual([
      searches[0]!.authorization, searches[0]!.authorization, `Session ${Buffer.from('crossdock:7:session-2').toString('base64')}`,
    ]);
  });

  it('shares one login between concurrent callers, also when renewing', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale.search', () => ({ body: { result: [1] } }));
    await Promise.all([1, 2, 3, 4, 5].map(() => rpc.search('sale.sale', [], ctx)));
    expect(tryton.logins).toBe(1);

    tryton.expireAll();
    await Promise.all([1, 2, 3, 4, 5].map(() => rpc.search('sale.sale', [], ctx)));
    expect(tryton.logins).toBe(2);
  });

  it('refuses a wrong password without looping, and tries the login again on the next call', async () => {
    const rpc = await setup({ password: 'wrong' });
    const error = await failure(rpc.search('sale.sale', [], ctx));
    expect(error.code).toBe('target.rejected');
    expect(error.message).toContain('refused the login of user "crossdock"');
    expect(tryton.logins).toBe(1);

    tryton.password = 'wrong';
    tryton.handlers.set('model.sale.sale.search', () => ({ body: { result: [] } }));
    expect(await rpc.search('sale.sale', [], ctx)).toEqual([]);
    expect(tryton.logins).toBe(2);
  });

  it('gives up when even a fresh session is refused', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale.search', () => ({ status: 401, body: '' }));
    const error = await failure(rpc.search('sale.sale', [], ctx));
    expect(error.code).toBe('target.rejected');
    expect(tryton.logins).toBe(2);
  });

  it('turns a UserError into erp.rejected carrying Tryton\'s message and description', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale.create', () => ({
      body: { error: ['UserError', ['The value for field "Product" in "Sale Line" is not valid according to its domain.', 'Product must be salable.', [['salable', '=', true]]]] },
    }));
    const error = await failure(rpc.create('sale.sale', [{}], ctx));
    expect(error.code).toBe('erp.rejected');
    expect(error.kind).toBe('business');
    expect(error.message).toBe('The value for field "Product" in "Sale Line" is not valid according to its domain. Product must be salable.');
    expect(error.context).toMatchObject({ operation: 'sale.sale.create' });
  });

  it('turns a 403 (method not exposed) and an unexpected answer into target.rejected', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.sale.sale._hidden', () => ({ status: 403, body: '<h1>Forbidden</h1>' }));
    tryton.handlers.set('model.sale.sale.odd', () => ({ body: { surprise: true } }));
    tryton.handlers.set('model.sale.sale.search', () => ({ body: { result: { not: 'ids' } } }));
    expect((await failure(rpc.call('sale.sale', '_hidden', [], ctx))).code).toBe('target.rejected');
    expect((await failure(rpc.call('sale.sale', 'odd', [], ctx))).code).toBe('target.rejected');
    expect((await failure(rpc.search('sale.sale', [], ctx))).message).toContain('a list of ids');
  });

  it('turns a server fault into target.rejected, a busy database into a transient error', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.party.party.read', () => ({ body: { error: ["'no_such_field'", ''] } }));
    tryton.handlers.set('model.sale.sale.process', () => ({ body: { error: ['database is locked', ''] } }));
    const fault = await failure(rpc.read('party.party', [1], ['no_such_field'], ctx));
    expect(fault.code).toBe('target.rejected');
    expect(fault.message).toContain("'no_such_field'");
    const busy = await failure(rpc.button('sale.sale', 'process', [1], ctx));
    expect(busy.code).toBe('target.unavailable');
    expect(busy.kind).toBe('transient');
  });
});

describe('Tryton error answers', () => {
  it('reads a UserError without description as its message alone', () => {
    expect(errorFromTryton(['UserError', ['You must enter a warehouse.', '', null]], 'sale.sale.quote').message).toBe('You must enter a warehouse.');
  });

  it('reads a UserWarning as a refusal, without the warning\'s internal name', () => {
    const error = errorFromTryton(['UserWarning', ['sale_12.confirm', 'The sale exceeds the credit limit.', '']], 'sale.sale.confirm');
    expect(error.code).toBe('erp.rejected');
    expect(error.message).toBe('The sale exceeds the credit limit.');
  });

  it('reads concurrency and operational faults as transient', () => {
    expect(errorFromTryton(['ConcurrencyException', ['Records were modified in the meanwhile']], 'x').code).toBe('target.unavailable');
    expect(errorFromTryton(['could not obtain lock', 'Traceback ...\npsycopg2.OperationalError: could not obtain lock'], 'x').code).toBe('target.unavailable');
  });

  it('reads anything else as a broken contract', () => {
    expect(errorFromTryton(["Database 'x' doesn't exist!", ''], 'common.db.login').code).toBe('target.rejected');
    expect(errorFromTryton('boom', 'x').code).toBe('target.rejected');
    expect(errorFromTryton([42, []], 'x').code).toBe('target.rejected');
  });
});

describe('Tryton RPC: what it journals and which company it works in', () => {
  it('journals the login attempt with the password hidden', async () => {
    const rpc = await setup();
    tryton.handlers.set('model.party.party.search', () => ({ body: { result: [1] } }));
    const requests: unknown[] = [];
    await rpc.search('party.party', [], { ...ctx, onAttempt: (attempt) => requests.push(attempt.request) });
    const journaled = JSON.stringify(requests);
    expect(journaled).toContain('common.db.login');
    expect(journaled).toContain('***');
    expect(journaled).not.toContain('secret');
    // Tryton itself got the real password.
    expect(tryton.calls('common.db.login')[0]!.params[1]).toEqual({ password: 'secret' });
  });

  it("works in the configured company rather than the user's current one", async () => {
    const rpc = await setup({ company: 3 });
    tryton.handlers.set('model.party.party.search', () => ({ body: { result: [] } }));
    await rpc.search('party.party', [], ctx);
    const [call] = tryton.calls('model.party.party.search');
    expect(call!.params.at(-1)).toMatchObject({ company: 3, language: 'en' });
  });
});
