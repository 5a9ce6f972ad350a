// An account's Info tab: the Contacts section. Every address of every linked contact with
// its LOGIN, NOTIFY and EMAIL SYNC switches, login status, invitations, notification
// preferences, and the unlinked emails; linking a contact (search, pick) and unlinking one.
// What takes access away asks first and says what the person loses. What the signed-in
// role may not change is disabled, with the reason.

import { $, announce, formatDate, h, openModal, skeletonLines } from '../dom.js';
import { call, me } from './context.js';
import { confirmAction, emptyState, timeElement } from './ui.js';

const TOGGLES = [
  ['login', 'LOGIN'],
  ['notify', 'NOTIFY'],
  ['email_sync', 'EMAIL SYNC'],
];

export const CATEGORIES = [
  ['documents_uploads', 'Documents, uploads', 'New documents uploaded by the firm.'],
  ['documents_signatures', 'Documents, signature requests', 'Documents awaiting signature; reminders about documents still to be signed.'],
  ['documents_approvals', 'Documents, approvals', 'Documents awaiting approval; reminders about them.'],
  ['chats_and_tasks', 'Chats and client tasks', 'New messages, client tasks included; new comments in chat threads.'],
  ['proposals', 'Proposals', 'New proposals to sign; reminders about pending ones.'],
  ['organizers', 'Organizers', 'New organizers to fill in; reminders about pending ones.'],
  ['invoices_and_payments', 'Invoices and payments', 'New invoices; reminders about unpaid invoices; payment confirmations; notices of refunds issued.'],
];

const READ_ONLY_REASON =
  'You can read these settings but not change them: your role is employee without the ' +
  'manage accounts right. Ask the firm owner or an admin to change them, or to give you that right.';

const state = {
  account: null, // the account shown: {account_id, name, type}
  rows: new Map(), // email_id -> ROW of the Contacts section
  people: new Map(), // email_id -> the first name of its contact (for the confirmations)
  linked: new Set(), // contact_id of every linked contact
  pending: null, // the LOGIN switch waiting for the send dialog: {row, input}
};

let wired = false;

function accountPath() {
  return `/v1/accounts/${encodeURIComponent(state.account.account_id)}`;
}

function accountName() {
  return state.account.name || 'this account';
}

// ----------------------------------------------------------------------- section

/** Draw the Info tab of `context.account` into `context.panel`. */
export function renderContacts(context) {
  const user = me();
  wire();
  state.account = context.account;
  state.rows = new Map();
  state.people = new Map();
  state.linked = new Set();
  const contacts = h('div', { id: 'contacts-body', 'aria-busy': 'true' }, ...rowSkeletons(3));
  const unlinked = h('div', { id: 'unlinked-body', 'aria-busy': 'true' }, ...rowSkeletons(1));
  const sectionError = h('p', { class: 'error collapse', role: 'alert', id: 'contacts-error' });
  const linkButton = h('button', {
    type: 'button',
    id: 'link-contact',
    text: 'Link a contact',
    disabled: !user.canManage,
    title: user.canManage ? null : READ_ONLY_REASON,
    'aria-describedby': user.canManage ? null : 'role-reason',
    onclick: (event) => openLink(event.currentTarget),
  });

  context.panel.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'contacts-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'contacts-title', tabindex: '-1', text: 'Contacts' }), linkButton),
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
  );
  loadSection();
}

async function loadSection() {
  const user = me();
  const contacts = $('#contacts-body');
  const unlinked = $('#unlinked-body');
  const accountId = state.account.account_id;
  try {
    const section = await call(`${accountPath()}/contacts`);
    if (!contacts.isConnected || state.account.account_id !== accountId) return;
    state.rows = new Map();
    state.people = new Map();
    state.linked = new Set(section.contacts.map((contact) => contact.contact_id));
    for (const contact of section.contacts) {
      for (const row of contact.emails) {
        state.rows.set(row.email_id, row);
        state.people.set(row.email_id, contact.first_name || row.address);
      }
    }
    for (const row of section.unlinked_emails) state.rows.set(row.email_id, row);
    contacts.replaceChildren(
      ...(section.contacts.length
        ? section.contacts.map((contact) => contactElement(contact, user))
        : [emptyState('No contacts linked yet', 'Link a contact to this account (Link a contact) to give them access to the portal, notifications and email sync.')]),
    );
    unlinked.replaceChildren(...(section.unlinked_emails.length ? section.unlinked_emails.map((row) => rowElement(row, user)) : [noUnlinked()]));
  } catch (failure) {
    if (failure.status === 401 || !contacts.isConnected) return;
    contacts.replaceChildren();
    unlinked.replaceChildren();
    $('#contacts-error').textContent = failure.message;
  } finally {
    contacts.setAttribute('aria-busy', 'false');
    unlinked.setAttribute('aria-busy', 'false');
  }
}

function contactElement(contact, user) {
  const name = `${contact.first_name} ${contact.last_name}`.trim();
  return h(
    'div',
    { class: 'contact', role: 'group', 'aria-labelledby': `contact-${contact.contact_id}`, dataset: { contactId: contact.contact_id } },
    h(
      'div',
      { class: 'contact-head' },
      h('h3', { id: `contact-${contact.contact_id}`, text: name }),
      h('button', {
        type: 'button',
        class: 'link',
        text: 'Unlink',
        'aria-label': `Unlink ${name}`,
        disabled: !user.canManage,
        title: user.canManage ? null : READ_ONLY_REASON,
        dataset: { control: 'unlink' },
        onclick: (event) => askUnlink(contact, name, event.currentTarget),
      }),
    ),
    ...contact.emails.map((row) => rowElement(row, user)),
  );
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

function categoryTitle(name) {
  const found = CATEGORIES.find(([key]) => key === name);
  return found ? found[1] : name;
}

/** What the row says under its switches: invitations, restored access, sync, unsubscribes. */
function rowNotes(row) {
  const notes = [];
  if (row.login && row.last_invited_at && row.login_status !== 'off') {
    notes.push(h('span', { class: 'muted small', 'data-note': 'last-invited' }, 'Last invitation sent ', timeElement(row.last_invited_at)));
  }
  if (row.login_status === 'active' && row.access_restored_at) {
    notes.push(
      h(
        'span',
        { class: 'small', 'data-note': 'restored' },
        'Access restored ',
        timeElement(row.access_restored_at),
        ' without a new password: they sign in with the password they already have.',
      ),
    );
  }
  if (row.email_sync && row.email_sync_state === 'no_mailbox') {
    notes.push(
      h(
        'span',
        { class: 'small note-inline', 'data-note': 'no-mailbox' },
        'No mailbox connected: nothing is synced until one is. ',
        h('a', { href: '#/settings/mailbox', text: 'Connect the mailbox in Settings' }),
      ),
    );
  } else if (row.email_sync && row.email_sync_state === 'pending') {
    notes.push(h('span', { class: 'muted small', text: 'Importing the earlier emails of this address.' }));
  } else if (row.email_sync && row.email_sync_state === 'error') {
    notes.push(h('span', { class: 'small note-inline' }, 'The firm’s mailbox needs attention: nothing new is synced. ', h('a', { href: '#/settings/mailbox', text: 'See the mailbox in Settings' })));
  }
  const off = row.unsubscribed_categories || [];
  if (off.length) {
    notes.push(h('span', { class: 'small', 'data-note': 'unsubscribed' }, `Turned off by the client: ${off.map(categoryTitle).join(', ')}.`));
  }
  return notes;
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
    h('div', { class: 'row-notes' }, ...rowNotes(row)),
    h('p', { class: 'row-done', role: 'status', 'data-role': 'row-done' }),
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

function showRowDone(emailId, message) {
  const node = rowNode(emailId);
  if (node) node.querySelector('[data-role="row-done"]').textContent = message;
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

function patch(emailId, body) {
  return call(`${accountPath()}/emails/${encodeURIComponent(emailId)}`, { method: 'PATCH', body });
}

/** What turning LOGIN off takes away, in words. */
function loginOffText(row) {
  const who = state.people.get(row.email_id) || row.address;
  const account = accountName();
  if (row.login_status === 'active') {
    return `${who} (${row.address}) can no longer open ${account} in the portal. Their portal login stays for any other account they have.`;
  }
  if (row.login_status === 'invited') {
    return `${who} (${row.address}) can no longer open ${account} in the portal; a pending invitation stops working.`;
  }
  return `${who} (${row.address}) will not be able to open ${account} in the portal; no invitation has been sent yet.`;
}

async function onToggle(event, emailId) {
  const input = event.currentTarget;
  const field = input.name;
  const row = state.rows.get(emailId);
  const on = input.checked;
  showRowError(emailId, '');
  showRowDone(emailId, '');
  if (field === 'login' && on) {
    input.checked = false; // on only once the firm has answered the question
    askToSend(row, input);
    return;
  }
  if (field === 'login' && !on) {
    input.checked = true; // off only once the firm has confirmed it
    confirmAction({
      title: 'Turn LOGIN off?',
      text: loginOffText(row),
      ok: 'Turn LOGIN off',
      opener: input,
      // an unlinked address leaves the list once LOGIN is off: then its heading
      fallback: () => control(emailId, 'login') || $('#unlinked-title'),
      action: () => applyToggle(input, emailId, field, false),
    });
    return;
  }
  await applyToggle(input, emailId, field, on).catch((failure) => {
    if (failure.status === 401) return;
    showRowError(emailId, failure.message);
  });
}

/** PATCH one switch; throws on failure (after putting the switch back). */
async function applyToggle(input, emailId, field, on) {
  const row = state.rows.get(emailId);
  input.setAttribute('aria-busy', 'true');
  input.disabled = true;
  try {
    const updated = await patch(emailId, { [field]: on });
    const label = TOGGLES.find(([name]) => name === field)[1];
    if (!updated.login && rowNode(emailId) && rowNode(emailId).closest('#unlinked-body')) {
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
    if (field === 'login' && updated.login_status === 'active' && updated.access_restored_at) {
      announce(`LOGIN is on for ${row.address}: access restored without a new password.`);
    } else {
      announce(`${label} is ${on ? 'on' : 'off'} for ${row.address}.`);
    }
  } catch (failure) {
    input.checked = row[field];
    input.disabled = false;
    input.removeAttribute('aria-busy');
    throw failure;
  }
}

async function sendInvitation(emailId) {
  const row = state.rows.get(emailId);
  const button = control(emailId, 'invite');
  const again = row.login_status === 'invited';
  showRowError(emailId, '');
  showRowDone(emailId, '');
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    const updated = await call(`${accountPath()}/emails/${encodeURIComponent(emailId)}/invitation`, { method: 'POST' });
    replaceRow(updated, 'invite');
    const words = `${again ? 'Invitation sent again' : 'Invitation sent'} to ${row.address}. Only the newest link works.`;
    showRowDone(emailId, words);
    announce(words);
  } catch (failure) {
    if (failure.status === 401) return;
    button.disabled = false;
    button.textContent = again ? 'Resend invitation' : 'Send invitation';
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
    h('strong', { text: accountName() }),
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
    if (updated.login_status === 'active') {
      const words = `LOGIN is on for ${row.address}: access restored without a new password.`;
      showRowDone(row.email_id, words);
      announce(words);
    } else {
      announce(sendNow ? `LOGIN is on for ${row.address}; the invitation is on its way.` : `LOGIN is on for ${row.address}; no invitation sent yet.`);
    }
  } catch (failure) {
    if (failure.status === 401) return;
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
  return `${accountPath()}/emails/${encodeURIComponent(emailId)}/notification-preferences`;
}

function fillPreferences(preferences, enabled, unsubscribed) {
  for (const input of document.querySelectorAll('#prefs-list input')) {
    input.checked = preferences[input.name] !== false;
    input.disabled = !enabled;
    const byClient = unsubscribed.includes(input.name) && !input.checked;
    const mark = document.getElementById(`pref-client-${input.name}`);
    mark.hidden = !byClient;
  }
}

async function openPreferences(emailId, opener) {
  const user = me();
  const row = state.rows.get(emailId);
  const unsubscribed = row.unsubscribed_categories || [];
  const dialog = $('#prefs-dialog');
  dialog.dataset.emailId = emailId;
  $('#prefs-text').replaceChildren(
    'System notifications for ',
    h('strong', { text: row.address }),
    ' on ',
    h('strong', { text: accountName() }),
    ', one switch per category.',
  );
  $('#prefs-notify-off').hidden = row.notify;
  $('#prefs-reason').textContent = user.canManage ? '' : READ_ONLY_REASON;
  $('#prefs-reason').hidden = user.canManage;
  $('#prefs-error').textContent = '';
  $('#prefs-save').disabled = true;
  $('#prefs-save').title = user.canManage ? '' : READ_ONLY_REASON;
  fillPreferences(row.notification_preferences, false, unsubscribed); // what the row knows, until the API answers
  $('#prefs-fields').setAttribute('aria-busy', 'true');
  openModal(dialog, { opener, focus: $('#prefs-title'), fallback: () => control(emailId, 'menu') });
  try {
    const preferences = await call(preferencesPath(emailId));
    if (dialog.dataset.emailId !== emailId || !dialog.open) return;
    fillPreferences(preferences, user.canManage, unsubscribed);
    $('#prefs-save').disabled = !user.canManage;
  } catch (failure) {
    if (failure.status === 401) return;
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
    const saved = await call(preferencesPath(emailId), { method: 'PUT', body });
    const row = state.rows.get(emailId);
    if (row) {
      // a category turned back on is no longer one the client turned off
      const unsubscribed = (row.unsubscribed_categories || []).filter((name) => saved[name] === false);
      replaceRow({ ...row, notification_preferences: saved, unsubscribed_categories: unsubscribed });
    }
    dialog.close();
    announce(`Notification preferences saved for ${row ? row.address : 'this address'}.`);
  } catch (failure) {
    if (failure.status === 401) return;
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
        h('input', { type: 'checkbox', role: 'switch', name, 'aria-describedby': `pref-${name} pref-client-${name}` }),
        h(
          'span',
          { class: 'pref-text' },
          h('strong', { text: title }),
          h('span', { class: 'muted small', id: `pref-${name}`, text: description }),
          h('span', { class: 'chip chip-not_invited by-client', id: `pref-client-${name}`, hidden: true, text: 'Turned off by the client' }),
        ),
      ),
    ),
  );
}

// ------------------------------------------------------------ link and unlink

let searchTimer = null;

function openLink(opener) {
  const dialog = $('#link-dialog');
  $('#link-form').reset();
  $('#link-text').replaceChildren('Find a contact by name or address and link them to ', h('strong', { text: accountName() }), '.');
  $('#link-error').textContent = '';
  $('#link-status').textContent = '';
  $('#link-list').replaceChildren();
  openModal(dialog, { opener, focus: $('#link-search'), fallback: () => $('#link-contact') });
  searchContacts('');
}

async function searchContacts(query) {
  const list = $('#link-list');
  const status = $('#link-status');
  const fields = $('#link-results');
  fields.setAttribute('aria-busy', 'true');
  try {
    const ask = new URLSearchParams({ limit: '20' });
    if (query) ask.set('q', query);
    const page = await call(`/v1/contacts?${ask}`);
    if ($('#link-search').value.trim() !== query) return; // a newer search is on its way
    list.replaceChildren(
      ...page.items.map((contact) => {
        const name = `${contact.first_name} ${contact.last_name}`.trim();
        const linked = state.linked.has(contact.contact_id);
        const addresses = (contact.emails || []).map((email) => email.address).join(', ');
        return h(
          'label',
          { class: `link-choice${linked ? ' is-linked' : ''}` },
          h('input', { type: 'radio', name: 'contact_id', value: contact.contact_id, disabled: linked }),
          h(
            'span',
            { class: 'pref-text' },
            h('strong', { text: name }),
            h('span', { class: 'muted small', text: linked ? `${addresses} · already linked` : addresses || 'No address yet' }),
          ),
        );
      }),
    );
    const count = page.items.length;
    status.textContent = count
      ? `${count}${page.next_cursor ? ' or more' : ''} contact${count === 1 ? '' : 's'} found${page.next_cursor ? ': search to narrow them down' : ''}.`
      : query
        ? `No contact matches “${query}”. Create the contact in Contacts first.`
        : 'No contacts yet: create them in Contacts first.';
  } catch (failure) {
    if (failure.status === 401) return;
    $('#link-error').textContent = failure.message;
  } finally {
    fields.setAttribute('aria-busy', 'false');
  }
}

async function submitLink(event) {
  event.preventDefault();
  const picked = $('#link-form').querySelector('input[name="contact_id"]:checked');
  $('#link-error').textContent = '';
  if (!picked) {
    $('#link-error').textContent = 'Choose the contact to link.';
    return;
  }
  const save = $('#link-save');
  save.disabled = true;
  try {
    await call(`${accountPath()}/contacts`, { method: 'POST', body: { contact_id: picked.value } });
    const name = picked.closest('label').querySelector('strong').textContent;
    $('#link-dialog').close();
    await loadSection();
    announce(`${name} is linked to ${accountName()}.`);
    $('#contacts-title').focus();
  } catch (failure) {
    if (failure.status === 401) return;
    $('#link-error').textContent = failure.message;
  } finally {
    save.disabled = false;
  }
}

function askUnlink(contact, name, opener) {
  const active = contact.emails.filter((row) => row.login_status === 'active');
  const invited = contact.emails.some((row) => row.login_status === 'invited');
  const keeps = active.length
    ? ` ${active.map((row) => row.address).join(', ')} already signs in to the portal and keeps access until LOGIN is turned off under Unlinked emails.`
    : '';
  confirmAction({
    title: `Unlink ${name}?`,
    text: `${name} will no longer be a contact of ${accountName()}: notifications and email sync stop for their addresses here${invited ? ', and a pending invitation stops working' : ''}.${keeps}`,
    ok: 'Unlink',
    opener,
    fallback: () => $('#contacts-title'),
    action: async () => {
      await call(`${accountPath()}/contacts/${encodeURIComponent(contact.contact_id)}`, { method: 'DELETE' });
      await loadSection();
      announce(`${name} is unlinked from ${accountName()}.`);
      $('#contacts-title').focus();
    },
  });
}

// ---------------------------------------------------------------------- wiring

function wire() {
  if (wired) return;
  wired = true;
  buildPreferencesForm();
  $('#send-now').addEventListener('click', () => answerSend(true));
  $('#send-later').addEventListener('click', () => answerSend(false));
  $('#send-cancel').addEventListener('click', () => $('#send-dialog').close());
  $('#send-dialog').addEventListener('close', () => {
    state.pending = null;
  });
  $('#prefs-form').addEventListener('submit', savePreferences);
  $('#prefs-cancel').addEventListener('click', () => $('#prefs-dialog').close());
  $('#link-form').addEventListener('submit', submitLink);
  $('#link-cancel').addEventListener('click', () => $('#link-dialog').close());
  $('#link-list').addEventListener('change', () => {
    $('#link-error').textContent = '';
  });
  $('#link-search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => searchContacts($('#link-search').value.trim()), 250);
  });
}
