import { timeSeriesChart } from '../lib/chart.js';
import { badge, empty, h, problemBox, replace, time } from '../lib/dom.js';

// The flows at a glance: service levels, circuits, and per channel / target / queue / warehouse
// time series over the last hour, refreshed every 10 seconds.

const REFRESH_MS = 10_000;
const GROUPS = [
  { group: 'channel', title: 'Channels' },
  { group: 'target', title: 'Targets' },
  { group: 'queue', title: 'Queues' },
  { group: 'warehouse', title: 'Warehouses' },
];
const WINDOWS = [15, 60, 180, 360];
const UNITS = { per_minute: '/min', seconds: 's', count: '', ratio: '', state: '' };

async function optional(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

function percent(value) {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(value >= 0.999 ? 2 : 1)} %`;
}

function sloTiles(slo) {
  if (slo.error) return problemBox(slo.error);
  const objectives = slo.value.objectives ?? [];
  if (objectives.length === 0) return empty('No service-level objectives are configured.');
  return h('div', { class: 'tiles' }, objectives.map((o) =>
    h('div', { class: ['card', 'tile', o.met === false ? 'tile-bad' : o.met ? 'tile-ok' : null], 'data-testid': 'slo' },
      h('div', { class: 'tile-label' }, o.name),
      h('div', { class: 'tile-value' }, percent(o.attainment)),
      h('div', { class: 'tile-foot' },
        o.met === null ? badge('muted', 'no traffic') : badge(o.met ? 'met' : 'missed', o.met ? 'met' : 'missed'),
        ` target ${percent(o.target)}`, o.withinSeconds ? ` within ${o.withinSeconds} s` : '',
        ` · ${o.good}/${o.total} in ${o.windowMinutes} min`,
        o.overdue > 0 ? h('span', { class: 'overdue' }, ` · ${o.overdue} overdue`) : ''))));
}

/** Circuits from the connectors' health, or from the dashboard's latest sample. */
function circuitTable(connectors, dashboard) {
  const list = connectors.value?.connectors
    ?? dashboard.value?.current?.circuits.map((c) => ({ target: c.target, circuit: c.state }));
  if (!list) return problemBox(connectors.error ?? dashboard.error);
  if (list.length === 0) return empty('No connectors.');
  return h('table', { class: 'table compact' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col' }, 'Circuit'), h('th', { scope: 'col' }, 'In flight'), h('th', { scope: 'col' }, 'Calls ok / failed'))),
    h('tbody', {}, list.map((c) => h('tr', {},
      h('td', {}, h('a', { href: '#/connectors' }, c.target)),
      h('td', {}, badge(c.circuit), c.paused ? [' ', badge('paused')] : null),
      h('td', { class: 'num' }, c.inFlight !== undefined ? `${c.inFlight}/${c.concurrency}` : '–'),
      h('td', { class: 'num' }, c.calls ? `${c.calls.ok} / ${c.calls.failed}` : '–')))));
}

function queueTable(dashboard) {
  if (dashboard.error) return problemBox(dashboard.error);
  const queues = dashboard.value.current?.queues;
  if (!queues) return empty('No queue data.');
  if (queues.length === 0) return empty('No queues have work.');
  return h('table', { class: 'table compact' },
    h('thead', {}, h('tr', {}, ['Queue', 'Queued', 'Running', 'Dead', 'Oldest waiting'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, queues.map((q) => h('tr', {},
      h('td', {}, q.queue), h('td', { class: 'num' }, String(q.queued)), h('td', { class: 'num' }, String(q.running)),
      h('td', { class: 'num' }, q.dead > 0 ? h('a', { href: '#/dead-letters' }, String(q.dead)) : '0'),
      h('td', { class: 'num' }, q.oldestAgeSeconds > 0 ? `${Math.round(q.oldestAgeSeconds)} s` : '–')))));
}

/** `target.latency_p95` → `Latency p95`. */
export function seriesTitle(name) {
  const measure = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  const words = measure.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** (group, measure) → its lines, in the order the groups are listed. */
function chartSpecs(dashboard) {
  const specs = [];
  for (const { group, title } of GROUPS) {
    const byName = new Map();
    for (const s of dashboard.series.filter((x) => x.group === group)) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    for (const [name, lines] of byName) {
      specs.push({
        group, groupTitle: title, title: seriesTitle(name), unit: UNITS[lines[0].unit] ?? lines[0].unit,
        lines: lines.map((l) => ({ label: l.key, points: l.points })),
      });
    }
  }
  return specs;
}

/** Which charts and lines there are: while it stays the same, a refresh only moves the data. */
const layoutOf = (specs) => JSON.stringify(specs.map((c) => [c.group, c.title, c.lines.map((l) => l.label)]));

/** One chart per (group, measure), one line per key, grouped in sections. */
function chartSections(specs, charts) {
  if (specs.length === 0) return [empty('No traffic in this window yet.')];
  return GROUPS.map(({ group, title }) => {
    const cards = specs.map((spec, i) => [spec, charts[i]]).filter(([spec]) => spec.group === group).map(([, chart]) => chart.card);
    return cards.length === 0 ? null : h('section', { class: 'section', 'aria-label': title }, h('h2', {}, title), h('div', { class: 'chart-grid' }, cards));
  });
}

export async function dashboardView(ctx) {
  ctx.setTitle('Dashboard');
  const minutes = WINDOWS.includes(Number(ctx.query.get('minutes'))) ? Number(ctx.query.get('minutes')) : 60;
  const sloBox = h('div');
  const circuitsBox = h('div');
  const queuesBox = h('div');
  const chartsBox = h('div', { class: 'view' });
  const updated = h('span', { class: 'muted', 'aria-live': 'off' });
  let charts = [];
  let layout = '';
  let stopped = false;

  async function refresh() {
    const [dashboard, slo, connectors] = await Promise.all([
      optional(ctx.api.get(`/v1/dashboard?minutes=${minutes}`)),
      optional(ctx.api.get('/v1/slo')),
      optional(ctx.api.get('/v1/connectors')),
    ]);
    if (stopped) return;
    replace(sloBox, sloTiles(slo));
    replace(circuitsBox, circuitTable(connectors, dashboard));
    replace(queuesBox, queueTable(dashboard));
    if (dashboard.error) {
      for (const chart of charts) chart.dispose();
      charts = [];
      layout = '';
      replace(chartsBox);
    } else {
      const specs = chartSpecs(dashboard.value);
      if (layoutOf(specs) === layout && charts.every((chart, i) => chart.update(specs[i].lines))) {
        // Same charts, new points: drawn in place, no flicker, the cursor stays where it was.
      } else {
        for (const chart of charts) chart.dispose();
        charts = specs.map((spec) => timeSeriesChart(spec));
        layout = layoutOf(specs);
        replace(chartsBox, chartSections(specs, charts));
      }
    }
    replace(updated, 'updated ', time(Date.now()));
  }

  await refresh();
  const timer = setInterval(() => {
    refresh().catch(() => { /* the next tick tries again; the last good picture stays */ });
  }, REFRESH_MS);
  ctx.onCleanup(() => {
    stopped = true;
    clearInterval(timer);
    for (const chart of charts) chart.dispose();
  });

  const picker = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time window' },
    WINDOWS.map((m) => h('a', { href: `#/dashboard?minutes=${m}`, class: ['seg', m === minutes ? 'seg-on' : null], 'aria-current': m === minutes ? 'true' : null },
      m < 60 ? `${m} min` : `${m / 60} h`)));
  return h('div', { class: 'view', 'data-testid': 'dashboard' },
    h('div', { class: 'toolbar' }, picker, h('span', { class: 'spacer' }), updated, ' · refreshes every 10 s'),
    h('section', { class: 'section', 'aria-label': 'Service levels' }, h('h2', {}, 'Service levels'), sloBox),
    h('div', { class: 'two-col' },
      h('section', { class: 'section card', 'aria-label': 'Circuits' }, h('h2', {}, 'Circuits'), circuitsBox),
      h('section', { class: 'section card', 'aria-label': 'Queue depths' }, h('h2', {}, 'Queue depths'), queuesBox)),
    chartsBox);
}
