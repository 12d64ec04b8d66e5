import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { ConnectionGone, classifySftpError } from './sftp-errors.js';

const scene = { target: 'acme', operation: 'list', path: '/in' };
const err = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('SFTP error classification', () => {
  it.each([
    ['connection refused', err('connect ECONNREFUSED', { level: 'client-socket', code: 'ECONNREFUSED' }), 'target.unreachable'],
    ['connection reset', err('read ECONNRESET', { level: 'client-socket', code: 'ECONNRESET' }), 'target.unreachable'],
    ['socket timeout', err('connect ETIMEDOUT', { level: 'client-socket', code: 'ETIMEDOUT' }), 'target.timeout'],
    ['handshake timeout', err('Timed out while waiting for handshake', { level: 'client-timeout' }), 'target.timeout'],
    ['keepalive timeout', err('Keepalive timeout', { level: 'client-timeout' }), 'target.timeout'],
    ['unknown host', err('getaddrinfo ENOTFOUND', { level: 'client-dns', code: 'ENOTFOUND' }), 'target.unreachable'],
    ['dropped under an operation', new ConnectionGone(), 'target.unreachable'],
    ['login refused', err('All configured authentication methods failed', { level: 'client-authentication' }), 'channel.unauthorized'],
    ['algorithm mismatch', err('Handshake failed: no matching key exchange algorithm', { level: 'handshake' }), 'target.rejected'],
    ['missing folder', err('No such file', { code: 2 }), 'target.rejected'],
    ['permission denied', err('Permission denied', { code: 3 }), 'channel.unauthorized'],
    ['generic failure', err('Failure', { code: 4 }), 'target.rejected'],
    ['connection lost status', err('Connection lost', { code: 7 }), 'target.unreachable'],
  ])('%s → %s', (_name, error, code) => {
    const classified = classifySftpError(error, scene);
    expect(classified.code).toBe(code);
    expect(classified.target).toBe('acme');
    expect(classified.message).toContain('list /in');
  });

  it('keeps CrossdockErrors as they are and treats the unexpected as a defect', () => {
    const known = new CrossdockError('target.timeout');
    expect(classifySftpError(known, scene)).toBe(known);
    expect(classifySftpError(new TypeError('x is undefined'), scene).code).toBe('internal.defect');
  });
});
