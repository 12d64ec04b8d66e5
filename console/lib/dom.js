// Building the page without innerHTML: every piece of data reaches the DOM as a text node, so a
// payload written by a channel or a partner can never become markup or script.

/**
 * Creates an element. `attrs`: `class`, `dataset` (object), `on` (event → listener), boolean
 * attributes as true/false, anything else as an attribute. Children: nodes, strings (as text),
 * numbers, or null/undefined/false (skipped); arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'on') for (const [event, listener] of Object.entries(value)) el.addEventListener(event, listener);
    else if (name === 'value' && 'value' in el) el.value = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Says something to screen-reader users (and shows it in the toast area). */
export function announce(message, tone = 'info') {
  const live = document.getElementById('announcer');
  if (live) live.textContent = message;
  const toasts = document.getElementById('toasts');
  if (!toasts) return;
  const toast = h('div', { class: ['toast', `toast-${tone}`] }, message);
  toasts.appendChild(toast);
  setTimeout(() => toast.remove(), tone === 'error' ? 10_000 : 5_000);
}

/** A coloured badge for a state: `posted`, `held`, `open`… (the class comes from a fixed list). */
const TONES = {
  delivered: 'ok', posted: 'ok', closed: 'ok', ok: 'ok', met: 'ok', success: 'ok', accepted: 'info', processing: 'info',
  queued: 'info', replayed: 'info', 'half-open': 'warn', held: 'warn', paused: 'warn', retry: 'warn',
  failed: 'bad', rejected: 'bad', open: 'bad', error: 'bad', missed: 'bad', dead: 'bad', discarded: 'muted',
};
export function badge(state, label = state) {
  const tone = TONES[String(state)] ?? 'muted';
  return h('span', { class: ['badge', `badge-${tone}`] }, label ?? '—');
}

/** A time shown relative ("3 min ago") with the exact instant as its tooltip and datetime. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const at = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  if (Number.isNaN(at.getTime())) return h('span', {}, String(iso));
  return h('time', { datetime: at.toISOString(), title: at.toISOString() }, relative(at.getTime()));
}

export function relative(ms, now = Date.now()) {
  const seconds = Math.round((now - ms) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 45 ? `${s} s` : s < 90 * 60 ? `${Math.round(s / 60)} min` : s < 36 * 3600 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

/** The section of a view that shows a failed request instead of its data. */
export function problemBox(error) {
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, error.title ?? 'Request failed'),
    error.detail ? h('p', {}, error.detail) : null,
    error.errors?.length ? h('ul', {}, error.errors.map((e) => h('li', {}, h('code', {}, e.pointer), ' ', e.detail))) : null);
}

export function empty(message) {
  return h('p', { class: 'empty' }, message);
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', { class: 'hint' }, hint) : null);
}
