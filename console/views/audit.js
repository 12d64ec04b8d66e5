import { query } from '../lib/api.js';
import { empty, h, time } from '../lib/dom.js';
import { jsonView } from '../lib/json-view.js';

// The audit log (administrators): who changed what, newest first, with the before and after.

function change(entry) {
  const parts = [['Before', entry.before], ['After', entry.after], ['Detail', entry.detail]].filter(([, v]) => v !== null && v !== undefined);
  if (parts.length === 0) return '–';
  return h('details', {}, h('summary', {}, parts.map(([label]) => label).join(' / ')),
    parts.map(([label, value]) => h('div', {}, h('strong', {}, label), jsonView(value))));
}

export async function auditView(ctx) {
  ctx.setTitle('Audit log');
  const before = ctx.query.get('before') ?? '';
  const page = await ctx.api.get(`/v1/audit${query({ limit: 100, before })}`);
  return h('div', { class: 'view' },
    page.items.length === 0 ? empty('Nothing recorded yet.') : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Target', 'Change'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, page.items.map((e) => h('tr', {},
        h('td', {}, time(e.at)), h('td', {}, e.actor), h('td', {}, h('code', {}, e.action)), h('td', { class: 'mono small' }, e.target ?? '–'), h('td', {}, change(e))))))),
    h('div', { class: 'pager' },
      before ? h('a', { class: 'btn', href: '#/audit' }, '⟵ Newest') : null,
      page.nextBefore ? h('a', { class: 'btn', href: `#/audit${query({ before: page.nextBefore })}` }, 'Older ⟶') : null));
}
