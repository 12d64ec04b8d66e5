import { CrossdockError } from '../errors/crossdock-error.js';
import type { ConsoleUser, ConsoleUserChanges } from '../store/access-types.js';
import type { Store } from '../store/types.js';
import { auditAs, type ActedBy } from './audit.js';
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, type ScryptParams } from './passwords.js';
import { ROLES, type Role } from './scopes.js';

/** User names: letters, digits and `._@-`, up to 64 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$';
const USERNAME = new RegExp(USERNAME_PATTERN);

export interface UserOptions {
  /** Lower scrypt cost, for tests only. @default DEFAULT_SCRYPT */
  scrypt?: ScryptParams;
}

/** A console user as the API and the CLI show it: never the password hash. */
export interface UserView {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function userView(user: ConsoleUser): UserView {
  return { username: user.username, role: user.role, disabled: user.disabled, createdAt: new Date(user.createdAt).toISOString(), updatedAt: new Date(user.updatedAt).toISOString() };
}

/** What the audit log keeps of a user: no hash, no times. */
const audited = (user: ConsoleUser) => ({ username: user.username, role: user.role, disabled: user.disabled });

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new CrossdockError('request.invalid', `/password ${problem}`, { errors: [{ pointer: '/password', detail: problem }] });
}

/** Creates a console user (audited as `user.create`). Refuses a taken name with `request.conflict`. */
export async function createUser(
  store: Store, input: { username: string; role: Role; password: string }, by: ActedBy | string, now: number, options: UserOptions = {},
): Promise<UserView> {
  if (!USERNAME.test(input.username)) {
    throw new CrossdockError('request.invalid', '/username must be letters, digits and ._@- (up to 64)', { errors: [{ pointer: '/username', detail: 'must be letters, digits and ._@- (up to 64)' }] });
  }
  if (!ROLES.includes(input.role)) throw new CrossdockError('request.invalid', `/role must be one of ${ROLES.join(', ')}`, { errors: [{ pointer: '/role', detail: `must be one of ${ROLES.join(', ')}` }] });
  checkPassword(input.password);
  const user: ConsoleUser = {
    username: input.username, role: input.role, passwordHash: await hashPassword(input.password, options.scrypt ?? DEFAULT_SCRYPT),
    disabled: false, createdAt: now, updatedAt: now,
  };
  if (!(await store.createUser(user))) throw new CrossdockError('request.conflict', `user ${input.username} already exists`);
  await auditAs(store, by, { action: 'user.create', target: user.username, before: null, after: audited(user) }, now);
  return userView(user);
}

export interface UserUpdate {
  role?: Role;
  password?: string;
  disabled?: boolean;
}

/**
 * Changes a user's role, password or disabled flag (audited as `user.update`; a new password
 * shows in the entry's detail, never in it). A new password or disabling ends the user's
 * sessions, but `keepSession` (the caller's own, when they change their own password).
 */
export async function updateUser(
  store: Store, username: string, update: UserUpdate, by: ActedBy | string, now: number,
  options: UserOptions & { keepSession?: string } = {},
): Promise<UserView> {
  const before = await store.getUser(username);
  if (!before) throw new CrossdockError('request.not-found', `no user ${username}`);
  if (update.password !== undefined) checkPassword(update.password);
  const changes: ConsoleUserChanges = {
    ...(update.role !== undefined ? { role: update.role } : {}),
    ...(update.disabled !== undefined ? { disabled: update.disabled } : {}),
    ...(update.password !== undefined ? { passwordHash: await hashPassword(update.password, options.scrypt ?? DEFAULT_SCRYPT) } : {}),
  };
  await refuseLosingLastAdmin(store, before, update);
  const after = await store.updateUser(username, changes, now);
  if (!after) throw new CrossdockError('request.not-found', `no user ${username}`);
  if (update.password !== undefined || update.disabled === true) await store.deleteSessionsOf(username, options.keepSession);
  await auditAs(store, by, {
    action: 'user.update', target: username, before: audited(before), after: audited(after),
    ...(update.password !== undefined ? { detail: { passwordChanged: true } } : {}),
  }, now);
  return userView(after);
}

/** Removes a user and ends their sessions (audited as `user.delete`). */
export async function removeUser(store: Store, username: string, by: ActedBy | string, now: number): Promise<void> {
  const before = await store.getUser(username);
  if (!before) throw new CrossdockError('request.not-found', `no user ${username}`);
  await refuseLosingLastAdmin(store, before, { disabled: true });
  if (!(await store.deleteUser(username))) throw new CrossdockError('request.not-found', `no user ${username}`);
  await auditAs(store, by, { action: 'user.delete', target: username, before: audited(before), after: null }, now);
}

/**
 * The last enabled administrator cannot be removed, disabled or demoted: nobody could manage
 * users afterwards without shell access to the server.
 */
async function refuseLosingLastAdmin(store: Store, user: ConsoleUser, update: UserUpdate): Promise<void> {
  if (user.role !== 'admin' || user.disabled) return;
  const losesAdmin = update.disabled === true || (update.role !== undefined && update.role !== 'admin');
  if (!losesAdmin) return;
  const admins = (await store.listUsers()).filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length <= 1) throw new CrossdockError('request.conflict', `${user.username} is the last enabled administrator; make another user admin first`);
}

/** Console users by name. */
export async function listUsers(store: Store): Promise<UserView[]> {
  return (await store.listUsers()).map(userView);
}
