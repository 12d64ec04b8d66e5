import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../src/errors/crossdock-error.js';
import { isRetryable } from '../../src/errors/catalogue.js';
import type { EdiTransport } from '../../src/edi/transport/types.js';

/** What each implementation lets the suite change. */
export interface TransportOverrides {
  readonly settleMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  /** Replaces the inbound folder (a local path under `root`). */
  readonly inbound?: string;
}

/**
 * How the suite reaches an implementation: `root` is a local folder holding `inbound/`,
 * `outbound/`, `processed/` and `rejected/` (for SFTP, the folder the server serves), so the
 * suite plays the partner with plain file operations.
 */
export interface TransportHarness {
  readonly root: string;
  create(overrides?: TransportOverrides): EdiTransport;
}

/** Thrown error, for asserting on rejections. */
async function failureOf(work: Promise<unknown>): Promise<CrossdockError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(CrossdockError);
    return error as CrossdockError;
  }
  throw new Error('expected the operation to fail');
}

/**
 * The behaviour every `EdiTransport` shares; run once per implementation. `harness()` is read
 * inside each test, so the implementation can set it up in `beforeAll`.
 */
export function describeEdiTransport(name: string, harness: () => TransportHarness): void {
  describe(`${name} transport (shared behaviour)`, () => {
    const open: EdiTransport[] = [];
    const transport = (overrides: TransportOverrides = {}) => {
      const created = harness().create({ settleMs: 0, ...overrides });
      open.push(created);
      return created;
    };
    const folder = (which: string) => join(harness().root, which);
    /** Plays the partner: drops a file with a chosen modification time (whole seconds, as SFTP reports). */
    const drop = (fileName: string, content: string | Buffer, modifiedSecondsAgo = 60) => {
      const path = join(folder('inbound'), fileName);
      writeFileSync(path, content);
      const at = Math.floor(Date.now() / 1000) - modifiedSecondsAgo;
      utimesSync(path, at, at);
      return path;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
      for (const which of ['inbound', 'outbound', 'processed', 'rejected']) {
        for (const entry of readdirSync(folder(which))) {
          rmSync(join(folder(which), entry), { recursive: true, force: true });
        }
      }
    });

    it('lists waiting files oldest first, leaving out folders, temp names and hidden names', async () => {
      drop('b-newer.x12', 'ISA*B~', 10);
      drop('a-older.x12', 'ISA*A~', 100);
      drop('c-same-age.x12', 'ISA*C~', 10);
      drop('upload.x12.part', 'ISA*half');
      drop('.hidden.x12', 'ISA*H~');
      mkdirSync(join(folder('inbound'), 'archive'));

      const files = await transport().list();

      expect(files.map((f) => f.name)).toEqual(['a-older.x12', 'b-newer.x12', 'c-same-age.x12']);
      expect(files[0]).toMatchObject({ size: 6, path: expect.stringMatching(/inbound\/a-older\.x12$/) });
      expect(files[0]!.modifiedAt).toBeInstanceOf(Date);
    });

    it('reads a file whole and as a stream, byte for byte', async () => {
      const content = Buffer.from('ISA*00*          *00*          *ZZ*PARTNER~\xff\x00', 'latin1');
      drop('po.x12', content);
      const t = transport();
      const [file] = await t.list();

      expect((await t.read(file!)).equals(content)).toBe(true);
      expect((await buffer(await t.openRead(file!))).equals(content)).toBe(true);
    });

    it('moves a handled file to processed and a refused one to rejected, so neither is listed again', async () => {
      drop('good.x12', 'good');
      drop('bad.x12', 'bad');
      const t = transport();
      const files = await t.list();

      await t.markProcessed(files.find((f) => f.name === 'good.x12')!, 'processed');
      await t.markProcessed(files.find((f) => f.name === 'bad.x12')!, 'rejected');

      expect(await t.list()).toEqual([]);
      expect(readFileSync(join(folder('processed'), 'good.x12'), 'utf8')).toBe('good');
      expect(readFileSync(join(folder('rejected'), 'bad.x12'), 'utf8')).toBe('bad');
    });

    it('never overwrites a processed file of the same name: the newcomer gets a timestamp, then a sequence', async () => {
      const now = () => new Date('2024-05-01T10:15:00.123Z');
      const t = transport({ now });
      writeFileSync(join(folder('processed'), 'po.x12'), 'first');
      for (const content of ['second', 'third']) {
        drop('po.x12', content);
        const [file] = await t.list();
        await t.markProcessed(file!, 'processed');
      }

      expect(readdirSync(folder('processed')).sort()).toEqual(['po.20240501T101500123Z-2.x12', 'po.20240501T101500123Z.x12', 'po.x12']);
      expect(readFileSync(join(folder('processed'), 'po.x12'), 'utf8')).toBe('first');
      expect(readFileSync(join(folder('processed'), 'po.20240501T101500123Z.x12'), 'utf8')).toBe('second');
      expect(readFileSync(join(folder('processed'), 'po.20240501T101500123Z-2.x12'), 'utf8')).toBe('third');
    });

    it('puts a file under its final name with no temp file left behind', async () => {
      await transport().put('810_000123.x12', 'ISA*INVOICE~');

      expect(readdirSync(folder('outbound'))).toEqual(['810_000123.x12']);
      expect(readFileSync(join(folder('outbound'), '810_000123.x12'), 'utf8')).toBe('ISA*INVOICE~');
    });

    it('accepts the same put twice (a retry) but never overwrites a different waiting file', async () => {
      const t = transport();
      await t.put('856.x12', Buffer.from('ASN-1'));
      await t.put('856.x12', Buffer.from('ASN-1'));

      const error = await failureOf(t.put('856.x12', Buffer.from('ASN-2')));

      expect(error.code).toBe('target.rejected');
      expect(isRetryable(error.kind)).toBe(false);
      expect(readFileSync(join(folder('outbound'), '856.x12'), 'utf8')).toBe('ASN-1');
    });

    it('skips a file that grows between the two listings of the settle check, and lists it once it is still', async () => {
      const path = drop('growing.x12', 'ISA*');
      drop('done.x12', 'ISA*DONE~');
      // The partner appends while the transport waits between its two listings.
      const appending = transport({ settleMs: 500, sleep: async () => appendFileSync(path, 'GS*more~') });
      expect((await appending.list()).map((f) => f.name)).toEqual(['done.x12']);

      const quiet = transport({ settleMs: 500, sleep: async () => undefined });
      expect((await quiet.list()).map((f) => f.name)).toEqual(['done.x12', 'growing.x12']);
    });

    it('refuses a missing inbound folder as not retryable', async () => {
      const error = await failureOf(transport({ inbound: join(harness().root, 'no-such-folder') }).list());

      expect(error.code).toBe('target.rejected');
      expect(isRetryable(error.kind)).toBe(false);
    });

    it('refuses to mark a file that is no longer in the inbound folder', async () => {
      drop('gone.x12', 'x');
      const t = transport();
      const [file] = await t.list();
      await t.markProcessed(file!, 'processed');

      const error = await failureOf(t.markProcessed(file!, 'processed'));

      expect(error.code).toBe('target.rejected');
    });

    it('refuses outbound names that would leave the folder or hide as a temp file', async () => {
      const t = transport();
      for (const bad of ['../escape.x12', 'sub/dir.x12', '', 'half.x12.part', '.hidden']) {
        expect((await failureOf(t.put(bad, 'x'))).code).toBe('internal.defect');
      }
      expect(readdirSync(folder('outbound'))).toEqual([]);
    });
  });
}
