import { createApi } from './lib/api.js';
import { announce, h, problemBox, replace } from './lib/dom.js';
import { loginView } from './views/login.js';
import { dashboardView } from './views/dashboard.js';
import { messagesView } from './views/messages.js';
import { lineageView } from './views/lineage.js';
import { deadLettersView } from './views/dead-letters.js';
import { connectorsView } from './views/connectors.js';
import { auditView } from './views/audit.js';

// The console's shell: who is signed in, the navigation, and hash routes (#/messages?q=PO-1)
// so that every view can be linked to and reloaded.

/** Views by the first path segment; `scope` hides the entry from users who may not read it. */
const ROUTES = [
  { path: 'dashboard', label: 'Dashboard', scope: 'metrics:read', view: dashboardView },
  { path: 'messages', label: 'Messages', scope: 'messages:read', view: messagesView, detail: lineageView },
  { path: 'dead-letters', label: 'Dead letters', scope: 'dead-letters:read', view: deadLettersView },
  { path: 'connectors', label: 'Connectors', scope: 'connectors:read', view: connectorsView },
  { path: 'audit', label: 'Audit log', scope: 'admin', view: auditView },
];

/** Before access control is configured, a loopback caller is the local administrator. */
const LOCAL_ADMIN = { username: 'local', role: 'admin', scopes: ['admin'], csrfToken: null, mode: 'local' };

const root = document.getElementById('app');
let session = null;
let cleanup = null;
const api = createApi({ onUnauthorized: () => showLogin('Your session has ended; sign in again.') });

function can(scope) {
  return Boolean(session && (session.scopes.includes('admin') || session.scopes.includes(scope)));
}

/** `#/messages/msg_1?q=PO` → { segments: ['messages', 'msg_1'], query: URLSearchParams }. */
export function parseHash(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, search = ''] = text.split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

function navigate(path, params) {
  const search = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  const next = `#/${path}${search ? `?${search}` : ''}`;
  if (location.hash === next) render();
  else location.hash = next;
}

async function loadSession() {
  try {
    return await api.get('/v1/session');
  } catch (error) {
    if (error.status === 401) return null;
    // A crossdock without access control has no session route: it is run locally.
    if (error.status === 404) return LOCAL_ADMIN;
    throw error;
  }
}

function showLogin(message) {
  session = null;
  cleanup?.();
  cleanup = null;
  root.setAttribute('aria-busy', 'false');
  replace(root, loginView({
    api, message,
    onSignedIn: (next) => {
      startSession(next);
      announce(`Signed in as ${next.username}`);
    },
  }));
}

function startSession(next) {
  session = { ...next, scopes: next.scopes ?? [] };
  api.setCsrfToken(session.csrfToken);
  renderShell();
  render();
}

async function signOut() {
  try {
    await api.del('/v1/session');
  } catch (error) {
    announce(error.detail || error.message, 'error');
  }
  location.hash = '#/dashboard';
  showLogin('Signed out.');
}

let main;
let nav;

function renderShell() {
  main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  nav = h('nav', { class: 'nav', 'aria-label': 'Console' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '⇄'), ' crossdock'),
    h('ul', {}, ROUTES.filter((r) => can(r.scope)).map((r) =>
      h('li', {}, h('a', { href: `#/${r.path}`, dataset: { route: r.path } }, r.label)))));
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'title', id: 'view-title' }, ''),
    h('div', { class: 'who' },
      h('span', { class: 'user', 'data-testid': 'user' }, session.username),
      h('span', { class: ['badge', 'badge-role'], 'data-testid': 'role' }, session.role),
      session.mode === 'local' ? h('span', { class: 'muted', title: 'Access control is not required: loopback callers are the local administrator' }, 'local mode') : null,
      session.mode === 'session' ? h('button', { type: 'button', class: 'btn btn-quiet', on: { click: signOut } }, 'Sign out') : null));
  replace(root, nav, h('div', { class: 'content' }, header, main), h('div', { id: 'toasts', class: 'toasts' }));
  root.setAttribute('aria-busy', 'false');
}

let renders = 0;

async function render() {
  if (!session) return;
  const generation = ++renders;
  const { segments, query } = parseHash(location.hash);
  const route = ROUTES.find((r) => r.path === segments[0]) ?? ROUTES.find((r) => can(r.scope));
  if (!route) {
    replace(main, problemBox({ title: 'Nothing to show', detail: 'Your role grants no console view.' }));
    return;
  }
  cleanup?.();
  cleanup = null;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    if (link.dataset.route === route.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = segments[1] && route.detail ? route.detail : route.view;
  const title = document.getElementById('view-title');
  const ctx = {
    api, can, navigate, query, id: segments[1], session,
    setTitle: (text) => {
      title.textContent = text;
      document.title = `${text} · crossdock`;
    },
    onCleanup: (fn) => {
      const previous = cleanup;
      cleanup = () => { previous?.(); fn(); };
    },
  };
  ctx.setTitle(route.label);
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const el = await view(ctx);
    // A newer navigation won while this view was loading: it owns the page now.
    if (generation === renders) replace(main, el);
  } catch (error) {
    if (generation === renders) replace(main, problemBox(error));
  }
}

document.getElementById('skip-link')?.addEventListener('click', () => main?.focus());
window.addEventListener('hashchange', render);
// `/` jumps to the first search box of the view, as in most consoles.
window.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) return;
  const search = main?.querySelector('input[type="search"]');
  if (search) {
    event.preventDefault();
    search.focus();
  }
});

loadSession().then((found) => (found ? startSession(found) : showLogin()), (error) => {
  root.setAttribute('aria-busy', 'false');
  replace(root, problemBox(error));
});
