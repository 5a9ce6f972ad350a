// The staff Contacts panel (/app): sign in, the firm's accounts, and an account's Info tab
// with its Contacts section: every address of every linked contact with its LOGIN, NOTIFY
// and EMAIL SYNC switches, login status, invitations, notification preferences, and the
// unlinked emails. What the signed-in role may not change is disabled, with the reason.

import { api } from './api.js';
import { signInForm } from './login.js';
import { $, announce, formatDate, h, openModal, skeletonLines } from './dom.js';
import { SessionStore, jwtClaims } from './session.js';

const store = new SessionStore('crm.staff');

const TOGGLES = [
  ['login', 'LOGIN'],
  ['notify', 'NOTIFY'],
  ['email_sync', 'EMAIL SYNC'],
];

const CATEGORIES = [
  ['documents_uploads', 'Documents, uploads', 'New documents uploaded by the firm.'],
  ['documents_signatures', 'Documents, signature requests', 'Documents awaiting signature; reminders about documents still to be signed.'],
  ['documents_approvals', 'Documents, approvals', 'Documents awaiting approval; reminders about them.'],
  ['chats_and_tasks', 'Chats and client tasks', 'New messages, client tasks included; new comments in chat threads.'],
  ['proposals', 'Proposals', 'New proposals to sign; reminders about pending ones.'],
  ['organizers', 'Organizers', 'New organizers to fill in; reminders about pending ones.'],
  ['invoices_and_payments', 'Invoices and payments', 'New invoices; reminders about unpaid invoices; payment confirmations; notices of refunds issued.'],
];

const ACCOUNT_TYPES = { individual: 'Individual', family: 'Family', business: 'Business' };
const ROLES = { owner: 'Owner', admin: 'Admin', employee: 'Employee' };

const READ_ONLY_REASON =
  'You can read these settings but not change them: your role is employee without the ' +
  'manage accounts right. Ask the firm owner or an admin to change them, or to give you that right.';

const state = {
  account: null, // the account shown: {account_id, name, type}
  rows: new Map(), // email_id -> ROW of the Contacts section
  pending: null, // the LOGIN switch waiting for the send dialog: {row, input}
};

// ------------------------------------------------------------------------ session

/** Who is signed in, from the token's claims: the API decides, the page only follows. */
function me() {
  const session = store.current();
  if (!session) return null;
  const claims = jwtClaims(session.token) || {};
  const role = claims['custom:role'] || 'employee';
  const manage = String(claims['custom:manage_accounts']) === 'true';
  return {
    token: session.token,
    email: claims.email || session.email || '',
    role,
    canManage: role === 'owner' || role === 'admin' || manage,
  };
}

function token() {
  const user = me();
  return user ? user.token : null;
}

function sessionEnded() {
  store.clear();
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  showLogin('Your session has ended. Please sign in again.');
}

/** Handle the failures every call shares; answer true when the page is gone to login. */
function handledGlobally(error) {
  if (error.status === 401) {
    sessionEnded();
    return true;
  }
  return false;
}

// -------------------------------------------------------------------------- shell

function showLogin(reason = '') {
  $('#main').hidden = true;
  $('#main').replaceChildren();
  $('#sign-out').hidden = true;
  $('#who').hidden = true;
  document.title = 'Sign in · Contacts panel';
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
  const who = $('#who');
  who.hidden = false;
  const role = ROLES[user.role] || user.role;
  who.textContent = `${user.email} · ${role}${user.canManage ? '' : ' (read only)'}`;
}

function route() {
  const user = me();
  if (!user) {
    showLogin();
    return;
  }
  showShell(user);
  const found = location.hash.match(/^#\/accounts\/([^/]+)$/);
  if (found) showAccount(decodeURIComponent(found[1]), user);
  else showAccounts();
}

// ------------------------------------------------------------------ accounts list

function showAccounts() {
  state.account = null;
  document.title = 'Accounts · Contacts panel';
  const list = h('ul', { class: 'account-list', 'aria-busy': 'true', 'aria-label': 'Accounts' });
  list.append(...Array.from({ length: 5 }, () => h('li', { class: 'skeleton-row', 'aria-hidden': 'true' }, ...skeletonLines(1))));
  const error = h('p', { class: 'error', role: 'alert' });
  const more = h('button', { type: 'button', hidden: true, text: 'Show more accounts' });
  const title = h('h1', { id: 'page-title', tabindex: '-1', text: 'Accounts' });
  $('#main').replaceChildren(
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'Open an account to see its contacts and who may use the client portal.' })),
    list,
    error,
    more,
  );
  title.focus();

  let cursor = null;
  const load = async (first) => {
    more.disabled = true;
    error.textContent = '';
    try {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api(`/v1/accounts${query}`, { token: token() });
      if (first) list.replaceChildren();
      list.append(
        ...page.items.map((account) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/accounts/${encodeURIComponent(account.account_id)}` },
              h('span', { class: 'name', text: account.name }),
              h('span', { class: 'muted small', text: ACCOUNT_TYPES[account.type] || account.type }),
            ),
          ),
        ),
      );
      if (first && !page.items.length) {
        list.replaceWith(h('div', { class: 'empty' }, h('strong', { text: 'No accounts yet' }), 'Accounts the firm creates appear here.'));
      }
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
    } catch (failure) {
      if (handledGlobally(failure)) return;
      if (first) list.replaceChildren();
      error.textContent = failure.message;
    } finally {
      list.setAttribute('aria-busy', 'false');
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => load(false));
  load(true);
}

// ---------------------------------------------------------------- account: Info tab

function showAccount(accountId, user) {
  state.account = { account_id: accountId, name: '' };
  state.rows = new Map();
  document.title = 'Account · Contacts panel';
  const title = h(
    'h1',
    { id: 'page-title', tabindex: '-1' },
    h('span', { class: 'skeleton skeleton-title', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden', text: 'Loading the account' }),
  );
  const kind = h('p', { class: 'muted', id: 'account-type' }, ...skeletonLines(1, 'skeleton skeleton-line short'));
  const crumb = h('span', { 'aria-current': 'page', text: '…' });
  const contacts = h('div', { id: 'contacts-body', 'aria-busy': 'true' }, ...rowSkeletons(3));
  const unlinked = h('div', { id: 'unlinked-body', 'aria-busy': 'true' }, ...rowSkeletons(1));
  const sectionError = h('p', { class: 'error collapse', role: 'alert', id: 'contacts-error' });

  $('#main').replaceChildren(
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('ol', {}, h('li', {}, h('a', { href: '#/accounts', text: 'Accounts' })), h('li', {}, crumb)),
    ),
    h('div', { class: 'page-head' }, title, kind),
    h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': 'Account profile' },
      h('button', { type: 'button', role: 'tab', id: 'tab-info', 'aria-selected': 'true', 'aria-controls': 'panel-info', text: 'Info' }),
    ),
    h(
      'div',
      { role: 'tabpanel', id: 'panel-info', 'aria-labelledby': 'tab-info' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'contacts-title' },
        h('h2', { id: 'contacts-title', text: 'Contacts' }),
        h('p', { class: 'muted small', text: 'Every address of every contact linked to this account. LOGIN opens the client portal, NOTIFY sends system notifications, EMAIL SYNC brings their emails into Inbox+.' }),
        user.canManage ? null : h('p', { class: 'note', id: 'role-reason', text: READ_ONLY_REASON }),
        sectionError,
        contacts,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'unlinked-title' },
        h('h2', { id: 'unlinked-title', tabindex: '-1', text: 'Unlinked emails' }),
        h('p', { class: 'muted small', text: 'Addresses no longer on a linked contact that still have LOGIN on this account. They keep their access until LOGIN is turned off here.' }),
        unlinked,
      ),
    ),
  );
  title.focus();

  api(`/v1/accounts/${encodeURIComponent(accountId)}`, { token: token() })
    .then((account) => {
      state.account = account;
      title.textContent = account.name;
      crumb.textContent = account.name;
      kind.textContent = `${ACCOUNT_TYPES[account.type] || account.type} account`;
      document.title = `${account.name} · Contacts panel`;
    })
    .catch((failure) => {
      if (handledGlobally(failure)) return;
      title.textContent = failure.status === 404 ? 'Account not found' : 'Account';
      crumb.textContent = title.textContent;
      kind.textContent = failure.message;
    });

  api(`/v1/accounts/${encodeURIComponent(accountId)}/contacts`, { token: token() })
    .then((section) => {
      for (const contact of section.contacts) for (const row of contact.emails) state.rows.set(row.email_id, row);
      for (const row of section.unlinked_emails) state.rows.set(row.email_id, row);
      contacts.replaceChildren(
        ...(section.contacts.length
          ? section.contacts.map((contact) =>
              h(
                'div',
                { class: 'contact', role: 'group', 'aria-labelledby': `contact-${contact.contact_id}` },
                h('h3', { id: `contact-${contact.contact_id}`, text: `${contact.first_name} ${contact.last_name}`.trim() }),
                ...contact.emails.map((row) => rowElement(row, user)),
              ),
            )
          : [h('div', { class: 'empty' }, h('strong', { text: 'No contacts linked yet' }), 'Link a contact to this account to give them access.')]),
      );
      unlinked.replaceChildren(
        ...(section.unlinked_emails.length ? section.unlinked_emails.map((row) => rowElement(row, user)) : [noUnlinked()]),
      );
    })
    .catch((failure) => {
      if (handledGlobally(failure)) return;
      contacts.replaceChildren();
      unlinked.replaceChildren();
      sectionError.textContent = failure.message;
    })
    .finally(() => {
      contacts.setAttribute('aria-busy', 'false');
      unlinked.setAttribute('aria-busy', 'false');
    });
}

function noUnlinked() {
  return h('p', { class: 'muted', text: 'None: every address with LOGIN on belongs to a linked contact.' });
}

function rowSkeletons(count) {
  return Array.from({ length: count }, () => h('div', { class: 'row skeleton-row', 'aria-hidden': 'true' }, ...skeletonLines(2)));
}

// ------------------------------------------------------------------- one address

function statusChip(row) {
  switch (row.login_status) {
    case 'active':
      return h('span', { class: 'chip chip-active', text: 'Active' });
    case 'invited':
      return h(
        'span',
        { class: 'chip chip-invited' },
        'Invited until ',
        h('time', { datetime: row.invitation_expires_at || '', text: row.invitation_expires_at ? formatDate(row.invitation_expires_at) : 'unknown' }),
      );
    case 'not_invited':
      return h('span', { class: 'chip chip-not_invited', text: 'Not invited' });
    default:
      return h('span', { class: 'chip', text: 'No portal login' });
  }
}

function rowElement(row, user) {
  const id = row.email_id;
  const disabledReason = user.canManage ? null : READ_ONLY_REASON;
  const describedBy = user.canManage ? null : 'role-reason';

  const toggles = TOGGLES.map(([field, label]) =>
    h(
      'label',
      { class: 'switch', title: disabledReason },
      h('input', {
        type: 'checkbox',
        role: 'switch',
        name: field,
        checked: row[field],
        disabled: !user.canManage,
        'aria-describedby': describedBy,
        dataset: { control: field },
        onchange: (event) => onToggle(event, row.email_id),
      }),
      h('span', { class: 'switch-text', text: label }),
      h('span', { class: 'visually-hidden', text: ` for ${row.address}` }),
    ),
  );

  const invite = [];
  if (row.login && (row.login_status === 'not_invited' || row.login_status === 'invited')) {
    const label = row.login_status === 'invited' ? 'Resend invitation' : 'Send invitation';
    invite.push(
      h('button', {
        type: 'button',
        text: label,
        'aria-label': `${label} to ${row.address}`,
        disabled: !user.canManage,
        title: disabledReason,
        'aria-describedby': describedBy,
        dataset: { control: 'invite' },
        onclick: () => sendInvitation(row.email_id),
      }),
    );
  }

  return h(
    'div',
    { class: 'row', role: 'group', 'aria-labelledby': `address-${id}`, dataset: { emailId: id } },
    h(
      'div',
      { class: 'row-address' },
      h('span', { class: 'address', id: `address-${id}`, text: row.address }),
      h('span', { class: 'muted small', text: row.label }),
    ),
    h('div', { class: 'row-toggles' }, ...toggles),
    h(
      'div',
      { class: 'row-state' },
      h('span', { class: 'row-status' }, h('span', { class: 'visually-hidden', text: 'Login status: ' }), statusChip(row)),
      ...invite,
    ),
    menu(row),
    h('p', { class: 'row-error', role: 'alert', 'data-role': 'row-error' }),
  );
}

function rowNode(emailId) {
  return document.querySelector(`.row[data-email-id="${CSS.escape(emailId)}"]`);
}

function control(emailId, name) {
  const node = rowNode(emailId);
  return node ? node.querySelector(`[data-control="${name}"]`) : null;
}

function showRowError(emailId, message) {
  const node = rowNode(emailId);
  if (node) node.querySelector('[data-role="row-error"]').textContent = message;
}

/** Draw a row again from the API's answer, keeping focus on the same control. */
function replaceRow(updated, focusControl) {
  state.rows.set(updated.email_id, updated);
  const old = rowNode(updated.email_id);
  const user = me();
  if (!old || !user) return;
  old.replaceWith(rowElement(updated, user));
  if (focusControl) {
    const target = control(updated.email_id, focusControl) || control(updated.email_id, 'menu');
    if (target) target.focus();
  }
}

async function patch(emailId, body) {
  const accountId = state.account.account_id;
  return api(`/v1/accounts/${encodeURIComponent(accountId)}/emails/${encodeURIComponent(emailId)}`, {
    method: 'PATCH',
    body,
    token: token(),
  });
}

async function onToggle(event, emailId) {
  const input = event.currentTarget;
  const field = input.name;
  const row = state.rows.get(emailId);
  const on = input.checked;
  showRowError(emailId, '');
  if (field === 'login' && on) {
    input.checked = false; // on only once the firm has answered the question
    askToSend(row, input);
    return;
  }
  input.setAttribute('aria-busy', 'true');
  input.disabled = true;
  try {
    const updated = await patch(emailId, { [field]: on });
    const label = TOGGLES.find(([name]) => name === field)[1];
    if (!updated.login && input.closest('#unlinked-body')) {
      // An unlinked address without LOGIN has nothing left on this account: it leaves the list.
      state.rows.delete(emailId);
      rowNode(emailId).remove();
      const list = $('#unlinked-body');
      if (!list.querySelector('.row')) list.replaceChildren(noUnlinked());
      $('#unlinked-title').focus();
      announce(`LOGIN is off for ${row.address}: it has no access to this account any more.`);
      return;
    }
    replaceRow(updated, field);
    announce(`${label} is ${on ? 'on' : 'off'} for ${row.address}.`);
  } catch (failure) {
    if (handledGlobally(failure)) return;
    input.checked = row[field];
    input.disabled = false;
    input.removeAttribute('aria-busy');
    input.focus();
    showRowError(emailId, failure.message);
  }
}

async function sendInvitation(emailId) {
  const row = state.rows.get(emailId);
  const button = control(emailId, 'invite');
  showRowError(emailId, '');
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    const accountId = state.account.account_id;
    const updated = await api(
      `/v1/accounts/${encodeURIComponent(accountId)}/emails/${encodeURIComponent(emailId)}/invitation`,
      { method: 'POST', token: token() },
    );
    replaceRow(updated, 'invite');
    announce(`Invitation sent to ${row.address}.`);
  } catch (failure) {
    if (handledGlobally(failure)) return;
    button.disabled = false;
    button.textContent = row.login_status === 'invited' ? 'Resend invitation' : 'Send invitation';
    button.focus();
    showRowError(emailId, failure.message);
  }
}

// ------------------------------------------------------------ "send it now?" dialog

function askToSend(row, input) {
  const dialog = $('#send-dialog');
  state.pending = { row, input };
  $('#send-text').replaceChildren(
    'LOGIN will be on for ',
    h('strong', { text: row.address }),
    ' on ',
    h('strong', { text: state.account.name || 'this account' }),
    '. The invitation email lets them choose a password and open this account in the client portal.',
  );
  $('#send-error').textContent = '';
  setSendBusy(false);
  openModal(dialog, { opener: input, focus: $('#send-now'), fallback: () => control(row.email_id, 'login') });
}

function setSendBusy(busy) {
  for (const button of document.querySelectorAll('#send-dialog button')) button.disabled = busy;
  $('#send-dialog').setAttribute('aria-busy', busy ? 'true' : 'false');
}

async function answerSend(sendNow) {
  const { row } = state.pending;
  setSendBusy(true);
  $('#send-error').textContent = '';
  try {
    const updated = await patch(row.email_id, sendNow ? { login: true, send_invitation: true } : { login: true });
    state.pending = null;
    $('#send-dialog').close();
    replaceRow(updated, 'login');
    announce(sendNow ? `LOGIN is on for ${row.address}; the invitation is on its way.` : `LOGIN is on for ${row.address}; no invitation sent yet.`);
  } catch (failure) {
    if (handledGlobally(failure)) return;
    setSendBusy(false);
    $('#send-error').textContent = failure.message;
  }
}

// ------------------------------------------------------------------ three-dots menu

function menu(row) {
  const id = `menu-${row.email_id}`;
  const button = h('button', {
    type: 'button',
    class: 'icon menu-button',
    'aria-label': `More for ${row.address}`,
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    'aria-controls': id,
    dataset: { control: 'menu' },
    text: '⋯',
  });
  const item = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', text: 'Notification preferences' });
  const list = h('ul', { role: 'menu', id, hidden: true, 'aria-label': `Actions for ${row.address}` }, h('li', { role: 'none' }, item));
  const items = () => [...list.querySelectorAll('[role="menuitem"]')];

  const close = (focusButton) => {
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (focusButton) button.focus();
  };
  const outside = (event) => {
    if (!list.contains(event.target) && event.target !== button) close(false);
  };
  const open = (index = 0) => {
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', outside, true);
    const all = items();
    all[(index + all.length) % all.length].focus();
  };

  button.addEventListener('click', () => (list.hidden ? open(0) : close(true)));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowDown' ? 0 : -1);
    }
  });
  list.addEventListener('keydown', (event) => {
    const all = items();
    const at = all.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      all[(at + (event.key === 'ArrowDown' ? 1 : -1) + all.length) % all.length].focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      all[event.key === 'Home' ? 0 : all.length - 1].focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  item.addEventListener('click', () => {
    close(false);
    openPreferences(row.email_id, button);
  });
  return h('div', { class: 'menu-wrap row-menu' }, button, list);
}

// --------------------------------------------------------- notification preferences

function preferencesPath(emailId) {
  return `/v1/accounts/${encodeURIComponent(state.account.account_id)}/emails/${encodeURIComponent(emailId)}/notification-preferences`;
}

function fillPreferences(preferences, enabled) {
  for (const input of document.querySelectorAll('#prefs-list input')) {
    input.checked = preferences[input.name] !== false;
    input.disabled = !enabled;
  }
}

async function openPreferences(emailId, opener) {
  const user = me();
  const row = state.rows.get(emailId);
  const dialog = $('#prefs-dialog');
  dialog.dataset.emailId = emailId;
  $('#prefs-text').replaceChildren(
    'System notifications for ',
    h('strong', { text: row.address }),
    ' on ',
    h('strong', { text: state.account.name || 'this account' }),
    ', one switch per category.',
  );
  $('#prefs-notify-off').hidden = row.notify;
  $('#prefs-reason').textContent = user.canManage ? '' : READ_ONLY_REASON;
  $('#prefs-reason').hidden = user.canManage;
  $('#prefs-error').textContent = '';
  $('#prefs-save').disabled = true;
  $('#prefs-save').title = user.canManage ? '' : READ_ONLY_REASON;
  fillPreferences(row.notification_preferences, false); // what the row knows, until the API answers
  $('#prefs-fields').setAttribute('aria-busy', 'true');
  openModal(dialog, { opener, focus: $('#prefs-title'), fallback: () => control(emailId, 'menu') });
  try {
    const preferences = await api(preferencesPath(emailId), { token: token() });
    if (dialog.dataset.emailId !== emailId || !dialog.open) return;
    fillPreferences(preferences, user.canManage);
    $('#prefs-save').disabled = !user.canManage;
  } catch (failure) {
    if (handledGlobally(failure)) return;
    $('#prefs-error').textContent = failure.message;
  } finally {
    $('#prefs-fields').setAttribute('aria-busy', 'false');
  }
}

async function savePreferences(event) {
  event.preventDefault();
  const dialog = $('#prefs-dialog');
  const emailId = dialog.dataset.emailId;
  const body = {};
  for (const input of document.querySelectorAll('#prefs-list input')) body[input.name] = input.checked;
  const save = $('#prefs-save');
  save.disabled = true;
  save.textContent = 'Saving…';
  $('#prefs-error').textContent = '';
  try {
    const saved = await api(preferencesPath(emailId), { method: 'PUT', body, token: token() });
    const row = state.rows.get(emailId);
    if (row) state.rows.set(emailId, { ...row, notification_preferences: saved });
    dialog.close();
    announce(`Notification preferences saved for ${row ? row.address : 'this address'}.`);
  } catch (failure) {
    if (handledGlobally(failure)) return;
    $('#prefs-error').textContent = failure.message;
  } finally {
    save.disabled = false;
    save.textContent = 'Save';
  }
}

function buildPreferencesForm() {
  $('#prefs-list').replaceChildren(
    ...CATEGORIES.map(([name, title, description]) =>
      h(
        'label',
        { class: 'pref switch' },
        h('input', { type: 'checkbox', role: 'switch', name, 'aria-describedby': `pref-${name}` }),
        h('span', { class: 'pref-text' }, h('strong', { text: title }), h('span', { class: 'muted small', id: `pref-${name}`, text: description })),
      ),
    ),
  );
}

// --------------------------------------------------------------------------- events

function init() {
  buildPreferencesForm();
  signInForm($('#login-form'), '/v1/staff/login', store, () => route());
  $('#sign-out').addEventListener('click', () => {
    store.clear();
    showLogin();
    announce('You are signed out.');
  });
  $('#send-now').addEventListener('click', () => answerSend(true));
  $('#send-later').addEventListener('click', () => answerSend(false));
  $('#send-cancel').addEventListener('click', () => $('#send-dialog').close());
  $('#send-dialog').addEventListener('close', () => {
    state.pending = null;
  });
  $('#prefs-form').addEventListener('submit', savePreferences);
  $('#prefs-cancel').addEventListener('click', () => $('#prefs-dialog').close());
  window.addEventListener('hashchange', route);
  route();
}

init();
