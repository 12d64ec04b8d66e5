import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t.dispose();
});

const put = (path: string, body: unknown) => t.app.http.inject({ method: 'PUT', url: `/v1/cross-references/${path}`, payload: body as Record<string, unknown> });

describe('cross-references API', () => {
  it('sets, lists, replaces and removes references, auditing each change with before and after', async () => {
    expect((await put('b2b-portal/sku/CASE-RED', { sku: 'SKU-1', uom: 'EA', factor: 12 })).statusCode).toBe(200);
    expect((await put('b2b-portal/customer/web-42', { account: 'C-100' })).statusCode).toBe(200);
    const replaced = await put('b2b-portal/sku/CASE-RED', { sku: 'SKU-2' });
    expect(replaced.json()).toMatchObject({ channel: 'b2b-portal', kind: 'sku', key: 'CASE-RED', value: { sku: 'SKU-2' } });

    const list = (await t.app.http.inject({ method: 'GET', url: '/v1/cross-references?channel=b2b-portal&kind=sku' })).json() as { items: { key: string; value: unknown }[] };
    expect(list.items).toEqual([expect.objectContaining({ key: 'CASE-RED', value: { sku: 'SKU-2' } })]);

    const [change] = await t.app.store.listAudit({ limit: 1, action: 'cross-reference.put' });
    expect(change).toMatchObject({ target: 'b2b-portal/sku/CASE-RED', before: { value: { sku: 'SKU-1', uom: 'EA', factor: 12 } }, after: { value: { sku: 'SKU-2' } } });

    expect((await t.app.http.inject({ method: 'DELETE', url: '/v1/cross-references/b2b-portal/customer/web-42' })).statusCode).toBe(204);
    expect((await t.app.http.inject({ method: 'DELETE', url: '/v1/cross-references/b2b-portal/customer/web-42' })).statusCode).toBe(404);
    const [removed] = await t.app.store.listAudit({ limit: 1, action: 'cross-reference.delete' });
    expect(removed).toMatchObject({ target: 'b2b-portal/customer/web-42', before: { value: { account: 'C-100' } }, after: null });
  });

  it('refuses a value that does not fit its kind, naming the field', async () => {
    const wrongKind = await put('b2b-portal/sku/X', { account: 'C-100' });
    expect(wrongKind.statusCode).toBe(422);
    expect(wrongKind.body).toContain('/sku');
    expect((await put('b2b-portal/sku/X', { sku: 'SKU-1', factor: 0 })).statusCode).toBe(422);
    expect((await put('b2b-portal/colour/X', { sku: 'SKU-1' })).statusCode).toBe(422);
    expect(await t.app.store.listCrossReferences({ channel: 'b2b-portal', kind: 'sku' })).toHaveLength(1);
  });
});
