import type { CallContext } from '../capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import type { HttpClient } from '../../protect/types.js';
import { record, text } from './document.js';

/** Refresh this long before Amazon's expiry, so a token never expires on its way. */
const EXPIRY_MARGIN_MS = 60_000;

interface Token {
  value: string;
  expiresAt: number;
}

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * Login with Amazon access tokens for SP-API (refresh-token grant: a form-encoded POST of
 * grant_type=refresh_token, refresh_token, client_id, client_secret → { access_token,
 * token_type, expires_in }). The token is cached until shortly before it expires; concurrent
 * callers share one refresh in flight. SP-API no longer needs AWS Signature Version 4 (SP-API
 * changelog, 2 October 2023: "SP-API no longer requires AWS IAM or AWS Signature Version 4"):
 * the LWA token in `x-amz-access-token` is the whole authentication.
 */
export class LwaTokens {
  #token: Token | undefined;
  #inflight: Promise<Token> | undefined;

  constructor(
    private readonly http: HttpClient,
    /** The token endpoint's path on the `lwa` target (`/auth/o2/token`). */
    private readonly path: string,
    private readonly credentials: LwaCredentials,
    private readonly clock: Clock,
  ) {}

  /** A valid access token: the cached one, or the result of the refresh in flight, or a new one. */
  async get(ctx: CallContext): Promise<string> {
    const cached = this.#token;
    if (cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > this.clock.now()) return cached.value;
    this.#inflight ??= this.refresh(ctx).finally(() => { this.#inflight = undefined; });
    return (await this.#inflight).value;
  }

  /**
   * Forgets `token` after Amazon refused it. Only that token: when another caller already
   * replaced it, the new one stays, so a burst of refusals causes one refresh, not one each.
   */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  private async refresh(ctx: CallContext): Promise<Token> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.credentials.refreshToken,
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    const response = await this.http.request({
      method: 'POST',
      path: this.path,
      operation: 'lwa.refreshToken',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: form.toString(),
    }, ctx);
    const body = record(response.body);
    if (response.status === 400 || response.status === 401) {
      // OAuth 2.0 errors (RFC 6749 §5.2): invalid_client (bad id/secret), invalid_grant (refresh token revoked or wrong).
      throw new CrossdockError('channel.unauthorized', `Login with Amazon refused the credentials: ${text(body?.error) ?? response.status} ${text(body?.error_description) ?? ''}`.trim(), {
        target: 'lwa',
        context: { status: response.status, error: body?.error, description: body?.error_description },
      });
    }
    const value = text(body?.access_token);
    const expiresIn = body?.expires_in;
    if (response.status !== 200 || value === undefined || typeof expiresIn !== 'number') {
      throw new CrossdockError('target.rejected', `Login with Amazon answered ${response.status} without an access token`, {
        target: 'lwa',
        context: { status: response.status, body: response.body },
      });
    }
    const token = { value, expiresAt: this.clock.now() + expiresIn * 1000 };
    this.#token = token;
    return token;
  }
}
