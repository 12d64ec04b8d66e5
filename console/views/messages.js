import { query } from '../lib/api.js';
import { badge, empty, field, h, time } from '../lib/dom.js';

// Journal search: by order number, channel order id or correlation id (`q`), SKU, customer,
// channel, status and time. Newest first, a page at a time by cursor, so a large journal
// answers as fast as a small one. The search lives in the URL: results can be linked.

const STATUSES = ['accepted', 'processing', 'delivered', 'held', 'failed', 'rejected'];
const FILTERS = ['q', 'sku', 'customer', 'channel', 'status', 'from', 'to'];

/** `2026-11-22T10:00` (local, from <input type=datetime-local>) ⇄ ISO 8601 for the API. */
function toIso(local) {
  if (!local) return '';
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}
function toLocal(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

function searchForm(ctx) {
  const get = (name) => ctx.query.get(name) ?? '';
  const inputs = {
    q: h('input', { type: 'search', name: 'q', value: get('q'), placeholder: 'Order number, order id or correlation id', autofocus: true, 'aria-keyshortcuts': '/' }),
    sku: h('input', { name: 'sku', value: get('sku'), placeholder: 'SKU' }),
    customer: h('input', { name: 'customer', value: get('customer'), placeholder: 'Account' }),
    channel: h('input', { name: 'channel', value: get('channel'), placeholder: 'e.g. b2b-portal' }),
    status: h('select', { name: 'status' }, h('option', { value: '' }, 'any'), STATUSES.map((s) => h('option', { value: s, selected: get('status') === s }, s))),
    from: h('input', { type: 'datetime-local', name: 'from', value: toLocal(get('from')) }),
    to: h('input', { type: 'datetime-local', name: 'to', value: toLocal(get('to')) }),
  };
  function submit(event) {
    event.preventDefault();
    ctx.navigate('messages', {
      q: inputs.q.value.trim(), sku: inputs.sku.value.trim(), customer: inputs.customer.value.trim(),
      channel: inputs.channel.value.trim(), status: inputs.status.value, from: toIso(inputs.from.value), to: toIso(inputs.to.value),
    });
  }
  return h('form', { class: 'search', role: 'search', on: { submit } },
    h('div', { class: 'search-main' }, field('Search', inputs.q, 'Press / to focus'), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search')),
    h('div', { class: 'search-filters' },
      field('SKU', inputs.sku), field('Customer', inputs.customer), field('Channel', inputs.channel),
      field('Status', inputs.status), field('From', inputs.from), field('To', inputs.to),
      h('a', { class: 'btn btn-quiet', href: '#/messages' }, 'Clear')));
}

function resultsTable(items) {
  if (items.length === 0) return empty('No messages match.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'message-results' },
    h('thead', {}, h('tr', {},
      ['Received', 'Status', 'Order number', 'Order', 'Kind', 'Source', 'Correlation id'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((m) => h('tr', {},
      h('td', {}, time(m.receivedAt)),
      h('td', {}, badge(m.status)),
      h('td', {}, h('a', { href: `#/messages/${encodeURIComponent(m.id)}` }, m.channelRef ?? m.id)),
      h('td', { class: 'mono' }, m.subjectId ?? '–'),
      h('td', {}, m.kind),
      h('td', {}, m.source),
      h('td', { class: 'mono small' }, m.correlationId))))));
}

export async function messagesView(ctx) {
  ctx.setTitle('Messages');
  const params = Object.fromEntries(FILTERS.map((f) => [f, ctx.query.get(f) ?? '']));
  const cursor = ctx.query.get('cursor') ?? '';
  const page = await ctx.api.get(`/v1/messages${query({ ...params, limit: 50, cursor })}`);
  const pager = h('div', { class: 'pager' },
    cursor ? h('a', { class: 'btn', href: `#/messages${query(params)}` }, '⟵ Newest') : null,
    page.nextCursor ? h('a', { class: 'btn', href: `#/messages${query({ ...params, cursor: page.nextCursor })}`, rel: 'next' }, 'Older ⟶') : null);
  return h('div', { class: 'view' },
    searchForm(ctx),
    h('p', { class: 'muted', role: 'status' }, `${page.items.length} message${page.items.length === 1 ? '' : 's'}${page.nextCursor ? ', more on the next page' : ''}`),
    resultsTable(page.items),
    pager);
}
