import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The script that starts a real OpenSSH server (`start.sh DIR PORT`), kept beside this file;
 * `CROSSDOCK_TEST_SFTP_SCRIPTS` points to another folder with a `start.sh` of the same contract.
 */
const SCRIPTS = process.env.CROSSDOCK_TEST_SFTP_SCRIPTS ?? resolve(dirname(fileURLToPath(import.meta.url)), 'sftp');
const SSHD = '/usr/sbin/sshd';
/** The folders every EDI test uses, created under `root/`. */
export const SFTP_TEST_FOLDERS = ['inbound', 'outbound', 'processed', 'rejected'] as const;

/** A real OpenSSH SFTP server on 127.0.0.1, only for this test. */
export interface TestSftpServer {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The client private key (OpenSSH text) authorised to log in. */
  readonly privateKey: string;
  /** The server's host key fingerprint, `SHA256:…`, as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** Local path of the served `root/` folder; the server sees the same absolute path. */
  readonly root: string;
  /** sshd's own log (one `Accepted publickey` line per login), for tests that count connections. */
  log(): Promise<string>;
  /**
   * Kills the per-connection sshd processes of this server (descendants of its listener), as a
   * dropped network would end the sessions; the listener keeps accepting new logins.
   */
  dropConnections(): Promise<void>;
  /** Stops this server (by the pid its script left) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

/** sshd processes started by this test process, killed if it exits without stopping them. */
const started = new Set<number>();
process.once('exit', () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
});

/**
 * Why SFTP tests cannot run here, or `undefined` when they can. sshd is installed with apt (by
 * the start script) when missing; only a failed install makes tests skip.
 */
export async function sftpServerUnavailable(): Promise<string | undefined> {
  if (existsSync(SSHD)) return undefined;
  // Missing scripts are a broken checkout, not a missing sshd: fail rather than skip.
  if (!existsSync(join(SCRIPTS, 'start.sh'))) throw new Error(`the SFTP server scripts are not at ${SCRIPTS} (set CROSSDOCK_TEST_SFTP_SCRIPTS)`);
  try {
    const server = await startSftpServer();
    await server.stop();
    return undefined;
  } catch (error) {
    if (existsSync(SSHD)) throw error;
    return `OpenSSH's sshd is not installed and could not be installed with apt: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Starts a server in a fresh temp folder on a free port, retrying when the port was taken meanwhile. */
export async function startSftpServer(): Promise<TestSftpServer> {
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-sftp-'));
  const root = join(dir, 'root');
  for (const folder of SFTP_TEST_FOLDERS) await mkdir(join(root, folder), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    // A fresh log per attempt, so an old "address already in use" does not mislead the retry.
    await writeFile(join(dir, 'sshd.log'), '');
    try {
      // The first run may install openssh-server with apt: give it time.
      await run('bash', [join(SCRIPTS, 'start.sh'), dir, String(port)], { timeout: 300_000 });
    } catch (error) {
      lastError = error;
      const log = await readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '');
      if (/address already in use/i.test(log)) continue;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`start.sh failed: ${describe(error)}\n${log}`);
    }
    // start.sh only checks that the port answers: when another process holds it, it reports
    // success while sshd exited with a bind error and left no pid file.
    const pid = Number((await readFile(join(dir, 'sshd.pid'), 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0) {
      const log = await readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '');
      lastError = new Error(`sshd left no pid file on port ${port}: ${log}`);
      if (/address already in use|cannot bind/i.test(log)) continue;
      await rm(dir, { recursive: true, force: true });
      throw lastError;
    }
    started.add(pid);
    return {
      host: '127.0.0.1',
      port,
      username: userInfo().username,
      privateKey: await readFile(join(dir, 'client_key'), 'utf8'),
      hostKeyFingerprint: fingerprintOfPublicKey(await readFile(join(dir, 'host_key.pub'), 'utf8')),
      root,
      log: () => readFile(join(dir, 'sshd.log'), 'utf8').catch(() => ''),
      dropConnections: async () => {
        for (const child of await descendantsOf(pid)) {
          try {
            process.kill(child, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      },
      stop: once(async () => {
        await stopPid(pid);
        started.delete(pid);
        await rm(dir, { recursive: true, force: true });
      }),
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`no free port for sshd after 5 attempts: ${describe(lastError)}`);
}

/** A port the OS just handed out on 127.0.0.1; another process may still take it (hence the retries). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** SIGTERM to our sshd listener only, then wait until it has exited and released the port. */
async function stopPid(pid: number): Promise<void> {
  if (pid <= 0) return; // never signal a process group
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every process below `pid`, read from /proc (Linux, where the shared scripts run). */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 is the parent pid; the command name (field 2) may contain spaces, so split after ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** `ssh-ed25519 AAAA… comment` → `SHA256:…`: the SHA-256 of the key blob, base64 without padding. */
function fingerprintOfPublicKey(line: string): string {
  const blob = line.trim().split(/\s+/)[1] ?? '';
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return typeof stderr === 'string' && stderr !== '' ? `${error.message}: ${stderr}` : error.message;
  }
  return String(error);
}
