import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { demoSalesOrder } from './fixtures/documents.js';
import { openSandboxErpState } from './state.js';

/** `crossdock sandbox-erp` as its own process, the way fault tests run it. */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../cli/sandbox-erp.ts', import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Starts the command in a child process and resolves with its API base URL once it listens. */
async function startChild(dataDir: string, ...args: string[]): Promise<{ child: ChildProcess; apiBaseUrl: string }> {
  const script = `
    import { Command } from 'commander';
    import { registerSandboxErpCommand } from ${JSON.stringify(cli)};
    const program = new Command('crossdock');
    registerSandboxErpCommand(program);
    await program.parseAsync(process.argv.slice(1), { from: 'user' });`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, '--', 'sandbox-erp', '--port', '0', '--data-dir', dataDir, ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const apiBaseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('apiBaseUrl'));
      if (line) resolve((JSON.parse(line) as { apiBaseUrl: string }).apiBaseUrl);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`sandbox-erp exited with ${code}: ${err}`)));
  });
  return { child, apiBaseUrl };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-erp-process-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('crossdock sandbox-erp', () => {
  it('still has an order it answered 201 for after being killed with SIGKILL', { timeout: 30_000 }, async () => {
    const dataDir = tempDir();
    const { child, apiBaseUrl } = await startChild(dataDir);
    const created = await fetch(`${apiBaseUrl}/api/sales-orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(demoSalesOrder()),
    });
    expect(created.status).toBe(201);
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');

    const state = openSandboxErpState(dataDir);
    try {
      expect(state.listSalesOrders().map((o) => o.number)).toEqual(['SO-000001']);
    } finally {
      state.close();
    }
  });

  it('applies --rate-cap and stops cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const { child, apiBaseUrl } = await startChild(tempDir(), '--rate-cap', '1', '--knobs', '{"latencyMs":0}');
    expect((await fetch(`${apiBaseUrl}/api/customers/C-100`)).status).toBe(200);
    expect((await fetch(`${apiBaseUrl}/api/customers/C-100`)).status).toBe(429);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });
});
