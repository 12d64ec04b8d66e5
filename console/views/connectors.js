import { announce, badge, empty, field, h, replace, time } from '../lib/dom.js';

// Connector health: each target's circuit, concurrency, rate budget and recent errors, with
// pause and resume for operators (a paused target keeps its work queued, nothing is lost).

const REFRESH_MS = 10_000;

function pauseForm(ctx, connector, onDone) {
  const reason = h('input', { name: 'reason', placeholder: 'e.g. ERP maintenance until 14:00' });
  async function submit(event) {
    event.preventDefault();
    try {
      await ctx.api.post(`/v1/connectors/${encodeURIComponent(connector.target)}/pause`, reason.value.trim() ? { reason: reason.value.trim() } : {}, { expectedScope: 'connectors:write' });
      announce(`Paused ${connector.target}`, 'ok');
      onDone();
    } catch (error) {
      announce(error.detail || error.message, 'error');
    }
  }
  return h('form', { class: 'inline-form', on: { submit } }, field(`Reason for pausing ${connector.target}`, reason), h('button', { type: 'submit', class: 'btn btn-danger' }, 'Pause'));
}

function card(ctx, c, refresh) {
  const canAct = ctx.can('connectors:write');
  async function resume() {
    try {
      await ctx.api.post(`/v1/connectors/${encodeURIComponent(c.target)}/resume`, {}, { expectedScope: 'connectors:write' });
      announce(`Resumed ${c.target}`, 'ok');
      refresh();
    } catch (error) {
      announce(error.detail || error.message, 'error');
    }
  }
  return h('section', { class: 'card connector', 'aria-label': c.target, 'data-testid': 'connector' },
    h('div', { class: 'group-head' }, h('h2', {}, c.target, ' ', h('span', { class: 'muted small' }, c.kind)), h('span', {}, badge(c.circuit, `circuit ${c.circuit}`), c.paused ? [' ', badge('paused')] : null)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'In flight'), h('dd', {}, `${c.inFlight} of ${c.concurrency}`),
      h('dt', {}, 'Rate'), h('dd', {}, c.ratePerSecond ? `${c.ratePerSecond}/s` : 'unlimited', c.rateBudgetRemaining !== undefined && c.rateBudgetRemaining !== null ? ` · ${c.rateBudgetRemaining} left in budget` : ''),
      h('dt', {}, 'Calls'), h('dd', {}, `${c.calls?.ok ?? 0} ok · ${c.calls?.failed ?? 0} failed`),
      c.paused ? [h('dt', {}, 'Paused'), h('dd', {}, 'by ', c.paused.by, ' ', time(c.paused.at), c.paused.reason ? ` — ${c.paused.reason}` : '')] : null),
    h('h3', {}, 'Recent errors'),
    (c.recentErrors ?? []).length === 0 ? empty('None.') : h('ul', { class: 'errors' }, c.recentErrors.map((e) => h('li', {}, time(e.at), ' ', h('code', {}, e.code), ' ', e.message))),
    canAct ? (c.paused ? h('button', { type: 'button', class: 'btn btn-primary', on: { click: resume } }, `Resume ${c.target}`) : pauseForm(ctx, c, refresh)) : null);
}

export async function connectorsView(ctx) {
  ctx.setTitle('Connectors');
  const body = h('div', { class: 'connector-grid' });
  let stopped = false;
  async function refresh() {
    const { connectors } = await ctx.api.get('/v1/connectors');
    if (stopped) return;
    replace(body, connectors.length === 0 ? empty('No connectors are configured.') : connectors.map((c) => card(ctx, c, () => refresh().catch(() => {}))));
  }
  await refresh();
  // Refresh only while no one is typing a pause reason, so the form is not wiped under them.
  const timer = setInterval(() => {
    if (body.contains(document.activeElement)) return;
    refresh().catch(() => {});
  }, REFRESH_MS);
  ctx.onCleanup(() => { stopped = true; clearInterval(timer); });
  return h('div', { class: 'view' }, body);
}
