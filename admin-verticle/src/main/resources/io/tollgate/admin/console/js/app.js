// The console shell: hash routes, the login gate, and one page module at a time.
// A page module exports render(main, params) and may answer a cleanup function (timers).

import { session, whenUnauthorized, get, ApiError } from './api.js';
import { h, clear, field, input, errorBox } from './ui.js';

const PAGES = {
  overview: () => import('./pages/overview.js'),
  tenants: () => import('./pages/tenants.js'),
  models: () => import('./pages/models.js'),
  routing: () => import('./pages/routing.js'),
  usage: () => import('./pages/usage.js'),
  audit: () => import('./pages/audit.js'),
  playground: () => import('./pages/playground.js'),
  'slot-test': () => import('./pages/slottest.js'),
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');
let cleanup = null;
// While the login form checks a token, a 401 is its answer to show, not a reason to leave the page.
let checkingToken = false;

function route() {
  const [, name = '', ...rest] = location.hash.replace(/^#/, '').split('/');
  return { name, params: rest.map(decodeURIComponent) };
}

async function show() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const { name, params } = route();
  const signedIn = !!session.token();
  nav.hidden = !signedIn;
  signOut.hidden = !signedIn;
  if (!signedIn || name === 'login') {
    renderLogin();
    return;
  }
  const load = PAGES[name];
  if (!load) {
    location.replace('#/overview');
    return;
  }
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  clear(main, h('p.muted', { role: 'status' }, 'Loading…'));
  try {
    const page = await load();
    if (route().name !== name) return; // the operator moved on while the module loaded
    clear(main);
    cleanup = (await page.render(main, params)) || null;
  } catch (e) {
    clear(main, errorBox(e));
  }
  document.title = `${main.querySelector('h1')?.textContent || 'Console'} · Tollgate`;
  main.focus({ preventScroll: true });
}

function renderLogin() {
  const token = input({ type: 'password', autocomplete: 'current-password', required: true, name: 'token' });
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form.card.login', { 'aria-labelledby': 'login-title', on: { submit: login } },
    h('h1#login-title', {}, 'Sign in to the Tollgate console'),
    h('p.muted', {}, 'Use the admin token (TOLLGATE_ADMIN_TOKEN). It is kept in this tab\'s session storage only.'),
    field('Admin token', token, { wide: true }), h('p', {}, submit), status);
  clear(main, form);
  document.title = 'Sign in · Tollgate';
  token.focus();

  async function login(ev) {
    ev.preventDefault();
    submit.disabled = true;
    session.setToken(token.value.trim());
    checkingToken = true;
    try {
      await get('/admin/v1/info');
      const target = route().name && route().name !== 'login' ? location.hash : '#/overview';
      if (location.hash === target) show();
      else location.hash = target;
    } catch (e) {
      session.clear();
      clear(status, errorBox(e instanceof ApiError && e.status === 401 ? new Error('That token was refused.') : e));
    } finally {
      checkingToken = false;
      submit.disabled = false;
    }
  }
}

whenUnauthorized(() => {
  if (checkingToken) return;
  session.clear();
  location.hash = '#/login';
});
signOut.addEventListener('click', () => {
  session.clear();
  location.hash = '#/login';
  show();
});
window.addEventListener('hashchange', show);
show();
