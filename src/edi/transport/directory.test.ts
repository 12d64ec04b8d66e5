import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { createDirectoryTransport, parseDirectorySettings } from './directory.js';
import { describeEdiTransport, type TransportHarness } from '../../../test/conformance/edi-transport.suite.js';

const root = mkdtempSync(join(tmpdir(), 'crossdock-edi-dir-'));
const folders = Object.fromEntries(['inbound', 'outbound', 'processed', 'rejected'].map((f) => [f, join(root, f)]));
for (const path of Object.values(folders)) mkdirSync(path);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const harness: TransportHarness = {
  root,
  create: ({ inbound, settleMs, sleep, now } = {}) => createDirectoryTransport(
    parseDirectorySettings({ folders: { ...folders, ...(inbound ? { inbound } : {}) }, ...(settleMs === undefined ? {} : { settleMs }) }),
    { target: 'partner-dir', ...(sleep ? { sleep } : {}), ...(now ? { now } : {}) },
  ),
};

describeEdiTransport('directory', () => harness);

describe('directory transport', () => {
  it('applies defaults and makes folders absolute', () => {
    const settings = parseDirectorySettings({ folders: { inbound: 'in', outbound: 'out', processed: 'done', rejected: 'bad' } });

    expect(settings.temp).toEqual({ prefix: '', suffix: '.part' });
    expect(settings.settleMs).toBe(2000);
    expect(settings.folders.inbound).toBe(join(process.cwd(), 'in'));
  });

  it('lists every settings problem with its path', () => {
    const parse = () => parseDirectorySettings({ folders: { inbound: 'x', outbound: 'x', processed: 'p', rejected: 'r' }, tempSuffix: '' }, 'edi/acme');

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/edi\/acme\/tempSuffix: tempPrefix or tempSuffix must be set/);
    expect(parse).toThrow(/edi\/acme\/folders\/outbound: the same folder as inbound/);
  });

  it('rejects opening a stream on a file that is gone, before returning a stream', async () => {
    const transport = harness.create();
    const missing = { name: 'gone.x12', size: 1, modifiedAt: new Date(), path: join(root, 'inbound', 'gone.x12') };

    const error = await transport.openRead(missing).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CrossdockError);
    expect((error as CrossdockError).code).toBe('target.rejected');
  });

  it('names the target and the path in its errors', async () => {
    writeFileSync(join(root, 'inbound', 'blocker'), 'not a folder');
    const transport = harness.create({ inbound: join(root, 'inbound', 'blocker') });

    const error = (await transport.list().catch((e: unknown) => e)) as CrossdockError;

    expect(error.code).toBe('target.rejected');
    expect(error.target).toBe('partner-dir');
    expect(error.context).toMatchObject({ operation: 'list', reason: 'ENOTDIR' });
    rmSync(join(root, 'inbound', 'blocker'));
  });
});
