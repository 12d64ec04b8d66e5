/**
 * What a caller may do. Every route declares one scope in its `config.scope`; a request reaches
 * the handler only when its principal holds that scope (or `admin`). A route without one is
 * refused at request time, so forgetting to declare it fails closed.
 *
 * Three scopes are not permissions but say how the route authenticates:
 * - `public`: no credentials (health, the login form, the console's static files, API docs);
 * - `signed`: the request proves itself (a channel's HMAC webhook signature, an EDI partner's
 *   or a 3PL feed's own bearer token), checked by the route;
 * - `sandbox`: the in-process sandbox ERP, a stand-in for a system outside crossdock.
 * And one asks only that there be a caller: `authenticated` (any API key, session or the local
 * administrator, whatever it holds — signing out).
 */
export const SCOPES = [
  'orders:read', 'orders:write',
  'shipments:write', 'invoices:write',
  'inventory:read', 'inventory:write',
  'availability:read', 'availability:write',
  'prices:read', 'prices:write',
  'messages:read',
  'dead-letters:read', 'dead-letters:write',
  'mappings:read', 'mappings:write',
  'connectors:read', 'connectors:write',
  'metrics:read',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];
export type RouteScope = Scope | 'public' | 'signed' | 'sandbox' | 'authenticated';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const READ: readonly Scope[] = [
  'orders:read', 'inventory:read', 'availability:read', 'prices:read', 'messages:read', 'dead-letters:read',
  'mappings:read', 'connectors:read', 'metrics:read',
];

/** What a console user of each role may do: viewers look, operators act on work, admins on people. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: READ,
  operator: [...READ, 'dead-letters:write', 'mappings:write', 'connectors:write'],
  admin: ['admin'],
};

/** Whether scopes held grant the scope a route needs; `admin` grants every scope. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must hold to reach this route (src/auth/scopes.ts). */
    scope?: RouteScope;
  }
}
