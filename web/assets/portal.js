// The client portal (/portal): sign in, pick an account when there are several, see which
// account you are in, switch at any time. Every move inside an account asks the API again
// (GET /v1/portal/accounts/{id}), so access removed by the firm shows on the next click.

import { api } from './api.js';
import { signInForm } from './login.js';
import { $, announce, h, openModal, skeletonLines } from './dom.js';
import { SessionStore } from './session.js';

const store = new SessionStore('crm.portal');
const NOTICE_CLOSED = 'notice_closed'; // until the next login (sessionStorage)
const CURRENT = 'account';

// What an account holds for its client, read from the API with the portal token (the
// same access check as the account itself: LOGIN off answers 404 here too).
const SECTIONS = [
  {
    id: 'emails',
    title: 'Emails',
    path: (id) => `/v1/portal/accounts/${encodeURIComponent(id)}/messages`,
    empty: 'No emails to show yet',
    hint: 'Emails between you and your firm will appear here.',
    item: (message) => [message.subject || '(no subject)', (message.from || []).map((p) => p.name || p.address).join(', '), (message.date || '').slice(0, 10)],
  },
  {
    id: 'documents',
    title: 'Documents',
    path: (id) => `/v1/portal/accounts/${encodeURIComponent(id)}/documents`,
    empty: 'No documents to show yet',
    hint: 'Documents your firm shares with you will appear here.',
    item: (document_) => [document_.name, document_.source === 'email_attachment' ? 'From an email' : '', ''],
  },
];

const state = {
  accounts: [], // what GET /v1/portal/accounts answered last
  lastAccountId: null,
  account: null, // the account open now
  section: 'overview',
};

// ----------------------------------------------------------------------------- views

function showLogin(reason = '') {
  // Nothing of the last account stays in the page once signed out.
  showSkeleton();
  $('#notice').hidden = true;
  $('#notice-account').textContent = '';
  $('#portal-view').hidden = true;
  $('#sign-out').hidden = true;
  $('#who').hidden = true;
  $('#brand').textContent = 'Client portal';
  document.title = 'Sign in · Client portal';
  const note = $('#login-reason');
  note.textContent = reason;
  note.hidden = !reason;
  $('#login-view').hidden = false;
  $('#login-email').focus();
}

function showPortal() {
  const session = store.current();
  $('#login-view').hidden = true;
  $('#portal-view').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').hidden = !session;
  $('#who').textContent = session ? session.email : '';
}

function setBusy(busy) {
  $('#main').setAttribute('aria-busy', busy ? 'true' : 'false');
}

function showSkeleton() {
  $('#no-access').hidden = true;
  $('#account-view').hidden = false;
  $('#account-title').replaceChildren(
    h('span', { class: 'skeleton skeleton-title', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden', text: 'Loading' }),
  );
  $('#firm-line').replaceChildren(...skeletonLines(1, 'skeleton skeleton-line short'));
  $('#sidebar-account').replaceChildren(...skeletonLines(1));
  $('#sections').replaceChildren(...SECTIONS.map(sectionSkeleton));
}

function sectionSkeleton(section) {
  return h(
    'section',
    { class: 'portal-section', 'aria-hidden': 'true' },
    h('h2', { text: section.title }),
    h('div', { class: 'empty' }, ...skeletonLines(2)),
  );
}

/** The panel in place of the account: no access, nothing to open, or an error. */
function showPanel({ title, text, canPick, tone = 'alert' }) {
  state.account = null;
  $('#account-view').hidden = true;
  $('#notice').hidden = true;
  $('#sidebar-account').textContent = 'None open';
  $('#no-access').hidden = false;
  $('#no-access-title').textContent = title;
  $('#no-access-text').textContent = text;
  $('#no-access-text').className = tone === 'alert' ? 'alert' : 'note';
  $('#no-access-pick').hidden = !canPick;
  document.title = `${title} · Client portal`;
  setNavCurrent(null);
}

function setNavCurrent(section) {
  for (const link of document.querySelectorAll('.sidebar-links a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function renderAccount(account, section, { focus }) {
  const several = state.accounts.length > 1;
  $('#no-access').hidden = true;
  $('#account-view').hidden = false;
  $('#brand').textContent = account.firm_name;
  $('#account-title').textContent = account.name;
  $('#firm-line').textContent = `Your client portal with ${account.firm_name}`;
  $('#sidebar-account').textContent = account.name;
  $('#sidebar-switch').hidden = !several;
  $('#notice-account').textContent = account.name;
  $('#notice').hidden = !several || store.get(NOTICE_CLOSED) === '1';
  document.title = `${account.name} · Client portal`;
  setNavCurrent(section);

  const shown = section === 'overview' ? SECTIONS : SECTIONS.filter((s) => s.id === section);
  $('#sections').replaceChildren(
    ...shown.map((s) => {
      const body = h('div', { class: 'section-body' });
      loadSection(s, account, body);
      return h(
        'section',
        { class: 'portal-section', 'aria-labelledby': `section-${s.id}` },
        h('h2', { id: `section-${s.id}`, text: s.title }),
        body,
      );
    }),
  );
  if (focus) $('#account-title').focus();
}

function emptyState(section) {
  return h('div', { class: 'empty' }, h('strong', { text: section.empty }), section.hint);
}

async function loadSection(section, account, container) {
  if (!section.path) {
    container.replaceChildren(emptyState(section));
    return;
  }
  container.replaceChildren(h('div', { class: 'empty', 'aria-hidden': 'true' }, ...skeletonLines(2)));
  try {
    const page = await api(section.path(account.account_id), { token: token() });
    const items = (page && page.items) || [];
    container.replaceChildren(
      items.length
        ? h(
            'ul',
            { class: 'items' },
            items.map((item) => h('li', {}, ...section.item(item).filter(Boolean).map((t) => h('span', { text: t })))),
          )
        : emptyState(section),
    );
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    if (error.status === 404) return lostAccess(account.account_id);
    container.replaceChildren(h('p', { class: 'alert', role: 'alert', text: error.message }));
  }
  return undefined;
}

// ----------------------------------------------------------------------------- flows

function token() {
  const session = store.current();
  return session ? session.token : null;
}

function nameOf(accountId) {
  if (state.account && state.account.account_id === accountId) return state.account.name;
  const known = state.accounts.find((a) => a.account_id === accountId);
  return known ? known.name : 'this account';
}

function sessionEnded() {
  store.clear();
  state.account = null;
  state.accounts = [];
  const picker = $('#picker');
  if (picker.open) picker.close();
  showLogin('Your session has ended. Please sign in again.');
}

function byName(accounts) {
  return [...accounts].sort((a, b) => a.name.localeCompare(b.name) || a.account_id.localeCompare(b.account_id));
}

async function refreshAccounts() {
  const list = await api('/v1/portal/accounts', { token: token() });
  state.accounts = byName(list.items);
  state.lastAccountId = list.last_account_id;
}

/** After sign-in or a reload: straight in with one account, the picker with several. */
async function enter() {
  if (state.accounts.length === 0) {
    showPanel({
      title: 'No account to open',
      text: 'You have no account to open in this portal at the moment. Contact your firm if you think this is a mistake.',
      canPick: false,
    });
    $('#no-access-title').focus();
    return;
  }
  if (state.accounts.length === 1) {
    await openAccount(state.accounts[0].account_id, 'overview', { focus: true });
    return;
  }
  showSkeleton();
  pick({ preselect: state.lastAccountId, cancellable: false });
}

/** Open an account, asking the API whether this user may still open it. */
async function openAccount(accountId, section = state.section, { focus = true, quiet = false } = {}) {
  if (!token()) return sessionEnded();
  const switching = !state.account || state.account.account_id !== accountId;
  if (switching && !quiet) showSkeleton();
  setBusy(true);
  try {
    const account = await api(`/v1/portal/accounts/${encodeURIComponent(accountId)}`, { token: token() });
    state.account = account;
    state.section = section;
    store.set(CURRENT, accountId);
    renderAccount(account, section, { focus });
    if (switching) announce(`You are in ${account.name}.`);
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    if (error.status === 404) return lostAccess(accountId);
    showPanel({ title: 'Something went wrong', text: error.message, canPick: state.accounts.length > 0 });
    $('#no-access-title').focus();
  } finally {
    setBusy(false);
  }
  return undefined;
}

/** The firm turned LOGIN off for this account: say so, and offer what is left. */
async function lostAccess(accountId) {
  const name = nameOf(accountId);
  store.set(CURRENT, null);
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    state.accounts = [];
  }
  const lost = `You no longer have access to ${name}. Your firm has turned off your portal login for this account.`;
  if (state.accounts.length) {
    showPanel({ title: 'No access to this account', text: `${lost} Choose another account to continue.`, canPick: true });
    pick({ preselect: null, cancellable: false, message: lost });
  } else {
    showPanel({
      title: 'No access to this account',
      text: `${lost} You have no other account in this portal. Contact your firm if you think this is a mistake.`,
      canPick: false,
    });
    $('#no-access-title').focus();
  }
  return undefined;
}

// ---------------------------------------------------------------------------- picker

function pick({ preselect, cancellable, message = '' }) {
  const dialog = $('#picker');
  const selected = state.accounts.some((a) => a.account_id === preselect) ? preselect : state.accounts[0].account_id;
  const firms = new Set(state.accounts.map((a) => a.firm_id));
  $('#picker-options').replaceChildren(
    ...state.accounts.map((account) =>
      h(
        'label',
        { class: 'picker-option' },
        h('input', { type: 'radio', name: 'account', value: account.account_id, checked: account.account_id === selected }),
        h(
          'span',
          {},
          h('span', { class: 'name', text: account.name }),
          firms.size > 1 ? h('span', { class: 'muted small', text: ` · ${account.firm_name}` }) : null,
        ),
      ),
    ),
  );
  $('#picker-intro').textContent =
    state.accounts.length > 1
      ? 'You have access to several accounts. Choose the one to open; you can switch at any time.'
      : 'This is the account you can open now.';
  $('#picker-message').textContent = message;
  $('#picker-message').hidden = !message;
  // Read out with the dialog's name when it opens: why the picker is back.
  dialog.setAttribute('aria-describedby', message ? 'picker-message picker-intro' : 'picker-intro');
  $('#picker-error').textContent = '';
  $('#picker-cancel').hidden = !cancellable;
  dialog.dataset.cancellable = cancellable ? 'yes' : 'no';
  dialog.returnValue = '';
  const checked = dialog.querySelector('input[name="account"]:checked');
  if (dialog.open) {
    checked.focus();
    return;
  }
  openModal(dialog, {
    focus: checked,
    fallback: () => (state.account ? $('#account-title') : $('#no-access-title')),
  });
}

async function choose(event) {
  event.preventDefault();
  const dialog = $('#picker');
  const chosen = dialog.querySelector('input[name="account"]:checked');
  if (!chosen) {
    $('#picker-error').textContent = 'Choose an account.';
    return;
  }
  const button = $('#picker-open');
  button.disabled = true;
  try {
    await api('/v1/portal/last-account', { method: 'PUT', body: { account_id: chosen.value }, token: token() });
    dialog.close('chosen');
    await openAccount(chosen.value, 'overview', { focus: true });
  } catch (error) {
    if (error.status === 401) sessionEnded();
    else if (error.status === 404) {
      const name = nameOf(chosen.value);
      await refreshAccounts().catch(() => undefined);
      if (state.accounts.length) pick({ preselect: null, cancellable: false, message: `You no longer have access to ${name}.` });
      else {
        dialog.close();
        await lostAccess(chosen.value);
      }
    } else $('#picker-error').textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

async function switchAccount(event) {
  const opener = event.currentTarget;
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    announce(error.message);
    return undefined;
  }
  if (!state.accounts.length) return lostAccess(state.account ? state.account.account_id : '');
  pick({ preselect: state.account ? state.account.account_id : state.lastAccountId, cancellable: Boolean(state.account) });
  $('#picker').addEventListener('close', () => opener.isConnected && !opener.hidden && opener.focus(), { once: true });
  return undefined;
}

// ---------------------------------------------------------------------------- events

function signOut() {
  store.clear();
  state.account = null;
  state.accounts = [];
  showLogin();
  announce('You are signed out.');
}

function closeNotice() {
  store.set(NOTICE_CLOSED, '1');
  $('#notice').hidden = true;
  announce('Notice closed. Switch account is in the sidebar.');
  const target = $('#sidebar-switch');
  (target.hidden ? $('#account-title') : target).focus();
}

function navigate(event) {
  const link = event.target.closest('a[data-section]');
  if (!link) return;
  event.preventDefault();
  const section = link.dataset.section;
  history.replaceState(null, '', `#${section}`);
  if (state.account) openAccount(state.account.account_id, section, { focus: true, quiet: true });
  else if (state.accounts.length) pick({ preselect: state.lastAccountId, cancellable: false });
}

async function resume() {
  showPortal();
  showSkeleton();
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    showPanel({ title: 'Something went wrong', text: error.message, canPick: false });
    return undefined;
  }
  const current = store.get(CURRENT);
  const section = ['overview', ...SECTIONS.map((s) => s.id)].includes(location.hash.slice(1))
    ? location.hash.slice(1)
    : 'overview';
  if (current && state.accounts.some((a) => a.account_id === current)) {
    return openAccount(current, section, { focus: false });
  }
  if (current) return lostAccess(current);
  return enter();
}

function init() {
  signInForm($('#login-form'), '/v1/portal/login', store, async (answer) => {
    state.accounts = byName(answer.accounts);
    state.lastAccountId = answer.last_account_id;
    state.account = null;
    state.section = 'overview';
    showPortal();
    await enter();
  });
  $('#sign-out').addEventListener('click', signOut);
  $('#no-access-sign-out').addEventListener('click', signOut);
  $('#picker-sign-out').addEventListener('click', () => {
    $('#picker').close();
    signOut();
  });
  $('#picker-form').addEventListener('submit', choose);
  $('#picker-cancel').addEventListener('click', () => $('#picker').close());
  $('#picker').addEventListener('cancel', (event) => {
    if ($('#picker').dataset.cancellable !== 'yes') event.preventDefault();
  });
  $('#picker').addEventListener('close', () => {
    // Closed without a choice and nothing open (Escape pressed twice): say what to do.
    if ($('#picker').returnValue === 'chosen') return;
    if (!state.account && store.current() && $('#no-access').hidden) {
      showPanel({ title: 'Choose an account', text: 'Choose the account to open.', canPick: true, tone: 'note' });
    }
  });
  $('#no-access-pick').addEventListener('click', switchAccount);
  $('#notice-switch').addEventListener('click', switchAccount);
  $('#sidebar-switch').addEventListener('click', switchAccount);
  $('#notice-close').addEventListener('click', closeNotice);
  $('.sidebar-links').addEventListener('click', navigate);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.account && !$('#picker').open) {
      openAccount(state.account.account_id, state.section, { focus: false, quiet: true });
    }
  });
  if (store.current()) resume();
  else showLogin();
}

init();
