import { field, h } from '../lib/dom.js';

/** The sign-in form: user name and password, with throttling shown as a wait, not an error. */
export function loginView({ api, message, onSignedIn }) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' }, message ?? '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');

  async function signIn(event) {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = 'Signing in…';
    status.className = 'form-status';
    try {
      const session = await api.post('/v1/session', { username: username.value, password: password.value });
      onSignedIn(session);
    } catch (error) {
      status.className = 'form-status form-error';
      if (error.status === 401) status.textContent = 'Wrong user name or password.';
      else if (error.status === 429) {
        const wait = Number(error.retryAfter);
        status.textContent = `Too many attempts. Try again in ${Number.isFinite(wait) && wait > 0 ? `${wait} seconds` : 'a little while'}.`;
      } else status.textContent = error.detail || error.message;
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  }

  return h('div', { class: 'login' },
    h('form', { class: 'login-card', on: { submit: signIn }, 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '⇄'), ' crossdock console'),
      field('User name', username),
      field('Password', password),
      submit,
      status));
}
