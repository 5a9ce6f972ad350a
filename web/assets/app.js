// The staff workspace (/app): sign in, the top navigation and the router. Each screen is a
// module of its own in /assets/workspace/, drawn into <main id="main"> from the address:
//
//   #/accounts                      the accounts (search, sort, create)
//   #/accounts/{id}[/{tab}]         an account: info, emails, docs, notifications, activity
//   #/inbox                         Inbox+
//   #/portal-access                 every address with LOGIN on, bulk invitations
//   #/messages/{message_id}         the reader
//   #/contacts..., #/settings...    their modules' own: render(main, {path, params})
//
// `route.previous` is the route drawn before ({section, path}, or null).
//
// Words come from the `common` and `workspace` catalogs (i18n.js): the language the
// reader picked with the switch in the top bar, else the staff member's own (from the
// login answer), else the browser's. A pick is saved to the staff record as well
// (PATCH /v1/staff/{staff_id}), so that it follows them to another browser. A change of
// language draws the page again.

import { signInForm } from './login.js';
import { $, announce, h } from './dom.js';
import { language, languageSwitch, onLanguageChange, setFirmPreferences, setPersonLanguage, start, supported, t } from './i18n.js';
import { call, me, preferences, remember, store } from './workspace/context.js';
import { product, setTitle, tx } from './workspace/ui.js';

// Screens loaded on demand, each a module with render(main, route).
const SCREENS = {
  accounts: () => import('./workspace/accounts.js'),
  account: () => import('./workspace/account.js'),
  inbox: () => import('./workspace/inbox.js'),
  messages: () => import('./workspace/reader.js'),
  contacts: () => import('./workspace/contacts.js'),
  settings: () => import('./workspace/settings.js'),
  'portal-access': () => import('./workspace/portal-access.js'),
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
  setTitle(t('workspace.login.title'));
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
  const role = ['owner', 'admin', 'employee'].includes(user.role) ? t(`workspace.role.${user.role}`) : user.role;
  who.textContent = t(user.canManage ? 'workspace.shell.who' : 'workspace.shell.whoReadOnly', { email: user.email, role });
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
  const name = ['contacts', 'settings'].includes(section) ? t(`workspace.nav.${section}`) : t('workspace.shell.thisScreen');
  setTitle(name);
  const title = h('h1', { id: 'page-title', tabindex: '-1', text: name });
  const accounts = h('a', { href: '#/accounts', text: t('workspace.nav.accounts') });
  main.replaceChildren(
    h('div', { class: 'page-head' }, title),
    h('div', { class: 'empty' }, h('strong', { text: t('workspace.shell.notAvailable') }), ...tx('workspace.shell.notLoaded', { name, accounts })),
  );
  title.focus();
}

// ------------------------------------------------------------------------ language

/** The words of the static page (index.html): `data-i18n` for the text, `data-i18n-attr`
 * ("placeholder:key;aria-label:key") for attributes. */
function translatePage() {
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr.split(';')) {
      const [name, key] = pair.split(':');
      element.setAttribute(name, t(key));
    }
  }
  document.title = product();
  // The switch stays the same element (keyboard focus stays on it): its name and value follow.
  let select = $('#language-switch');
  if (!select) {
    select = languageSwitch(h);
    select.id = 'language-switch';
    select.addEventListener('change', (event) => keepOnRecord(event.target.value));
    $('#language-slot').replaceChildren(select);
  }
  select.setAttribute('aria-label', t('common.language'));
  select.value = language();
}

/** A language picked with the switch while signed in goes on the staff record too. */
async function keepOnRecord(picked) {
  const user = me();
  const wanted = supported(picked);
  if (!user || !user.staffId || !wanted || user.language === wanted) return;
  try {
    await call(`/v1/staff/${encodeURIComponent(user.staffId)}`, { method: 'PATCH', body: { language: wanted } });
    remember({ language: wanted });
  } catch {
    // Not allowed or not saved: the choice still holds on this browser (localStorage).
  }
}

/** After sign-in: the staff member's language and the firm's time zone and form of address. */
async function signedIn(answer) {
  remember({
    staff_id: answer.staff_id,
    language: answer.language,
    time_zone: answer.time_zone,
    form_of_address: answer.form_of_address,
  });
  applyPreferences();
  await setPersonLanguage(answer.language);
  await route();
}

function applyPreferences() {
  const kept = preferences();
  setFirmPreferences({ informal: kept.form_of_address === 'informal', timeZone: kept.time_zone || 'UTC' });
}

// --------------------------------------------------------------------------- events

async function init() {
  applyPreferences();
  await start({ person: preferences().language, areas: ['common', 'workspace'] });
  translatePage();
  onLanguageChange(() => {
    translatePage();
    if (me()) route();
    else if (!$('#login-view').hidden) setTitle(t('workspace.login.title'));
  });
  signInForm($('#login-form'), '/v1/staff/login', store, signedIn);
  $('#sign-out').addEventListener('click', () => {
    store.clear();
    showLogin();
    announce(t('workspace.shell.signedOut'));
  });
  window.addEventListener('crm:session-ended', () => showLogin(t('workspace.shell.sessionEnded')));
  window.addEventListener('hashchange', route);
  route();
}

init();
