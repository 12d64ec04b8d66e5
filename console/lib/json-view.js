import { h } from './dom.js';

// Formatted JSON with collapsible objects and arrays (<details>, so keyboard and screen readers
// work without script). Values are text nodes: payloads are attacker-controlled.

const OPEN_DEPTH = 2;

function scalar(value) {
  if (value === null) return h('span', { class: 'j-null' }, 'null');
  if (typeof value === 'string') return h('span', { class: 'j-str' }, JSON.stringify(value));
  if (typeof value === 'number') return h('span', { class: 'j-num' }, String(value));
  if (typeof value === 'boolean') return h('span', { class: 'j-bool' }, String(value));
  return h('span', {}, String(value));
}

function node(value, key, depth) {
  const label = key === undefined ? null : h('span', { class: 'j-key' }, `${JSON.stringify(String(key))}: `);
  if (value === null || typeof value !== 'object') return h('div', { class: 'j-line' }, label, scalar(value));
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return h('div', { class: 'j-line' }, label, `${open}${close}`);
  const size = isArray ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
  return h('details', { class: 'j-node', open: depth < OPEN_DEPTH },
    h('summary', {}, label, open, h('span', { class: 'j-size' }, ` ${size} `), close),
    h('div', { class: 'j-children' }, entries.map(([k, v]) => node(v, isArray ? undefined : k, depth + 1))));
}

/** A JSON value as a collapsible tree; a string that is not JSON is shown as preformatted text. */
export function jsonView(value) {
  if (typeof value === 'string') {
    try {
      return jsonView(JSON.parse(value));
    } catch {
      return h('pre', { class: 'raw-text' }, value);
    }
  }
  if (value === undefined) return h('span', { class: 'muted' }, '(none)');
  return h('div', { class: 'json' }, node(value, undefined, 0));
}
