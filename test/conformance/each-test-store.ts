import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../src/store/types.js';

export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** Gives each test of the enclosing `describe` a migrated store of its own, removed after it. */
export function eachTestStore(open: OpenStore, use: (store: Store) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const opened = await open();
    cleanup = opened.cleanup;
    await opened.store.migrate();
    use(opened.store);
  });
  afterEach(async () => cleanup?.());
}
