import { describe, expect, it } from 'vitest';
import { hostName, isForwarded, isLocalRequest, isLoopbackAddress, isLoopbackHost } from './loopback.js';

describe('loopback', () => {
  it('knows the names and addresses of this machine', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '127.0.0.1.nip.io', 'localhost.evil.example']) expect(isLoopbackHost(h), h).toBe(false);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });

  it('tells a request a proxy forwarded by the headers proxies add', () => {
    for (const name of ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via']) expect(isForwarded({ [name]: 'x' }), name).toBe(true);
    expect(isForwarded({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' })).toBe(false);
  });

  it('reads the host name without its port', () => {
    expect(hostName('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostName('[::1]:8080')).toBe('[::1]');
    expect(hostName('localhost')).toBe('localhost');
  });

  it('accepts only a loopback Host and, when present, crossdock\'s own Origin', () => {
    expect(isLocalRequest('127.0.0.1:8080', undefined)).toBe(true);
    expect(isLocalRequest('127.0.0.1:8080', 'http://127.0.0.1:8080')).toBe(true);
    expect(isLocalRequest('127.0.0.1:8080', 'http://127.0.0.1:9999')).toBe(false);
    expect(isLocalRequest('127.0.0.1:8080', 'null')).toBe(false);
    expect(isLocalRequest('evil.example:8080', undefined)).toBe(false);
    expect(isLocalRequest(undefined, undefined)).toBe(false);
  });
});
