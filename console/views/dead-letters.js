import { query } from '../lib/api.js';
import { announce, badge, empty, field, h, problemBox, replace, time } from '../lib/dom.js';
import { crossReferencesSection } from './cross-references.js';

// The dead-letter workbench: what is stuck, grouped by a reason a person can read, with what to
// do; fix the cross-reference that caused it, replay one letter or a whole group, and watch the
// orders go through (or fail again). Discarding asks for a reason, which the audit log keeps.

/** Codes whose fix is a cross-reference, and where the unknown keys are in the error. */
const MAPPING_FIXES = {
  'sku.unknown': { kind: 'sku', keys: (error) => error.context?.skus ?? skusFromPointers(error) },
  'customer.unknown': { kind: 'customer', keys: (error) => (error.context?.accountId ? [error.context.accountId] : []) },
};

function skusFromPointers(error) {
  return [...new Set((error.errors ?? []).map((e) => /^(\S+) is not/.exec(e.detail)?.[1]).filter(Boolean))];
}

/** States in which an order is still being processed; any other state is an outcome. */
const IN_PROGRESS = new Set(['received', 'validated']);
const POLL_MS = 1_000;
const POLL_LIMIT_MS = 120_000;

/** Groups from the API, or — from a crossdock without grouping — one group per error code. */
async function loadGroups(api) {
  try {
    return (await api.get('/v1/dead-letters/groups')).groups;
  } catch (error) {
    if (error.status !== 404) throw error;
    const { items } = await api.get('/v1/dead-letters?limit=500');
    const byCode = new Map();
    for (const d of items) {
      const g = byCode.get(d.error.code) ?? { code: d.error.code, title: d.error.code, action: d.action, count: 0, codes: [d.error.code], oldestAt: d.deadAt, newestAt: d.deadAt };
      g.count += 1;
      if (d.deadAt < g.oldestAt) g.oldestAt = d.deadAt;
      if (d.deadAt > g.newestAt) g.newestAt = d.deadAt;
      byCode.set(d.error.code, g);
    }
    return [...byCode.values()];
  }
}

/** Fills in the channel and order number of letters from a crossdock that does not list them. */
async function withOrders(ctx, letters) {
  return Promise.all(letters.map(async (d) => {
    if ((d.channel && d.channelOrderId) || !d.orderId || !ctx.can('orders:read')) return d;
    try {
      const order = await ctx.api.get(`/v1/orders/${encodeURIComponent(d.orderId)}`);
      return { ...d, channel: order.channel, channelOrderId: order.channelOrderId };
    } catch {
      return d;
    }
  }));
}

/** Follows replayed orders until each reaches an outcome, showing each state as it changes. */
function replayTracker(ctx) {
  const list = h('ul', { class: 'tracker-list' });
  const panel = h('section', { class: 'card tracker', 'aria-label': 'Replays', 'data-testid': 'replay-tracker', hidden: true },
    h('h2', {}, 'Replays'), h('div', { role: 'status', 'aria-live': 'polite' }, list));
  const timers = new Set();
  ctx.onCleanup(() => { for (const t of timers) clearTimeout(t); });

  function track(letter) {
    panel.hidden = false;
    const state = h('span', {}, badge('queued'));
    const detail = h('span', { class: 'muted' });
    list.prepend(h('li', { dataset: { order: letter.orderId ?? '' } },
      h('span', { class: 'mono' }, letter.channelOrderId ?? letter.orderId ?? letter.id), ' ', state, ' ', detail));
    if (!letter.orderId) return;
    const started = Date.now();
    const poll = async () => {
      timers.delete(timer);
      try {
        const order = await ctx.api.get(`/v1/orders/${encodeURIComponent(letter.orderId)}`);
        replace(state, badge(order.state));
        if (!IN_PROGRESS.has(order.state)) {
          replace(detail, order.state === 'posted' ? `posted as ${order.erpRef ?? '?'}` : order.reason ? `${order.reason.code}: ${order.reason.message}` : '');
          announce(`Order ${letter.channelOrderId ?? letter.orderId} is ${order.state}`, order.state === 'posted' ? 'ok' : 'error');
          return;
        }
      } catch (error) {
        replace(detail, error.detail || error.message);
      }
      if (Date.now() - started < POLL_LIMIT_MS) schedule();
      else replace(detail, 'still processing; check the order later');
    };
    let timer;
    const schedule = () => { timer = setTimeout(poll, POLL_MS); timers.add(timer); };
    schedule();
  }
  return { panel, track };
}

/** The discard dialog: a reason is required, and it is kept in the audit log. */
function discardDialog(ctx, onDone) {
  const reason = h('textarea', { name: 'reason', required: true, rows: 3, minlength: 3 });
  const status = h('p', { class: 'form-status', role: 'status' });
  let letter;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'discard-title' });
  const form = h('form', {
    method: 'dialog',
    on: {
      submit: async (event) => {
        event.preventDefault();
        try {
          await ctx.api.post(`/v1/dead-letters/${encodeURIComponent(letter.id)}/discard`, { reason: reason.value.trim() }, { expectedScope: 'dead-letters:write' });
          dialog.close();
          announce(`Discarded ${letter.channelOrderId ?? letter.id}`, 'ok');
          onDone();
        } catch (error) {
          status.textContent = error.detail || error.message;
        }
      },
    },
  },
  h('h2', { id: 'discard-title' }, 'Discard dead letter'),
  h('p', { class: 'muted' }, 'The letter will not be replayed. Say why, for the audit log.'),
  field('Reason', reason),
  status,
  h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', on: { click: () => dialog.close() } }, 'Cancel'),
    h('button', { type: 'submit', class: 'btn btn-danger' }, 'Discard')));
  dialog.appendChild(form);
  return {
    dialog,
    open(target) {
      letter = target;
      reason.value = '';
      status.textContent = '';
      dialog.showModal();
      reason.focus();
    },
  };
}

/** The cross-reference form for an unknown SKU or customer, prefilled from the letter. */
function mappingForm(ctx, letter, { onSaved }) {
  const fix = MAPPING_FIXES[letter.error.code];
  const keys = fix.keys(letter.error);
  const channel = h('input', { name: 'channel', value: letter.channel ?? '', required: true });
  const rows = (keys.length > 0 ? keys : ['']).map((key) => {
    const keyInput = h('input', { name: 'key', value: key, required: true, class: 'mono' });
    if (fix.kind === 'sku') {
      const sku = h('input', { name: 'sku', required: true, class: 'mono', placeholder: 'ERP item number' });
      const uom = h('input', { name: 'uom', placeholder: 'optional', size: 4 });
      const factor = h('input', { name: 'factor', type: 'number', min: '1', step: '1', placeholder: 'optional' });
      return {
        key: keyInput,
        value: () => ({ sku: sku.value.trim(), ...(uom.value.trim() ? { uom: uom.value.trim().toUpperCase() } : {}), ...(factor.value ? { factor: Number(factor.value) } : {}) }),
        el: h('div', { class: 'form-row' }, field('Channel SKU', keyInput), field('ERP SKU', sku), field('Unit', uom), field('Factor', factor, 'ERP units in one channel unit')),
      };
    }
    const account = h('input', { name: 'account', required: true, class: 'mono', placeholder: 'ERP account' });
    return {
      key: keyInput,
      value: () => ({ account: account.value.trim() }),
      el: h('div', { class: 'form-row' }, field('Channel customer', keyInput), field('ERP account', account)),
    };
  });
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save mapping');

  async function submit(event) {
    event.preventDefault();
    save.disabled = true;
    try {
      for (const row of rows) {
        const path = `/v1/cross-references/${encodeURIComponent(channel.value.trim())}/${fix.kind}/${encodeURIComponent(row.key.value.trim())}`;
        await ctx.api.put(path, row.value(), { expectedScope: 'mappings:write' });
      }
      status.className = 'form-status form-ok';
      status.textContent = `Mapping saved for ${rows.map((r) => r.key.value.trim()).join(', ')}. Replay the order to use it.`;
      announce('Mapping saved', 'ok');
      onSaved();
    } catch (error) {
      status.className = 'form-status form-error';
      status.textContent = error.detail || error.message;
    } finally {
      save.disabled = false;
    }
  }

  return h('form', { class: 'card fix-form', 'aria-label': `Fix ${fix.kind} mapping`, 'data-testid': 'fix-form', on: { submit } },
    h('h3', {}, fix.kind === 'sku' ? 'Map the unknown SKU' : 'Map the unknown customer'),
    h('p', { class: 'muted' }, letter.reason),
    field('Channel', channel),
    rows.map((r) => r.el),
    h('div', { class: 'actions' }, save),
    status);
}

function groupCards(groups, selected) {
  if (groups.length === 0) return empty('Nothing is waiting for a person. 🎉');
  return h('div', { class: 'group-grid' }, groups.map((g) => {
    const params = g.class ? { class: g.class } : { code: g.code };
    const isOn = (g.class && selected.class === g.class) || (!g.class && selected.code === g.code);
    return h('a', { class: ['card', 'group-card', isOn ? 'group-on' : null], href: `#/dead-letters${query(params)}`, 'aria-current': isOn ? 'true' : null, 'data-testid': 'dl-group' },
      h('div', { class: 'group-head' }, h('span', { class: 'group-title' }, g.title), h('span', { class: 'group-count' }, String(g.count))),
      h('div', { class: 'muted small' }, 'oldest ', time(g.oldestAt), g.codes?.length ? ` · ${g.codes.join(', ')}` : ''),
      h('div', { class: 'group-action' }, g.action));
  }));
}

export async function deadLettersView(ctx) {
  ctx.setTitle('Dead letters');
  const selected = { class: ctx.query.get('class') ?? '', code: ctx.query.get('code') ?? '', order: ctx.query.get('order') ?? '' };
  const tracker = replayTracker(ctx);
  const groupsBox = h('div');
  const listBox = h('div');
  const fixBox = h('div');
  let letters = [];
  const discard = discardDialog(ctx, () => refresh());
  const canReplay = ctx.can('dead-letters:write');
  const canMap = ctx.can('mappings:write');
  const references = ctx.can('mappings:read') ? crossReferencesSection(ctx) : null;

  async function replayOne(letter) {
    try {
      await ctx.api.post(`/v1/dead-letters/${encodeURIComponent(letter.id)}/replay`, {}, { expectedScope: 'dead-letters:write' });
      announce(`Replaying ${letter.channelOrderId ?? letter.id}`);
      tracker.track(letter);
      replace(fixBox);
      await refresh();
    } catch (error) {
      announce(error.detail || error.message, 'error');
    }
  }

  async function replayGroup() {
    const body = selected.class ? { class: selected.class } : selected.code ? { code: selected.code } : { ids: letters.map((d) => d.id).slice(0, 100) };
    try {
      // The server replays a bounded batch per call and says how many are left: keep asking
      // while a call still moves some (letters it skips stay dead and would be counted again).
      let replayed = 0;
      let skipped = 0;
      for (let batch = 0; batch < 50; batch++) {
        const result = await ctx.api.post('/v1/dead-letters/replay', body, { expectedScope: 'dead-letters:write' });
        const ids = new Set(result.ids ?? []);
        for (const letter of letters) if (ids.has(letter.id)) tracker.track(letter);
        replayed += result.replayed ?? ids.size;
        skipped += result.skipped?.length ?? 0;
        if (!result.remaining || !result.replayed || 'ids' in body) break;
      }
      announce(`Replaying ${replayed} letter(s)${skipped ? `, ${skipped} skipped` : ''}`);
      await refresh();
    } catch (error) {
      announce(error.detail || error.message, 'error');
    }
  }

  function showFix(letter) {
    replace(fixBox, mappingForm(ctx, letter, {
      onSaved: () => {
        references?.reload();
        const form = fixBox.querySelector('form');
        if (canReplay && form && !form.querySelector('[data-action="replay-after-fix"]')) {
          form.querySelector('.actions').append(
            h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'replay-after-fix' }, on: { click: () => replayOne(letter) } }, `Replay ${letter.channelOrderId ?? 'order'}`),
            selected.class || selected.code ? h('button', { type: 'button', class: 'btn', on: { click: replayGroup } }, 'Replay group') : null);
        }
      },
    }));
    fixBox.querySelector('input:not([value=""])')?.focus();
    fixBox.querySelector('input[name="sku"], input[name="account"]')?.focus();
  }

  function row(d) {
    const fixable = MAPPING_FIXES[d.error.code] && canMap;
    return h('tr', { dataset: { id: d.id, order: d.orderId ?? '' } },
      h('td', {}, d.orderId ? h('a', { href: `#/messages${query({ q: d.orderId })}` }, d.channelOrderId ?? d.orderId) : h('span', { class: 'mono' }, d.id)),
      h('td', {}, d.channel ?? '–'),
      h('td', {}, h('div', {}, d.title ?? d.error.code), h('div', { class: 'small', 'data-testid': 'dl-reason' }, d.reason)),
      h('td', { class: 'small' }, d.action),
      h('td', {}, time(d.deadAt)),
      h('td', { class: 'num' }, String(d.attempts)),
      h('td', {}, h('div', { class: 'row-actions' },
        fixable ? h('button', { type: 'button', class: 'btn', on: { click: () => showFix(d) } }, 'Fix mapping') : null,
        canReplay ? h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => replayOne(d) } }, 'Replay') : null,
        canReplay ? h('button', { type: 'button', class: 'btn btn-quiet', on: { click: () => discard.open(d) } }, 'Discard') : null)));
  }

  async function refresh() {
    const filter = selected.class ? { class: selected.class } : selected.code ? { code: selected.code } : {};
    const [groups, page] = await Promise.all([
      loadGroups(ctx.api),
      ctx.api.get(`/v1/dead-letters${query({ ...filter, limit: 500 })}`),
    ]);
    letters = await withOrders(ctx, selected.order ? page.items.filter((d) => d.orderId === selected.order) : page.items);
    replace(groupsBox, groupCards(groups, selected));
    const heading = selected.order ? `Order ${letters[0]?.channelOrderId ?? selected.order}`
      : selected.class || selected.code ? groups.find((g) => (g.class ?? g.code) === (selected.class || selected.code))?.title ?? (selected.class || selected.code)
        : 'All dead letters';
    replace(listBox,
      h('div', { class: 'toolbar' }, h('h2', {}, heading), h('span', { class: 'spacer' }),
        (selected.class || selected.code) && canReplay && letters.length > 0 ? h('button', { type: 'button', class: 'btn', on: { click: replayGroup } }, `Replay group (${letters.length})`) : null,
        selected.class || selected.code || selected.order ? h('a', { class: 'btn btn-quiet', href: '#/dead-letters' }, 'Show all') : null),
      letters.length === 0 ? empty(selected.order ? 'This order has no dead letter (it may have been replayed).' : 'No dead letters here.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'dead-letters' },
          h('thead', {}, h('tr', {}, ['Order number', 'Channel', 'Reason', 'Suggested action', 'Dead since', 'Attempts', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, letters.map(row)))));
  }

  try {
    await refresh();
  } catch (error) {
    replace(listBox, problemBox(error));
  }
  // Arriving from an order's page: open the fix at once when the cause is a missing mapping.
  if (selected.order && letters.length === 1 && MAPPING_FIXES[letters[0].error.code] && canMap) showFix(letters[0]);
  return h('div', { class: 'view', 'data-testid': 'workbench' }, groupsBox, tracker.panel, fixBox, listBox, references?.section, discard.dialog);
}
