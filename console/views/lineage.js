import { diffDocuments, parseRaw } from '../lib/diff.js';
import { badge, empty, h, time } from '../lib/dom.js';
import { jsonView } from '../lib/json-view.js';

// One message from end to end: what arrived, what crossdock made of it, what it sent to each
// target and how each attempt went — with why it stopped, and what to do about it.

const STATUS_LABEL = { same: 'same', moved: 'same value, other place', changed: 'changed', dropped: 'not carried over', added: 'added by crossdock' };

function shortValue(value) {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Side-by-side raw and canonical leaves; focusing a leaf lights up where its value went. */
function diffView(raw, canonical) {
  const parsed = parseRaw(raw);
  if (parsed === undefined || parsed === null || typeof parsed !== 'object') {
    return h('p', { class: 'muted' }, 'The raw message is not JSON; compare it with the canonical form above.');
  }
  const diff = diffDocuments(parsed, canonical);
  const container = h('div', { class: 'diff', 'data-testid': 'diff' });
  const onlyChanges = h('input', { type: 'checkbox', id: 'diff-only-changes' });

  function column(side, rows, heading) {
    return h('div', { class: 'diff-col', dataset: { side } },
      h('h3', {}, heading),
      h('ul', { class: 'diff-rows' }, rows.map((r) => h('li', {
        class: ['diff-row', `diff-${r.status}`], tabindex: '0', dataset: { side, path: r.path, links: JSON.stringify(r.links) },
        title: STATUS_LABEL[r.status],
      }, h('span', { class: 'diff-path' }, r.path || '/'), h('span', { class: 'diff-value' }, shortValue(r.value)),
      h('span', { class: 'visually-hidden' }, ` (${STATUS_LABEL[r.status]})`)))));
  }

  function highlight(event) {
    const row = event.target.closest?.('.diff-row');
    for (const lit of container.querySelectorAll('.diff-lit')) lit.classList.remove('diff-lit');
    if (!row) return;
    const other = row.dataset.side === 'left' ? 'right' : 'left';
    row.classList.add('diff-lit');
    for (const path of JSON.parse(row.dataset.links)) {
      for (const match of container.querySelectorAll(`.diff-col[data-side="${other}"] .diff-row`)) {
        if (match.dataset.path === path) match.classList.add('diff-lit');
      }
    }
  }
  container.addEventListener('mouseover', highlight);
  container.addEventListener('focusin', highlight);
  onlyChanges.addEventListener('change', () => container.classList.toggle('diff-only-changes', onlyChanges.checked));

  const s = diff.summary;
  container.append(column('left', diff.left, 'Raw (as received)'), column('right', diff.right, 'Canonical'));
  return h('div', {},
    h('div', { class: 'toolbar' },
      h('span', { class: 'legend' },
        h('span', { class: 'diff-key diff-same' }, `${s.linked} carried over`), ' ',
        h('span', { class: 'diff-key diff-changed' }, `${s.changed} changed`), ' ',
        h('span', { class: 'diff-key diff-added' }, `${s.added} added`), ' ',
        h('span', { class: 'diff-key diff-dropped' }, `${s.dropped} not carried over`)),
      h('span', { class: 'spacer' }),
      h('label', { for: 'diff-only-changes' }, onlyChanges, ' Only differences')),
    container);
}

function errorBlock(error) {
  if (!error) return null;
  return h('div', { class: 'error-block' },
    h('div', {}, h('code', {}, error.code), ' ', error.message),
    error.action ? h('div', { class: 'action' }, 'What to do: ', error.action) : null,
    error.errors?.length ? h('ul', {}, error.errors.map((e) => h('li', {}, h('code', {}, e.pointer), ' ', e.detail))) : null);
}

function collapsible(label, value, open = false) {
  return h('details', { class: 'payload', open }, h('summary', {}, label), jsonView(value));
}

function eventItem(e) {
  const response = e.detail && typeof e.detail === 'object' ? e.detail.response : undefined;
  const status = e.detail && typeof e.detail === 'object' ? e.detail.status : undefined;
  const isAttempt = e.attempt !== undefined && e.attempt !== null;
  return h('li', { class: ['tl-item', `tl-${e.outcome}`] },
    h('div', { class: 'tl-head' },
      h('span', { class: 'tl-step' }, isAttempt ? `${e.step} → ${e.target ?? ''}` : e.step),
      badge(e.outcome),
      isAttempt ? h('span', { class: 'muted' }, `attempt ${e.attempt}`) : null,
      e.latencyMs !== undefined && e.latencyMs !== null ? h('span', { class: 'muted' }, `${Math.round(e.latencyMs)} ms`) : null,
      status !== undefined ? h('span', { class: 'muted' }, `HTTP ${status}`) : null,
      h('span', { class: 'spacer' }), time(e.at)),
    errorBlock(e.error),
    e.payload !== undefined && e.payload !== null ? collapsible(`Sent to ${e.target ?? 'target'}`, e.payload) : null,
    response !== undefined ? collapsible('Response', response) : null,
    !isAttempt && e.detail && Object.keys(e.detail).length > 0 ? collapsible('Detail', e.detail) : null);
}

/** The last payload each target was sent: the message as transformed for it. */
function perTarget(events) {
  const byTarget = new Map();
  for (const e of events) if (e.target && e.payload !== undefined && e.payload !== null) byTarget.set(e.target, e);
  if (byTarget.size === 0) return null;
  return h('section', { class: 'section card' }, h('h2', {}, 'Transformed for each target'),
    [...byTarget].map(([target, e]) => collapsible(`${target} (${e.step})`, e.payload)));
}

export async function lineageView(ctx) {
  const message = await ctx.api.get(`/v1/messages/${encodeURIComponent(ctx.id)}`);
  ctx.setTitle(`Message ${message.channelRef ?? message.id}`);
  let order = null;
  if (message.subjectId && ctx.can('orders:read')) {
    try {
      order = await ctx.api.get(`/v1/orders/${encodeURIComponent(message.subjectId)}`);
    } catch {
      order = null;
    }
  }
  const reason = order?.reason;
  const stuck = order && ['held', 'failed'].includes(order.state);
  const events = message.events ?? [];

  return h('div', { class: 'view lineage', 'data-testid': 'lineage' },
    h('p', {}, h('a', { href: '#/messages', class: 'back' }, '⟵ Messages')),
    h('section', { class: 'card summary' },
      h('h1', {}, message.channelRef ?? message.id, ' ', badge(message.status), order ? [' ', badge(order.state, `order ${order.state}`)] : null),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Message'), h('dd', { class: 'mono' }, message.id),
        h('dt', {}, 'Kind'), h('dd', {}, `${message.kind} (${message.direction}) from ${message.source}`),
        h('dt', {}, 'Order'), h('dd', { class: 'mono' }, message.subjectId ?? '–'),
        order ? [h('dt', {}, 'Channel'), h('dd', {}, order.channel)] : null,
        order?.erpRef ? [h('dt', {}, 'ERP reference'), h('dd', { class: 'mono', 'data-testid': 'erp-ref' }, order.erpRef)] : null,
        h('dt', {}, 'Correlation id'), h('dd', { class: 'mono' }, h('a', { href: `#/messages?q=${encodeURIComponent(message.correlationId)}` }, message.correlationId)),
        h('dt', {}, 'Received'), h('dd', {}, time(message.receivedAt), ' ', h('span', { class: 'muted small' }, message.receivedAt)))),
    reason ? h('section', { class: ['card', 'reason', stuck ? 'reason-stuck' : null], 'data-testid': 'reason', 'aria-label': 'Reason' },
      h('h2', {}, stuck ? `Why this order is ${order.state}` : 'Last reason'),
      errorBlock(reason),
      stuck && ctx.can('dead-letters:read')
        ? h('a', { class: 'btn btn-primary', href: `#/dead-letters?order=${encodeURIComponent(order.id)}` }, 'Open in dead-letter workbench')
        : null) : null,
    h('section', { class: 'section card' }, h('h2', {}, 'Timeline'),
      h('ol', { class: 'timeline' },
        h('li', { class: 'tl-item tl-success' }, h('div', { class: 'tl-head' }, h('span', { class: 'tl-step' }, 'received (raw)'), badge('accepted', 'raw'), h('span', { class: 'spacer' }), time(message.receivedAt)),
          collapsible('As received', message.raw)),
        h('li', { class: 'tl-item tl-success' }, h('div', { class: 'tl-head' }, h('span', { class: 'tl-step' }, 'mapped (canonical)'), badge('accepted', 'canonical')),
          collapsible('Canonical', message.canonical)),
        events.length === 0 ? h('li', {}, empty('No steps recorded yet.')) : events.map(eventItem))),
    perTarget(events),
    h('section', { class: 'section card' }, h('h2', {}, 'Raw and canonical, side by side'), diffView(message.raw, message.canonical)));
}
