import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';
import { createUser } from '../../src/auth/users.js';
import { createApiClient, issueApiKey } from '../../src/auth/api-clients.js';

// The operations console in a real (headless) Chromium against a real crossdock on SQLite with
// the in-process sandbox ERP and access control required: an operator finds a held order,
// fixes its SKU mapping and replays it; a viewer can look but not act.

const CHROMIUM = process.env.CROSSDOCK_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CROSSDOCK_CHROMIUM)`);
}
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

/** Passwords hashed cheaply: sign-in speed is not what this test is about. */
const FAST_SCRYPT = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };
const OLIVIA = { username: 'olivia', password: 'olivia-operates-1' };
const VICTOR = { username: 'victor', password: 'victor-only-views-1' };

let t: TestApp;
let url: string;
let apiKey: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    ...init, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * A plain GET whose body is always read: an unread body keeps its connection busy, and the
 * server's close would wait for it.
 */
async function get(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

interface OrderView { state: string; erpRef: string | null; reason: { code: string; message: string } | null }
const order = async (id: string) => (await api<OrderView>(`/v1/orders/${id}`)).body;

async function submitOrder(channelOrderId: string, sku: string): Promise<string> {
  const accepted = await api<{ orderId: string }>('/v1/orders', {
    method: 'POST', body: JSON.stringify(sampleOrder({ channelOrderId, lines: [{ sku, quantity: 3, uom: 'EA', unitPrice: '9.50' }] })),
  });
  expect(accepted.status).toBe(202);
  return accepted.body.orderId;
}

/** A full-page screenshot without the transient notices of what was just done. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate("document.getElementById('toasts')?.replaceChildren()");
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

async function signIn(who: { username: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${url}/console`);
  await page.getByLabel('User name').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user').filter({ hasText: who.username }).waitFor();
  return page;
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('operations console in Chromium', () => {
  let held: string;
  let alsoHeld: string;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI needs Chromium at ${CHROMIUM} for the console tests (apt-get install chromium)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await makeTestApp({
      access: { mode: 'required', secureCookies: false },
      worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 },
    });
    const now = Date.now();
    await createUser(t.app.store, { ...OLIVIA, role: 'operator' }, 'test', now, FAST_SCRYPT);
    await createUser(t.app.store, { ...VICTOR, role: 'viewer' }, 'test', now, FAST_SCRYPT);
    await createApiClient(t.app.store, { id: 'b2b-portal', scopes: ['orders:write', 'orders:read', 'dead-letters:read'] }, 'test', now);
    apiKey = (await issueApiKey(t.app.store, 'b2b-portal', {}, 'test', now)).key;
    [url, browser] = await Promise.all([t.app.start(), chromium.launch({ executablePath: CHROMIUM, headless: true })]);

    // Traffic for the dashboard, and two orders held for SKUs the ERP does not know.
    await submitOrder('PO-CONSOLE-OK', 'SKU-2');
    held = await submitOrder('PO-CONSOLE-1', 'WIDGET-BLUE');
    alsoHeld = await submitOrder('PO-CONSOLE-2', 'GADGET-RED');
    for (const id of [held, alsoHeld]) {
      const settled = await waitFor(() => order(id), (o) => o.state !== 'received' && o.state !== 'validated', 15_000);
      expect(settled.reason?.code).toBe('sku.unknown');
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.dispose();
  });

  it('serves the console with a strict content security policy', async () => {
    const redirect = await get('/console', { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const index = await get('/console/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<script type="module" src="app.js">');
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const etag = index.headers.get('etag');
    expect(etag).toBeTruthy();
    // Through inject: fetch adds `cache-control: no-cache` to a conditional request, which
    // rightly forbids a 304.
    expect((await t.app.http.inject({ url: '/console/', headers: { 'if-none-match': etag! } })).statusCode).toBe(304);
    expect((await get('/console/app.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await get('/console/vendor/uPlot.esm.js')).status).toBe(200);
    // Only the browser build of the chart library is exposed from node_modules.
    expect((await get('/console/vendor/package.json')).status).toBe(404);
  });

  it('lets an operator find a held order, fix its SKU mapping, replay it and see it posted', async () => {
    const page = await signIn(OLIVIA);
    await expect(page.getByTestId('role').textContent()).resolves.toBe('operator');

    // Find the order by its number.
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('PO-CONSOLE-1');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await page.getByTestId('message-results').getByRole('link', { name: 'PO-CONSOLE-1' }).click();

    // Read why it is held.
    const reason = page.getByTestId('reason');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('sku.unknown');
    expect(await reason.textContent()).toContain('WIDGET-BLUE');
    await page.getByTestId('diff').waitFor();
    await screenshot(page, 'lineage');
    const lineage = page.url();

    // Fix the mapping in the workbench: the form comes prefilled with the channel and the SKU.
    await reason.getByRole('link', { name: 'Open in dead-letter workbench' }).click();
    const form = page.getByTestId('fix-form');
    await form.waitFor();
    expect(await form.getByLabel('Channel', { exact: true }).inputValue()).toBe('b2b-portal');
    expect(await form.getByLabel('Channel SKU').inputValue()).toBe('WIDGET-BLUE');
    await form.getByLabel('ERP SKU').fill('SKU-1');
    await form.getByRole('button', { name: 'Save mapping' }).click();
    await form.locator('.form-ok, .form-error').waitFor();
    expect(await form.locator('.form-status').textContent()).toMatch(/^Mapping saved for WIDGET-BLUE/);

    // Replay, and watch it go through.
    await form.getByRole('button', { name: 'Replay PO-CONSOLE-1' }).click();
    const tracker = page.getByTestId('replay-tracker');
    await tracker.getByText('posted', { exact: true }).waitFor({ timeout: 30_000 });

    const posted = await order(held);
    expect(posted.state).toBe('posted');
    const erp = JSON.parse((await get('/sandbox/erp/orders')).body) as { orders: { externalRef: string; lines: { sku: string }[] }[] };
    const mine = erp.orders.filter((o) => o.externalRef === held);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.lines.map((l) => l.sku)).toEqual(['SKU-1']);
    expect(erp.orders.some((o) => o.externalRef === alsoHeld)).toBe(false);

    // The order's lineage now ends in the ERP, and shows the SKU crossdock changed.
    await page.goto(lineage);
    await page.getByTestId('erp-ref').waitFor();
    const changedSku = page.getByTestId('diff').locator('.diff-col[data-side="right"] .diff-row[data-path="/lines/0/sku"]');
    expect(await changedSku.getAttribute('class')).toContain('diff-changed');
    expect(await changedSku.textContent()).toContain('"SKU-1"');
    await screenshot(page, 'lineage-posted');
    await page.goBack();

    // The mapping is listed with who set it.
    await page.getByText('Cross-references set at run time').click();
    const mapping = page.getByTestId('cross-references').getByRole('row', { name: /WIDGET-BLUE/ });
    await mapping.waitFor();
    expect(await mapping.textContent()).toMatch(/b2b-portal.*sku.*WIDGET-BLUE.*SKU-1.*olivia/);

    // The dashboard, with the traffic just made.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('dashboard').waitFor();
    await page.locator('.uplot, .chart .empty, .dashboard-body .empty').first().waitFor();
    await screenshot(page, 'dashboard');
  });

  it('shows a viewer the dead letters without the means to replay, and the server refuses a forced replay', async () => {
    const page = await signIn(VICTOR);
    await expect(page.getByTestId('role').textContent()).resolves.toBe('viewer');
    await page.goto(`${url}/console/#/dead-letters`);
    const table = page.getByTestId('dead-letters');
    await table.getByText('PO-CONSOLE-2').waitFor();
    expect(await table.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);

    const letters = (await api<{ items: { id: string; orderId: string }[] }>('/v1/dead-letters')).body;
    const letter = letters.items.find((d) => d.orderId === alsoHeld);
    expect(letter).toBeDefined();
    const forced = await page.evaluate(async (id) => {
      const session = await (await fetch('/v1/session')).json() as { csrfToken: string };
      const response = await fetch(`/v1/dead-letters/${id}/replay`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: '{}',
      });
      return response.status;
    }, letter!.id);
    expect(forced).toBe(403);
    expect((await order(alsoHeld)).state).toBe('held');
  });
});
