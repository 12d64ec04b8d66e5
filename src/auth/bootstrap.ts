import { CrossdockError } from '../errors/crossdock-error.js';
import type { Store } from '../store/types.js';
import { passwordProblem } from './passwords.js';
import { createUser } from './users.js';

/**
 * A fresh deployment's first administrator: with `CROSSDOCK_ADMIN_PASSWORD` set and no console
 * user at all, user `admin` (role admin) is created with it, so the console can be reached
 * without running the CLI inside the container. Once any user exists it does nothing, so the
 * variable can stay set. Returns whether it created the user.
 */
export async function bootstrapAdmin(store: Store, password: string | undefined, now: number): Promise<boolean> {
  if (!password || (await store.countUsers()) > 0) return false;
  const problem = passwordProblem(password);
  if (problem) throw new Error(`CROSSDOCK_ADMIN_PASSWORD ${problem}`);
  try {
    await createUser(store, { username: 'admin', role: 'admin', password }, 'bootstrap', now);
    return true;
  } catch (error) {
    // Another process starting at the same time created it first.
    if (error instanceof CrossdockError && error.code === 'request.conflict') return false;
    throw error;
  }
}
