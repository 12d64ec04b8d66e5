import type { Role, Scope } from './scopes.js';

/** Who is calling: a console user (session), an API client (key), or the local administrator. */
export interface Principal {
  kind: 'user' | 'client' | 'local';
  /** User name or API client id; `local` for the local administrator. */
  id: string;
  role?: Role;
  scopes: readonly Scope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by access control before the handler runs; absent on public and signed routes. */
    principal?: Principal;
  }
}

/** How the audit log names a principal: `user:alice`, `client:erp-bridge`, `local`. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return principal.kind === 'local' ? 'local' : `${principal.kind}:${principal.id}`;
}
