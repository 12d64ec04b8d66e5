import { isIPv4 } from 'node:net';

/** Whether a configured listen address, or a Host name, is this machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '[::1]' || h === '::ffff:127.0.0.1') return true;
  return isIPv4(h) && h.startsWith('127.');
}

/** A remote socket address on this machine (IPv4-mapped IPv6 included). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The name in a `Host` header, without its port: `127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`. */
export function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end === -1 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.indexOf(':');
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon);
}

/** Headers a reverse proxy adds to what it forwards (RFC 7239 and the de-facto ones). */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'] as const;

/**
 * Whether a proxy forwarded the request: then its loopback socket address says only that the
 * proxy runs on this machine, not that the caller does.
 */
export function isForwarded(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  for (const name of FORWARDING_HEADERS) if (headers[name] !== undefined) return true;
  return false;
}

/**
 * Whether a request without credentials may act as the local administrator: its `Host` names
 * this machine (a DNS-rebinding page reaches 127.0.0.1 under its own host name) and, when a
 * browser sends `Origin`, it is crossdock's own (another site's page cannot drive the API).
 */
export function isLocalRequest(hostHeader: string | undefined, origin: string | undefined): boolean {
  if (!hostHeader || !isLoopbackHost(hostName(hostHeader))) return false;
  if (origin === undefined) return true;
  return origin === `http://${hostHeader}` || origin === `https://${hostHeader}`;
}
