import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../src/errors/crossdock-error.js';
import { createLogger } from '../../src/observability/logger.js';

/** A logger writing into memory: every line it wrote, as text. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
  return { logger: createLogger('info', stream), lines };
}

const SECRETS = {
  bearer: 'Bearer eyJhbGciOiJIUzI1NiJ9.s3cr3t',
  cookie: 'crossdock_session=abcdef0123456789',
  apiKey: 'cdk_live_7f3a9b2c4d5e6f708192',
  password: 'correct horse battery staple',
  hash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
  webhookSecret: 'whsec_9a8b7c6d5e4f',
  privateKey: '-----BEGIN PRIVATE KEY-----MIIEv',
  pan: '4111 1111 1111 1111',
  cvv: '737',
  email: 'jane.doe@example.com',
  phone: '+1 775 555 0100',
  street: '1 Dock Rd',
};

describe('logs', () => {
  it('never contain credentials, card data or personal data, whatever the shape or depth', () => {
    const { logger, lines } = capture();
    logger.info({
      correlationId: 'cor-1',
      req: { headers: { authorization: SECRETS.bearer, cookie: SECRETS.cookie, 'x-api-key': SECRETS.apiKey, 'set-cookie': [SECRETS.cookie] } },
      user: { password: SECRETS.password, passwordHash: SECRETS.hash },
      connector: { settings: { webhookSecret: SECRETS.webhookSecret, client_secret: SECRETS.webhookSecret, privateKey: SECRETS.privateKey, token: SECRETS.bearer, key: SECRETS.apiKey } },
      payment: { pan: SECRETS.pan, card: { number: SECRETS.pan, cvv: SECRETS.cvv } },
      order: { customer: { email: SECRETS.email, phone: SECRETS.phone }, shipTo: { line1: SECRETS.street }, lines: [{ sku: 'SKU-1', billTo: { address: SECRETS.street } }] },
      note: `customer paid with ${SECRETS.pan}`,
    }, 'order received');
    logger.warn(`card 4111-1111-1111-1111 in a message`);
    const out = lines.join('');
    for (const [name, secret] of Object.entries(SECRETS)) expect(out, name).not.toContain(secret);
    expect(out).not.toContain('4111-1111-1111-1111');
    expect(out).toContain('[redacted]');
    // What the journal needs to find the order again is kept.
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ correlationId: 'cor-1', msg: 'order received', service: 'crossdock', order: { lines: [{ sku: 'SKU-1' }] } });
    expect(first.note).toBe('customer paid with [card ****1111]');
  });

  it('keeps an error\'s code and message, and redacts what its context quotes', () => {
    const { logger, lines } = capture();
    const error = new CrossdockError('target.rejected', 'the ERP refused the order', { target: 'erp', context: { body: { email: SECRETS.email }, authorization: SECRETS.bearer } });
    logger.error({ err: error, jobId: 'job-1', correlationId: 'cor-2' }, 'job failed');
    const line = JSON.parse(lines[0]!) as { err: { code: string; message: string }; correlationId: string };
    expect(line.err).toMatchObject({ code: 'target.rejected', message: 'the ERP refused the order' });
    expect(line.correlationId).toBe('cor-2');
    expect(lines[0]).not.toContain(SECRETS.email);
    expect(lines[0]).not.toContain(SECRETS.bearer);
  });

  it('leaves numbers that are not card numbers alone', () => {
    const { logger, lines } = capture();
    logger.info({ interchangeControlNumber: '000000001', gtin: '00012345600012' }, 'EDI 850 received, PO 1234567890123');
    expect(lines[0]).toContain('000000001');
    expect(lines[0]).toContain('PO 1234567890123');
  });
  it('keeps an error logged as a message string a string, card numbers masked', () => {
    const { logger, lines } = capture();
    logger.warn({ err: 'erp answered 503 for card 4111 1111 1111 1111' }, 'poll failed');
    const line = JSON.parse(lines[0]!) as { err: unknown };
    expect(line.err).toBe('erp answered 503 for card [card ****1111]');
  });
});
