import { describe, expect, it } from 'vitest';
import { verifyBigCommerceWebhook } from './webhook.js';
import { WEBHOOK_SECRET } from './test-support.js';
import { readFileSync } from 'node:fs';

const settings = { webhookSecret: WEBHOOK_SECRET, webhookSecretHeader: 'x-crossdock-webhook-secret', storeHash: 'abc123' };
const payload = readFileSync(new URL('./fixtures/webhook-store-order-created.json', import.meta.url));

describe('verifyBigCommerceWebhook', () => {
  it('accepts a delivery carrying the shared secret; the payload hash is the delivery id and the scope the topic', () => {
    expect(verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: payload }, settings)).toEqual({
      ok: true,
      deliveryId: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
      topic: 'store/order/created',
    });
  });

  it('gives a redelivery the same delivery id', () => {
    const again = Buffer.from(JSON.stringify(JSON.parse(payload.toString('utf8'))));
    const first = verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: payload }, settings);
    const second = verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: again }, settings);
    expect(second).toEqual(first);
  });

  it('refuses a missing, shorter, longer or wrong secret', () => {
    const wrongSameLength = WEBHOOK_SECRET.replace(/.$/, 'X');
    for (const headers of [{}, { 'x-crossdock-webhook-secret': '' }, { 'x-crossdock-webhook-secret': 'short' }, { 'x-crossdock-webhook-secret': `${WEBHOOK_SECRET}x` }, { 'x-crossdock-webhook-secret': wrongSameLength }]) {
      expect(verifyBigCommerceWebhook({ headers, rawBody: payload }, settings).ok).toBe(false);
    }
  });

  it('does not parse the body before the secret matched', () => {
    const verdict = verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': 'nope' }, rawBody: Buffer.from('{not json') }, settings);
    expect(verdict).toEqual({ ok: false, reason: 'x-crossdock-webhook-secret does not match the webhook secret' });
    const parsed = verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: Buffer.from('{not json') }, settings);
    expect(parsed).toEqual({ ok: false, reason: 'body is not JSON' });
  });

  it('refuses a payload produced by another store', () => {
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(payload.toString('utf8')), producer: 'stores/zzz999' }));
    expect(verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: other }, settings)).toMatchObject({ ok: false });
  });

  it('reads the secret from the configured header', () => {
    const custom = { ...settings, webhookSecretHeader: 'x-shop-token' };
    expect(verifyBigCommerceWebhook({ headers: { 'x-shop-token': WEBHOOK_SECRET }, rawBody: payload }, custom).ok).toBe(true);
    expect(verifyBigCommerceWebhook({ headers: { 'x-crossdock-webhook-secret': WEBHOOK_SECRET }, rawBody: payload }, custom).ok).toBe(false);
  });
});
