import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { isRetryable } from '../../src/errors/catalogue.js';
import { CrossdockError } from '../../src/errors/crossdock-error.js';
import { SFTP_TEST_FOLDERS, sftpServerUnavailable, startSftpServer, type TestSftpServer } from '../support/sftp-server.js';
import { createSftpTransport, parseSftpSettings, type SftpSettingsInput } from '../../src/edi/transport/sftp.js';
import { describeEdiTransport, type TransportOverrides } from '../conformance/edi-transport.suite.js';
import type { EdiTransport } from '../../src/edi/transport/types.js';

// Real OpenSSH server (installed with apt when missing); skipped only when it cannot be installed.
const unavailable = await sftpServerUnavailable();
if (unavailable) console.warn(`SFTP transport tests skipped: ${unavailable}`);
const SERVER_HOOK_MS = 300_000;

describe.skipIf(unavailable !== undefined)('SFTP transport against OpenSSH', { timeout: 30_000 }, () => {
  let server: TestSftpServer;
  const open: EdiTransport[] = [];
  beforeAll(async () => {
    server = await startSftpServer();
  }, SERVER_HOOK_MS);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
    for (const folder of SFTP_TEST_FOLDERS) {
      for (const entry of readdirSync(join(server.root, folder))) rmSync(join(server.root, folder, entry), { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  const settingsFor = (s: TestSftpServer, extra: Partial<SftpSettingsInput> = {}): SftpSettingsInput => ({
    host: s.host,
    port: s.port,
    username: s.username,
    privateKey: s.privateKey,
    hostKey: s.hostKeyFingerprint,
    folders: { inbound: join(s.root, 'inbound'), outbound: join(s.root, 'outbound'), processed: join(s.root, 'processed'), rejected: join(s.root, 'rejected') },
    settleMs: 0,
    idleCloseMs: 20,
    ...extra,
  });
  const transport = (extra: Partial<SftpSettingsInput> = {}, overrides: TransportOverrides = {}, on: TestSftpServer = server) => {
    const t = createSftpTransport(parseSftpSettings(settingsFor(on, extra)), {
      target: 'partner-sftp',
      ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
    });
    open.push(t);
    return t;
  };
  const failureOf = async (work: Promise<unknown>): Promise<CrossdockError> => {
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CrossdockError);
    return error as CrossdockError;
  };
  const logins = async (s: TestSftpServer = server) => (await s.log()).match(/Accepted publickey/g)?.length ?? 0;

  describeEdiTransport('SFTP', () => ({
    root: server.root,
    create: ({ inbound, settleMs, sleep, now } = {}) => transport(
      { ...(inbound ? { folders: { ...settingsFor(server).folders, inbound } } : {}), ...(settleMs === undefined ? {} : { settleMs }) },
      { ...(sleep ? { sleep } : {}), ...(now ? { now } : {}) },
    ),
  }));

  it('writes under the temp name and renames, so the partner never sees the final name with part of the file', async () => {
    const content = randomBytes(8 * 1024 * 1024);
    const outbound = join(server.root, 'outbound');
    const seen: { name: string; size: number }[] = [];
    // Plays a partner polling the folder as fast as it can while the upload runs.
    const watcher = setInterval(() => {
      for (const name of readdirSync(outbound)) {
        try {
          seen.push({ name, size: statSync(join(outbound, name)).size });
        } catch {
          // Renamed between readdir and stat.
        }
      }
    }, 1);

    await transport().put('850_big.x12', content).finally(() => clearInterval(watcher));

    expect(seen.some((s) => s.name === '850_big.x12.part')).toBe(true);
    expect(seen.filter((s) => s.name === '850_big.x12').every((s) => s.size === content.length)).toBe(true);
    expect(readdirSync(outbound)).toEqual(['850_big.x12']);
  });

  it('skips a file the partner is still appending to and lists it once the partner stops', async () => {
    const path = join(server.root, 'inbound', 'slow-upload.x12');
    writeFileSync(path, 'ISA*');
    const writer = setInterval(() => appendFileSync(path, 'GS*1~'), 20);
    const t = transport({ settleMs: 300 });
    try {
      expect(await t.list()).toEqual([]);
    } finally {
      clearInterval(writer);
    }
    const [file] = await t.list();

    expect(file).toMatchObject({ name: 'slow-upload.x12', size: statSync(path).size });
    await t.markProcessed(file!, 'processed');
  });

  it('streams a 20 MB file with backpressure instead of buffering it', async () => {
    const content = randomBytes(20 * 1024 * 1024);
    writeFileSync(join(server.root, 'inbound', 'big.x12'), content);
    const t = transport();
    const [file] = await t.list();
    const stream = await t.openRead(file!);

    // Take one chunk, then stop reading: a streaming reader stops fetching at its high-water marks.
    const first = await new Promise<Buffer>((resolve) => stream.once('data', (chunk: Buffer) => { stream.pause(); resolve(chunk); }));
    await new Promise((r) => setTimeout(r, 300));
    expect(first.length + stream.readableLength).toBeLessThan(1024 * 1024);

    const hash = createHash('sha256').update(first);
    stream.resume();
    for await (const chunk of stream) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
    await t.markProcessed(file!, 'processed');
  });

  it('per-poll: one poll shares one login, and the connection is closed once idle', async () => {
    writeFileSync(join(server.root, 'inbound', 'one.x12'), 'x');
    const t = transport({ connection: 'per-poll', idleCloseMs: 50 });
    const before = await logins();

    const [file] = await t.list();
    await t.read(file!);
    await t.markProcessed(file!, 'processed');
    expect(await logins()).toBe(before + 1);

    await new Promise((r) => setTimeout(r, 200));
    await t.list();
    expect(await logins()).toBe(before + 2);
  });

  it('persistent: keeps one login across polls', async () => {
    const t = transport({ connection: 'persistent' });
    const before = await logins();

    await t.list();
    await new Promise((r) => setTimeout(r, 200));
    await t.list();

    expect(await logins()).toBe(before + 1);
  });

  it('persistent: a dropped connection is reopened at the next poll', async () => {
    const t = transport({ connection: 'persistent' });
    await t.list();
    const before = await logins();

    await server.dropConnections();
    await new Promise((r) => setTimeout(r, 200));
    await t.list();

    expect(await logins()).toBe(before + 1);
  });

  it('fails a stream cut by a dropped connection as transient', async () => {
    writeFileSync(join(server.root, 'inbound', 'cut.x12'), randomBytes(4 * 1024 * 1024));
    const t = transport();
    const [file] = await t.list();
    const stream = await t.openRead(file!);
    await new Promise((resolve) => stream.once('data', () => { stream.pause(); resolve(undefined); }));

    await server.dropConnections();
    stream.resume();
    const error = await failureOf((async () => {
      for await (const _chunk of stream) { /* drain until the cut */ }
    })());

    expect(error.code).toBe('target.unreachable');
    expect(isRetryable(error.kind)).toBe(true);
  });

  it('refuses a key the server does not accept, as not retryable', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

    const error = await failureOf(transport({ privateKey: stranger }).list());

    expect(error.code).toBe('channel.unauthorized');
    expect(isRetryable(error.kind)).toBe(false);
    expect(error.target).toBe('partner-sftp');
    expect(error.context).toMatchObject({ reason: 'authentication' });
  });

  it('refuses a server whose host key is not the pinned one', async () => {
    const pinned = `SHA256:${createHash('sha256').update('another key').digest('base64').replace(/=+$/, '')}`;

    const error = await failureOf(transport({ hostKey: pinned }).list());

    expect(error.code).toBe('channel.unauthorized');
    expect(isRetryable(error.kind)).toBe(false);
    expect(error.context).toMatchObject({ reason: 'host-key-mismatch', expected: pinned, actual: server.hostKeyFingerprint });
  });

  it('reports a stopped server as transient', async () => {
    const doomed = await startSftpServer();
    const t = transport({}, {}, doomed);
    await t.list();
    await doomed.stop();
    await new Promise((r) => setTimeout(r, 100)); // let the per-poll session close

    const error = await failureOf(t.list());

    expect(error.code).toBe('target.unreachable');
    expect(isRetryable(error.kind)).toBe(true);
    expect(error.context).toMatchObject({ reason: 'ECONNREFUSED' });
  }, 60_000);

  it('reports a server that accepts TCP but never answers as a timeout', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await failureOf(transport({ port, connectTimeoutMs: 300 }).list());

      expect(error.code).toBe('target.timeout');
      expect(isRetryable(error.kind)).toBe(true);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('SFTP settings', () => {
  const base = { host: 'sftp.partner.example', username: 'crossdock', folders: { inbound: '/in', outbound: '/out', processed: '/in/done', rejected: '/in/bad' } };

  it('applies the documented defaults', () => {
    const settings = parseSftpSettings({ ...base, password: 'secret' });

    expect(settings).toMatchObject({
      port: 22, connectTimeoutMs: 10_000, keepaliveIntervalMs: 10_000, connection: 'per-poll', idleCloseMs: 1_000,
      settleMs: 2_000, temp: { prefix: '', suffix: '.part' }, hostKeySha256: undefined,
    });
  });

  it('requires a private key or a password', () => {
    expect(() => parseSftpSettings(base, 'edi/acme')).toThrow(/edi\/acme\/privateKey: privateKey or password is required/);
  });

  it('accepts a fingerprint as ssh-keygen prints it, padded or not, and refuses other formats', () => {
    const fp = 'SHA256:bSZhbU3DMqkB0JVG+ofm+p5dTkKXWBowJFrPlv3fNEQ';
    expect(parseSftpSettings({ ...base, password: 'x', hostKey: fp }).hostKeySha256).toBe(fp.slice(7));
    expect(parseSftpSettings({ ...base, password: 'x', hostKey: `${fp}=` }).hostKeySha256).toBe(fp.slice(7));
    expect(() => parseSftpSettings({ ...base, password: 'x', hostKey: 'MD5:ab:cd' })).toThrow(ConfigError);
  });
});
