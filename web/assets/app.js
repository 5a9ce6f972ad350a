// The staff workspace (/app): sign in, the top navigation and the router. Each screen is a
// module of its own in /assets/workspace/, drawn into <main id="main"> from the address:
//
//   #/accounts                      the accounts (search, sort, create)
//   #/accounts/{id}[/{tab}]         an account: info, emails, docs, notifications, activity
//   #/inbox                         Inbox+
//   #/messages/{message_id}         the reader
//   #/contacts..., #/settings...    their modules' own: render(main, {path, params})
//
// `route.previous` is the route drawn before ({section, path}, or null).

import { signInForm } from './login.js';
import { $, announce, h } from './dom.js';
import { me, store } from './workspace/context.js';
import { PRODUCT, setTitle } from './workspace/ui.js';

const ROLES = { owner: 'Owner', admin: 'Admin', employee: 'Employee' };

// Screens loaded on demand, each a module with render(main, route).
const SCREENS = {
  accounts: () => import('./workspace/accounts.js'),
  account: () => import('./workspace/account.js'),
  inbox: () => import('./workspace/inbox.js'),
  messages: () => import('./workspace/reader.js'),
  contacts: () => import('./workspace/contacts.js'),
  settings: () => import('./workspace/settings.js'),
};

let drawn = 0; // the number of the latest route drawn: a slow screen does not draw over a newer one
let previous = null; // the route drawn before this one: {section, path}

// -------------------------------------------------------------------------- shell

function showLogin(reason = '') {
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  $('#main').hidden = true;
  $('#main').replaceChildren();
  $('#sign-out').hidden = true;
  $('#who').hidden = true;
  $('#workspace-nav').hidden = true;
  document.title = `Sign in · ${PRODUCT}`;
  const note = $('#login-reason');
  note.textContent = reason;
  note.hidden = !reason;
  $('#login-view').hidden = false;
  $('#login-email').focus();
}

function showShell(user) {
  $('#login-view').hidden = true;
  $('#main').hidden = false;
  $('#sign-out').hidden = false;
  $('#workspace-nav').hidden = false;
  const who = $('#who');
  who.hidden = false;
  const role = ROLES[user.role] || user.role;
  who.textContent = `${user.email} · ${role}${user.canManage ? '' : ' (read only)'}`;
}

/** The address as a route: {section, path (after the section), params}. */
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { section: parts[0] || 'accounts', path: parts.slice(1), params: new URLSearchParams(query) };
}

function markNavigation(section) {
  const current = section === 'messages' ? 'inbox' : section;
  for (const link of document.querySelectorAll('#workspace-nav a')) {
    if (link.dataset.section === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  const user = me();
  if (!user) {
    showLogin();
    return;
  }
  showShell(user);
  const number = ++drawn;
  const { section, path, params } = parseHash();
  const before = previous;
  previous = { section, path };
  markNavigation(section);
  const main = $('#main');
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');

  let key = section;
  if (section === 'accounts' && path.length) key = 'account';
  if (!SCREENS[key] || (key === 'messages' && !path.length)) key = 'accounts';
  let module;
  try {
    module = await SCREENS[key]();
  } catch {
    if (number !== drawn) return;
    main.setAttribute('aria-busy', 'false');
    notAvailable(main, section);
    return;
  }
  if (number !== drawn) return;
  main.setAttribute('aria-busy', 'false');
  module.render(main, { path: key === 'accounts' ? [] : path, params, previous: before });
}

function notAvailable(main, section) {
  const names = { contacts: 'Contacts', settings: 'Settings' };
  const name = names[section] || 'This screen';
  setTitle(name);
  const title = h('h1', { id: 'page-title', tabindex: '-1', text: name });
  main.replaceChildren(
    h('div', { class: 'page-head' }, title),
    h('div', { class: 'empty' }, h('strong', { text: 'Not available yet' }), `${name} could not be loaded. Reload the page to try again, or go back to `, h('a', { href: '#/accounts', text: 'Accounts' }), '.'),
  );
  title.focus();
}

// --------------------------------------------------------------------------- events

function init() {
  signInForm($('#login-form'), '/v1/staff/login', store, () => route());
  $('#sign-out').addEventListener('click', () => {
    store.clear();
    showLogin();
    announce('You are signed out.');
  });
  window.addEventListener('crm:session-ended', () => showLogin('Your session has ended. Please sign in again.'));
  window.addEventListener('hashchange', route);
  route();
}

init();
