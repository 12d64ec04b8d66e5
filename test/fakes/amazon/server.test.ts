import { afterEach, describe, expect, it } from 'vitest';
import { startAmazonFake, type AmazonFake } from './server.js';

let fake: AmazonFake | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

async function token(target: AmazonFake, overrides: Record<string, string> = {}): Promise<Response> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token', refresh_token: target.options.refreshToken, client_id: target.options.clientId, client_secret: target.options.clientSecret, ...overrides,
  });
  return fetch(target.lwaEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
}

describe('Amazon fake', () => {
  it('grants LWA tokens and refuses wrong client credentials (401) and refresh tokens (400) in OAuth shape', async () => {
    fake = await startAmazonFake();
    const ok = await token(fake);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.stringMatching(/^Atza\|/) });
    const badClient = await token(fake, { client_secret: 'nope' });
    expect(badClient.status).toBe(401);
    expect(await badClient.json()).toMatchObject({ error: 'invalid_client' });
    const badGrant = await token(fake, { refresh_token: 'Atzr|nope' });
    expect(badGrant.status).toBe(400);
    expect(await badGrant.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('enforces the 2-minute rule on LastUpdatedBefore and answers 403 without a valid token', async () => {
    fake = await startAmazonFake();
    const access = ((await (await token(fake)).json()) as { access_token: string }).access_token;
    const query = (before: string) => `${fake!.url}/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter=${new Date(Date.now() - 3_600_000).toISOString()}&LastUpdatedBefore=${before}`;
    const tooRecent = await fetch(query(new Date(Date.now() - 60_000).toISOString()), { headers: { 'x-amz-access-token': access } });
    expect(tooRecent.status).toBe(400);
    expect(await tooRecent.json()).toMatchObject({ errors: [{ code: 'InvalidInput', message: expect.stringContaining('2 minutes') }] });
    const settled = await fetch(query(new Date(Date.now() - 180_000).toISOString()), { headers: { 'x-amz-access-token': access } });
    expect(settled.status).toBe(200);
    expect(settled.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167');
    const anonymous = await fetch(query(new Date(Date.now() - 180_000).toISOString()));
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toMatchObject({ errors: [{ code: 'Unauthorized' }] });
  });

  it('answers 429 QuotaExceeded without Retry-After once an operation\'s bucket is empty', async () => {
    fake = await startAmazonFake({ usagePlans: { patchListingsItem: { rate: 0.01, burst: 2 } } });
    const access = ((await (await token(fake)).json()) as { access_token: string }).access_token;
    fake.seedListing('A');
    const patch = () => fetch(`${fake!.url}/listings/2021-08-01/items/${fake!.options.sellerId}/A?marketplaceIds=ATVPDKIKX0DER`, {
      method: 'PATCH',
      headers: { 'x-amz-access-token': access, 'content-type': 'application/json' },
      body: JSON.stringify({ productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }] }),
    });
    expect((await patch()).status).toBe(200);
    expect((await patch()).status).toBe(200);
    const throttled = await patch();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(await throttled.json()).toMatchObject({ errors: [{ code: 'QuotaExceeded' }] });
  });
});
