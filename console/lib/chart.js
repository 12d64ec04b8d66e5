import uPlot from '../vendor/uPlot.esm.js';
import { h } from './dom.js';

// Time-series charts (uPlot): one chart per measure, one line per channel, target, queue or
// warehouse, with uPlot's legend showing each line's value under the cursor.

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#f97316', '#64748b'];

/** Lines that share one time axis: [[xs (s)], [ys of line 1], …]; missing points are null (gaps). */
export function alignSeries(lines) {
  const xs = [...new Set(lines.flatMap((l) => l.points.map(([t]) => t)))].sort((a, b) => a - b);
  const position = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((l) => {
    const column = new Array(xs.length).fill(null);
    for (const [t, v] of l.points) column[position.get(t)] = v;
    return column;
  });
  return [xs.map((x) => x / 1000), ...ys];
}

/**
 * Points to mark: those with no neighbour to draw a line to. A process that has just started, or
 * a channel that had traffic in one step only, would otherwise show an empty chart.
 */
export function isolatedPoints(values) {
  const out = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) continue;
    const before = i > 0 ? values[i - 1] : null;
    const after = i < values.length - 1 ? values[i + 1] : null;
    if ((before === null || before === undefined) && (after === null || after === undefined)) out.push(i);
  }
  return out;
}

function formatValue(unit) {
  return (_u, value) => (value === null || value === undefined ? '–' : `${Number(value.toFixed(value < 10 ? 2 : 0))}${unit ? ` ${unit}` : ''}`);
}

/**
 * A chart card. `lines`: [{ label, points: [[epochMs, value|null]] }]. Returns the card and a
 * `dispose()` that stops the resize observer and destroys the plot.
 */
export function timeSeriesChart({ title, unit, lines }) {
  const body = h('div', { class: 'chart-body' });
  const card = h('figure', { class: 'card chart' }, h('figcaption', {}, title, unit ? h('span', { class: 'muted' }, ` (${unit})`) : null), body);
  const hasData = lines.some((l) => l.points.some(([, v]) => v !== null));
  if (!hasData) {
    body.appendChild(h('p', { class: 'empty' }, 'No data in this window.'));
    // Redrawn whole when data arrives.
    return { card, update: () => false, dispose() {} };
  }
  let plot;
  const observer = new ResizeObserver(() => {
    const width = Math.max(240, Math.floor(body.clientWidth));
    if (!plot) {
      plot = new uPlot({
        width, height: 180,
        scales: { x: { time: true } },
        series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false, value: formatValue(unit),
          points: { show: true, size: 5, filter: (u, seriesIdx) => isolatedPoints(u.data[seriesIdx]) } }))],
        axes: [{ stroke: '#9aa4b2', grid: { stroke: '#2a3140' } }, { stroke: '#9aa4b2', grid: { stroke: '#2a3140' }, size: 56 }],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      }, alignSeries(lines), body);
    } else if (plot.width !== width) plot.setSize({ width, height: 180 });
  });
  observer.observe(body);
  return {
    card,
    /** New points for the same lines; false when the chart must be rebuilt instead. */
    update(next) {
      if (!plot || next.length !== lines.length) return false;
      plot.setData(alignSeries(next));
      return true;
    },
    dispose() {
      observer.disconnect();
      plot?.destroy();
    },
  };
}
