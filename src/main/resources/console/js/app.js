// The console's shell: signing in, the navigation that follows a person's roles, and the router.
import { api, get, whenSignedOut } from './api.js';
import { h, clear, toast } from './dom.js';
import { dashboard, agentPage } from './agents.js';
import { designer } from './designer.js';
import { templates } from './templates.js';
import { workbench } from './workbench.js';
import { inbox } from './inbox.js';
import { compliance } from './compliance.js';

const main = document.getElementById('main');
export const session = { me: null, catalog: null };

export function can(...roles) {
  return !!session.me && roles.some(r => session.me.roles.includes(r));
}

const SCREENS = [
  { path: 'agents', label: 'Agents', roles: ['PM', 'COMPLIANCE', 'APPROVER', 'ADMIN'] },
  { path: 'templates', label: 'New agent', roles: ['PM', 'ADMIN'] },
  { path: 'inbox', label: 'Approvals', roles: ['APPROVER', 'ADMIN'] },
  { path: 'compliance', label: 'Compliance', roles: ['COMPLIANCE', 'ADMIN'] },
];

function signIn(message) {
  document.getElementById('top').hidden = true;
  session.me = null;
  const token = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    'aria-describedby': 'token-hint' });
  const error = h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, message || '');
  const form = h('form', { class: 'card narrow', id: 'sign-in' },
    h('h1', {}, 'Sign in to Agent Factory'),
    h('label', { for: 'token' }, 'Your token'), token,
    h('p', { class: 'hint', id: 'token-hint' }, 'Paste the token your administrator gave you (it starts with af_). ' +
      'On a new server the admin token is in data/admin-token.'),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.textContent = '';
    try {
      await api('POST', '/api/session', { token: token.value.trim() });
      await start();
    } catch (e) {
      error.textContent = e.message;
      token.focus();
    }
  });
  clear(main, form);
  token.focus();
}

async function start() {
  try {
    session.me = await get('/api/session');
  } catch (e) {
    signIn();
    return;
  }
  session.catalog = await get('/api/catalog');
  document.getElementById('top').hidden = false;
  const roles = session.me.roles.join(', ');
  clear(document.getElementById('who'), `${session.me.principal} · ${session.me.organizationName} · ${roles}`);
  clear(document.getElementById('nav'), SCREENS.filter(s => can(...s.roles))
    .map(s => h('a', { href: '#/' + s.path, dataset: { screen: s.path } }, s.label)));
  if (!location.hash || location.hash === '#/') location.hash = '#/' + home();
  else route();
}

function home() {
  if (can('PM', 'ADMIN')) return 'agents';
  if (can('APPROVER')) return 'inbox';
  if (can('COMPLIANCE')) return 'compliance';
  return 'agents';
}

let leave = null;
async function route() {
  if (!session.me) return;
  if (leave) {
    leave();
    leave = null;
  }
  const [screen, id, sub] = location.hash.replace(/^#\//, '').split('?')[0].split('/');
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  for (const link of document.querySelectorAll('#nav a')) {
    const here = link.dataset.screen === screen || (screen === 'design' && link.dataset.screen === 'templates');
    if (here) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  clear(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    let view;
    if (screen === 'agents' && id && sub === 'test') view = await workbench(id);
    else if (screen === 'agents' && id && sub === 'edit') view = await designer(id, null);
    else if (screen === 'agents' && id) view = await agentPage(id, sub);
    else if (screen === 'agents') view = await dashboard();
    else if (screen === 'templates') view = await templates();
    else if (screen === 'design') view = await designer(null, query.get('template'));
    else if (screen === 'inbox') view = await inbox(query.get('tab'));
    else if (screen === 'compliance') view = await compliance(query.get('tab'));
    else view = { node: h('p', {}, 'No such page. ', h('a', { href: '#/' + home() }, 'Go to the start page')) };
    clear(main, view.node);
    leave = view.leave || null;
    const heading = main.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  } catch (e) {
    clear(main, h('div', { class: 'card' }, h('h1', {}, 'This page could not be shown'),
      h('p', { class: 'error', role: 'alert' }, e.message),
      h('p', {}, 'Try again, or ', h('a', { href: '#/' + home() }, 'go to the start page'), '.')));
  }
}

whenSignedOut(message => signIn(message || 'Your session has ended; sign in again.'));
document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('DELETE', '/api/session');
  } catch (e) {
    toast(e.message, 'error');
  }
  location.hash = '';
  signIn('You are signed out.');
});
window.addEventListener('hashchange', route);
start();
