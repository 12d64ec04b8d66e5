import { CrossdockError } from '../errors/crossdock-error.js';

/**
 * The journal search page cursor: the (received_at, id) of the last message of the previous page,
 * opaque to callers. Every search shape orders by that pair, newest first, so a cursor from one
 * page is a position any later page of the same query starts after. One format for both stores.
 */
export interface SearchPosition {
  receivedAt: number;
  id: string;
}

export function encodeCursor(receivedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([receivedAt, id])).toString('base64url');
}

/** Throws `request.invalid` naming the cursor when it is not one a search returned. */
export function decodeCursor(cursor: string): SearchPosition {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (Array.isArray(position) && typeof position[0] === 'number' && Number.isFinite(position[0]) && typeof position[1] === 'string') {
    return { receivedAt: position[0], id: position[1] };
  }
  throw new CrossdockError('request.invalid', 'The page cursor is not one this service returned', {
    errors: [{ pointer: '/query/cursor', detail: 'pass the nextCursor of the previous page unchanged' }],
  });
}
