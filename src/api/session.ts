import Type from 'typebox';
import type { AccessControl } from '../auth/access-control.js';
import { auditAs } from '../auth/audit.js';
import { clearSessionCookie, sessionSetCookie } from '../auth/cookies.js';
import { ROLES, ROLE_SCOPES, SCOPES } from '../auth/scopes.js';
import type { ConsoleSessions } from '../auth/sessions.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/types.js';
import { StringEnum } from '../canonical/common.js';
import { ProblemSchema } from './schemas-common.js';
import { sendProblem } from './problem.js';
import type { HttpServer } from './server.js';

export interface AccessApiDeps {
  store: Store;
  clock: Clock;
  access: AccessControl;
  sessions: ConsoleSessions;
}

const SessionSchema = Type.Object({
  username: Type.String(),
  role: StringEnum(ROLES),
  scopes: Type.Array(StringEnum(SCOPES)),
  csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Send as the `x-csrf-token` header with every POST, PUT, PATCH and DELETE' }),
  mode: StringEnum(['session', 'local'] as const, '`session`: signed in; `local`: the local administrator, no sign-in (loopback server)'),
});

/** Console sign-in (`POST`), who is signed in (`GET`), sign-out (`DELETE`). */
export async function sessionRoutes(app: HttpServer, deps: AccessApiDeps): Promise<void> {
  app.post('/v1/session', {
    config: { scope: 'public' },
    schema: {
      summary: 'Sign in to the console: sets the session cookie and returns the CSRF token',
      tags: ['access'],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: SessionSchema, 401: ProblemSchema, 429: ProblemSchema },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const { cookie, session, user } = await deps.sessions.signIn(username, password, request.ip);
    await auditAs(deps.store, { actor: `user:${username}`, correlationId: request.correlationId }, { action: 'session.login', target: username, detail: { address: request.ip } }, deps.clock.now());
    reply.header('set-cookie', sessionSetCookie(cookie, session.expiresAt - session.createdAt, deps.access.secureCookies));
    return { username: user.username, role: user.role, scopes: [...ROLE_SCOPES[user.role]], csrfToken: session.csrfToken, mode: 'session' as const };
  });

  app.get('/v1/session', {
    config: { scope: 'public' },
    schema: {
      summary: 'Who is signed in: the console asks this first',
      tags: ['access'],
      response: { 200: SessionSchema, 401: ProblemSchema },
    },
  }, async (request, reply) => {
    const found = await deps.access.sessionOf(request);
    if (found) {
      const { user, session } = found;
      return { username: user.username, role: user.role, scopes: [...ROLE_SCOPES[user.role]], csrfToken: session.csrfToken, mode: 'session' as const };
    }
    if (deps.access.isLocal(request)) return { username: 'local', role: 'admin' as const, scopes: ['admin' as const], csrfToken: null, mode: 'local' as const };
    reply.header('www-authenticate', 'Bearer realm="crossdock"');
    return sendProblem(reply, new CrossdockError('auth.unauthenticated', 'not signed in'));
  });

  app.delete('/v1/session', {
    config: { scope: 'authenticated' },
    schema: { summary: 'Sign out: ends the session and clears its cookie', tags: ['access'], response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const found = await deps.access.sessionOf(request);
    if (found) await deps.sessions.signOut(found.session, request.correlationId);
    return reply.code(204).header('set-cookie', clearSessionCookie(deps.access.secureCookies)).send(null);
  });
}
