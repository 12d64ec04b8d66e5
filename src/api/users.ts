import Type from 'typebox';
import { actedBy } from '../auth/audit.js';
import { ROLES } from '../auth/scopes.js';
import { createUser, listUsers, removeUser, updateUser, USERNAME_PATTERN } from '../auth/users.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type ScryptParams } from '../auth/passwords.js';
import { sessionCookie } from '../auth/cookies.js';
import { sha256 } from '../auth/tokens.js';
import { StringEnum } from '../canonical/common.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { AccessApiDeps } from './session.js';

const UserSchema = Type.Object({
  username: Type.String(), role: StringEnum(ROLES), disabled: Type.Boolean(), createdAt: Type.String(), updatedAt: Type.String(),
});
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, description: `At least ${MIN_PASSWORD_LENGTH} characters` });
const Username = Type.String({ pattern: USERNAME_PATTERN, description: 'user name: letters, digits and ._@-' });

/** Console users (scope `admin`); every change is audited. */
export async function userRoutes(app: HttpServer, deps: AccessApiDeps & { scrypt?: ScryptParams }): Promise<void> {
  const options = deps.scrypt ? { scrypt: deps.scrypt } : {};

  app.get('/v1/users', {
    config: { scope: 'admin' },
    schema: { summary: 'Console users and their roles', tags: ['access'], response: { 200: Type.Object({ items: Type.Array(UserSchema) }) } },
  }, async () => ({ items: await listUsers(deps.store) }));

  app.post('/v1/users', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Add a console user', tags: ['access'],
      body: Type.Object({ username: Username, role: StringEnum(ROLES, 'role: viewer, operator or admin'), password: Password }, { additionalProperties: false }),
      response: { 201: UserSchema, 409: ProblemSchema, 422: ProblemSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createUser(deps.store, request.body, actedBy(request), deps.clock.now(), options)));

  app.patch('/v1/users/:username', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Change a user\'s role, password or disabled flag (a new password or disabling ends their sessions)', tags: ['access'],
      params: Type.Object({ username: Type.String() }),
      body: Type.Object({
        role: Type.Optional(StringEnum(ROLES, 'role: viewer, operator or admin')), password: Type.Optional(Password), disabled: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: UserSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
    },
  }, async (request) => {
    // Changing one's own password keeps the session it is changed from.
    const cookie = sessionCookie(request.headers.cookie);
    const own = request.principal?.kind === 'user' && request.principal.id === request.params.username && cookie ? { keepSession: sha256(cookie) } : {};
    return updateUser(deps.store, request.params.username, request.body, actedBy(request), deps.clock.now(), { ...options, ...own });
  });

  app.delete('/v1/users/:username', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Remove a console user and end their sessions', tags: ['access'],
      params: Type.Object({ username: Type.String() }), response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema },
    },
  }, async (request, reply) => {
    await removeUser(deps.store, request.params.username, actedBy(request), deps.clock.now());
    return reply.code(204).send(null);
  });
}
