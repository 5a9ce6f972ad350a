// An account's Info tab: the Contacts section. Every address of every linked contact with
// its LOGIN, NOTIFY and EMAIL SYNC switches, login status, invitations, notification
// preferences, and the unlinked emails; linking a contact (search, pick) and unlinking one.
// What takes access away asks first and says what the person loses. What the signed-in
// role may not change is disabled, with the reason.

import { $, announce, h, openModal, skeletonLines } from '../dom.js';
import { formatDate, locale, t } from '../i18n.js';
import { CATEGORIES, categoryHint, categoryTitle } from './categories.js';
import { call, me } from './context.js';
import { showInvitationHistory } from './invitation-history.js';
import { openSchedule } from './notification-schedule.js';
import { confirmAction, emptyState, fieldName, timeElement, tx } from './ui.js';

// The three switches of a row: the API's field and the catalog key of its name (TaxDome's
// words: LOGIN, NOTIFY / Verwittigen, EMAIL SYNC / e-mail SYNC).
const TOGGLES = [
  ['login', 'workspace.switch.login'],
  ['notify', 'workspace.switch.notify'],
  ['email_sync', 'workspace.switch.email_sync'],
];

function readOnlyReason() {
  return t('workspace.access.readOnly');
}

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
  return state.account.name || t('workspace.access.thisAccount');
}

// ----------------------------------------------------------------------- section

/** Draw the Info tab of `context.account` into `context.panel`. */
export function renderContacts(context) {
  const user = me();
  const readOnly = readOnlyReason();
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
    text: t('workspace.link.title'),
    disabled: !user.canManage,
    title: user.canManage ? null : readOnly,
    'aria-describedby': user.canManage ? null : 'role-reason',
    onclick: (event) => openLink(event.currentTarget),
  });

  context.panel.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'contacts-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'contacts-title', tabindex: '-1', text: t('workspace.access.title') }), linkButton),
      h('p', { class: 'muted small', text: t('workspace.access.intro') }),
      h('div', { class: 'note', id: 'nobody-notified', role: 'status', hidden: true }),
      user.canManage ? null : h('p', { class: 'note', id: 'role-reason', text: readOnly }),
      sectionError,
      contacts,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'unlinked-title' },
      h('h2', { id: 'unlinked-title', tabindex: '-1', text: t('workspace.access.unlinked') }),
      h('p', { class: 'muted small', text: t('workspace.access.unlinkedIntro') }),
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
    showNobodyNotified(section.nobody_notified);
    contacts.replaceChildren(
      ...(section.contacts.length
        ? section.contacts.map((contact) => contactElement(contact, user))
        : [emptyState(t('workspace.access.none'), t('workspace.access.noneHint'))]),
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
        text: t('workspace.unlink.button'),
        'aria-label': t('workspace.unlink.buttonNamed', { name }),
        disabled: !user.canManage,
        title: user.canManage ? null : readOnlyReason(),
        dataset: { control: 'unlink' },
        onclick: (event) => askUnlink(contact, name, event.currentTarget),
      }),
    ),
    ...contact.emails.map((row) => rowElement(row, user)),
  );
}

/** The no-NOTIFY warning above the table: nobody would receive this account's
 *  notifications, its invoices included, and what to do about it. */
function showNobodyNotified(nobody) {
  const banner = $('#nobody-notified');
  if (!banner) return;
  banner.hidden = !nobody;
  banner.replaceChildren(
    ...(nobody ? [h('strong', { text: t('workspace.access.nobodyNotified') }), ' ', t(state.rows.size ? 'workspace.access.nobodyNotifiedDo' : 'workspace.access.nobodyNotifiedLink')] : []),
  );
}

function noUnlinked() {
  return h('p', { class: 'muted', text: t('workspace.access.unlinkedNone') });
}

function rowSkeletons(count) {
  return Array.from({ length: count }, () => h('div', { class: 'row skeleton-row', 'aria-hidden': 'true' }, ...skeletonLines(2)));
}

// ------------------------------------------------------------------- one address

function statusChip(row) {
  switch (row.login_status) {
    case 'active':
      return h('span', { class: 'chip chip-active', text: t('workspace.status.active') });
    case 'invited':
      if (!row.invitation_expires_at) return h('span', { class: 'chip chip-invited', text: t('workspace.status.invited') });
      return h(
        'span',
        { class: 'chip chip-invited' },
        ...tx('workspace.status.invitedUntil', {
          date: h('time', { datetime: row.invitation_expires_at, text: formatDate(row.invitation_expires_at, { day: 'numeric', month: 'long', year: 'numeric' }) }),
        }),
      );
    case 'not_invited':
      return h('span', { class: 'chip chip-not_invited', text: t('workspace.status.notInvited') });
    default:
      return h('span', { class: 'chip', text: t('workspace.status.off') });
  }
}

/** What the row says under its switches: invitations, restored access, sync, unsubscribes. */
function rowNotes(row) {
  const notes = [];
  if (row.login && row.last_invited_at && row.login_status !== 'off') {
    notes.push(h('span', { class: 'muted small', 'data-note': 'last-invited' }, ...tx('workspace.note.lastInvited', { date: timeElement(row.last_invited_at) })));
  }
  if (row.login_status === 'active' && row.access_restored_at) {
    notes.push(
      h(
        'span',
        { class: 'small', 'data-note': 'restored' },
        ...tx('workspace.note.restored', { date: timeElement(row.access_restored_at) }),
      ),
    );
  }
  if (row.email_sync && row.email_sync_state === 'no_mailbox') {
    notes.push(
      h(
        'span',
        { class: 'small note-inline', 'data-note': 'no-mailbox' },
        t('workspace.note.noMailbox'),
        ' ',
        h('a', { href: '#/settings/mailbox', text: t('workspace.note.connectMailbox') }),
      ),
    );
  } else if (row.email_sync && row.email_sync_state === 'pending') {
    notes.push(h('span', { class: 'muted small', text: t('workspace.note.importing') }));
  } else if (row.email_sync && row.email_sync_state === 'error') {
    notes.push(
      h('span', { class: 'small note-inline' }, t('workspace.note.mailboxError'), ' ', h('a', { href: '#/settings/mailbox', text: t('workspace.note.seeMailbox') })),
    );
  }
  const off = row.unsubscribed_categories || [];
  if (off.length) {
    const list = new Intl.ListFormat(locale(), { type: 'conjunction' }).format(off.map(categoryTitle));
    notes.push(h('span', { class: 'small', 'data-note': 'unsubscribed' }, t('workspace.note.unsubscribed', { categories: list })));
  }
  return notes;
}

function rowElement(row, user) {
  const id = row.email_id;
  const disabledReason = user.canManage ? null : readOnlyReason();
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
      h('span', { class: 'switch-text', text: t(label) }),
      h('span', { class: 'visually-hidden', text: t('workspace.switch.for', { address: row.address }) }),
    ),
  );

  const invite = [];
  if (row.login && (row.login_status === 'not_invited' || row.login_status === 'invited')) {
    const again = row.login_status === 'invited';
    invite.push(
      h('button', {
        type: 'button',
        text: t(again ? 'workspace.invite.resend' : 'workspace.invite.send'),
        'aria-label': t(again ? 'workspace.invite.resendTo' : 'workspace.invite.sendTo', { address: row.address }),
        disabled: !user.canManage,
        title: disabledReason,
        'aria-describedby': describedBy,
        dataset: { control: 'invite' },
        onclick: () => sendInvitation(row.email_id),
      }),
    );
    if (user.canManage) {
      // an optional personal note, sent with the invitation (plain text, 1,000 characters)
      invite.push(
        h(
          'details',
          { class: 'invite-note' },
          h('summary', { text: t('workspace.invite.note') }),
          h('label', { class: 'visually-hidden', for: `note-${id}`, text: t('workspace.invite.note') }),
          h('textarea', { id: `note-${id}`, rows: 3, maxlength: 1000, dataset: { control: 'note' } }),
        ),
      );
    }
  }

  return h(
    'div',
    { class: 'row', role: 'group', 'aria-labelledby': `address-${id}`, dataset: { emailId: id } },
    h(
      'div',
      { class: 'row-address' },
      h('span', { class: 'address', id: `address-${id}`, text: row.address }),
      h('span', { class: 'muted small', text: fieldName(row) }),
    ),
    h('div', { class: 'row-toggles' }, ...toggles),
    h(
      'div',
      { class: 'row-state' },
      h('span', { class: 'row-status' }, h('span', { class: 'visually-hidden', text: t('workspace.status.label') }), statusChip(row)),
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
  showNobodyNotified([...state.rows.values()].every((row) => !row.notify));
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
  const values = { who, address: row.address, account };
  if (row.login_status === 'active') return t('workspace.loginOff.active', values);
  if (row.login_status === 'invited') return t('workspace.loginOff.invited', values);
  return t('workspace.loginOff.notInvited', values);
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
      title: t('workspace.loginOff.title'),
      text: loginOffText(row),
      ok: t('workspace.loginOff.ok'),
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
    const label = t(TOGGLES.find(([name]) => name === field)[1]);
    if (!updated.login && rowNode(emailId) && rowNode(emailId).closest('#unlinked-body')) {
      // An unlinked address without LOGIN has nothing left on this account: it leaves the list.
      state.rows.delete(emailId);
      rowNode(emailId).remove();
      const list = $('#unlinked-body');
      if (!list.querySelector('.row')) list.replaceChildren(noUnlinked());
      $('#unlinked-title').focus();
      announce(t('workspace.done.loginOffUnlinked', { address: row.address }));
      return;
    }
    replaceRow(updated, field);
    if (field === 'login' && updated.login_status === 'active' && updated.access_restored_at) {
      announce(t('workspace.done.restored', { address: row.address }));
    } else {
      announce(t(on ? 'workspace.done.switchOn' : 'workspace.done.switchOff', { label, address: row.address }));
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
  button.textContent = t('workspace.invite.sending');
  try {
    const note = (control(emailId, 'note')?.value || '').trim();
    const options = note ? { method: 'POST', body: { note } } : { method: 'POST' };
    const updated = await call(`${accountPath()}/emails/${encodeURIComponent(emailId)}/invitation`, options);
    replaceRow(updated, 'invite');
    const words = t(again ? 'workspace.invite.sentAgain' : 'workspace.invite.sent', { address: row.address });
    showRowDone(emailId, words);
    announce(words);
  } catch (failure) {
    if (failure.status === 401) return;
    button.disabled = false;
    button.textContent = t(again ? 'workspace.invite.resend' : 'workspace.invite.send');
    button.focus();
    showRowError(emailId, failure.message);
  }
}

// ------------------------------------------------------------ "send it now?" dialog

function askToSend(row, input) {
  const dialog = $('#send-dialog');
  state.pending = { row, input };
  $('#send-text').replaceChildren(
    ...tx('workspace.send.text', { address: h('strong', { text: row.address }), account: h('strong', { text: accountName() }) }),
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
      const words = t('workspace.done.restored', { address: row.address });
      showRowDone(row.email_id, words);
      announce(words);
    } else {
      announce(t(sendNow ? 'workspace.done.loginOnSent' : 'workspace.done.loginOnLater', { address: row.address }));
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
    'aria-label': t('workspace.menu.more', { address: row.address }),
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    'aria-controls': id,
    dataset: { control: 'menu' },
    text: '⋯',
  });
  const item = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', text: t('workspace.prefs.title') });
  const schedule = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', text: t('workspace.schedule.title') });
  const history = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', text: t('workspace.history.menu') });
  const list = h(
    'ul',
    { role: 'menu', id, hidden: true, 'aria-label': t('workspace.menu.actions', { address: row.address }) },
    h('li', { role: 'none' }, item),
    h('li', { role: 'none' }, schedule),
    h('li', { role: 'none' }, history),
  );
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
  schedule.addEventListener('click', () => {
    close(false);
    openSchedule({
      path: `${accountPath()}/emails/${encodeURIComponent(row.email_id)}/notification-schedule`,
      address: row.address,
      account: accountName(),
      canManage: me().canManage,
      reason: readOnlyReason(),
      opener: button,
      fallback: () => control(row.email_id, 'menu'),
    });
  });
  history.addEventListener('click', () => {
    close(false);
    showInvitationHistory({
      accountId: state.account.account_id,
      emailId: row.email_id,
      address: row.address,
      opener: button,
      fallback: () => control(row.email_id, 'menu'),
    });
  });
  return h('div', { class: 'menu-wrap row-menu' }, button, list);
}

// --------------------------------------------------------- notification preferences

function preferencesPath(emailId) {
  return `${accountPath()}/emails/${encodeURIComponent(emailId)}/notification-preferences`;
}

// What no switch changes (GET /v1/notification-rules), until the API answers: the kinds
// always sent are the same for every firm; the firm's locks are not known yet.
const NO_RULES = { required: [], locked_categories: [] };

function fillPreferences(preferences, enabled, unsubscribed, rules = NO_RULES) {
  const locked = rules.locked_categories || [];
  for (const input of document.querySelectorAll('#prefs-list input')) {
    input.checked = preferences[input.name] !== false;
    input.disabled = !enabled;
    const byClient = unsubscribed.includes(input.name) && !input.checked;
    const mark = document.getElementById(`pref-client-${input.name}`);
    mark.hidden = !byClient;
    document.getElementById(`pref-locked-${input.name}`).hidden = !locked.includes(input.name);
  }
  fillRequired(rules.required || []);
}

/** The kinds no switch stops (the API's `required`): shown on, disabled, explained. */
function fillRequired(required) {
  const group = $('#prefs-required');
  group.hidden = !required.length;
  group.replaceChildren(
    h('h3', { id: 'prefs-required-title', text: t('workspace.prefs.requiredTitle') }),
    h('p', { class: 'muted small', id: 'prefs-required-hint', text: t('workspace.prefs.requiredHint') }),
    ...required.map(({ detail_type: kind, category }) =>
      h(
        'label',
        { class: 'pref switch is-required', dataset: { required: kind } },
        h('input', { type: 'checkbox', role: 'switch', checked: true, disabled: true, 'aria-label': requiredName(kind), 'aria-describedby': 'prefs-required-hint' }),
        h(
          'span',
          { class: 'pref-text' },
          h('strong', { text: requiredName(kind) }),
          h('span', { class: 'muted small', text: category ? t('workspace.prefs.requiredIn', { category: categoryTitle(category) }) : t('workspace.prefs.alwaysSent') }),
        ),
      ),
    ),
  );
}

const REQUIRED_NAMES = ['PaymentConfirmed', 'InvitationRequested', 'AccessRestored', 'NewDeviceSignIn'];

function requiredName(kind) {
  return REQUIRED_NAMES.includes(kind) ? t(`workspace.prefs.required.${kind}`) : kind;
}

async function openPreferences(emailId, opener) {
  const user = me();
  const row = state.rows.get(emailId);
  const unsubscribed = row.unsubscribed_categories || [];
  const dialog = $('#prefs-dialog');
  dialog.dataset.emailId = emailId;
  buildPreferencesForm(); // in the language shown now
  $('#prefs-text').replaceChildren(
    ...tx('workspace.prefs.text', { address: h('strong', { text: row.address }), account: h('strong', { text: accountName() }) }),
  );
  $('#prefs-notify-off').hidden = row.notify;
  $('#prefs-reason').textContent = user.canManage ? '' : readOnlyReason();
  $('#prefs-reason').hidden = user.canManage;
  $('#prefs-error').textContent = '';
  $('#prefs-save').disabled = true;
  $('#prefs-save').title = user.canManage ? '' : readOnlyReason();
  fillPreferences(row.notification_preferences, false, unsubscribed); // what the row knows, until the API answers
  $('#prefs-fields').setAttribute('aria-busy', 'true');
  openModal(dialog, { opener, focus: $('#prefs-title'), fallback: () => control(emailId, 'menu') });
  try {
    const [preferences, rules] = await Promise.all([call(preferencesPath(emailId)), call('/v1/notification-rules')]);
    if (dialog.dataset.emailId !== emailId || !dialog.open) return;
    fillPreferences(preferences, user.canManage, unsubscribed, rules);
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
  save.textContent = t('workspace.action.saving');
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
    announce(t('workspace.prefs.saved', { address: row ? row.address : t('workspace.prefs.thisAddress') }));
  } catch (failure) {
    if (failure.status === 401) return;
    $('#prefs-error').textContent = failure.message;
  } finally {
    save.disabled = false;
    save.textContent = t('workspace.action.save');
  }
}

function buildPreferencesForm() {
  $('#prefs-list').replaceChildren(
    ...CATEGORIES.map((name) =>
      h(
        'label',
        { class: 'pref switch' },
        h('input', { type: 'checkbox', role: 'switch', name, 'aria-describedby': `pref-${name} pref-client-${name} pref-locked-${name}` }),
        h(
          'span',
          { class: 'pref-text' },
          h('strong', { text: categoryTitle(name) }),
          h('span', { class: 'muted small', id: `pref-${name}`, text: categoryHint(name) }),
          h('span', { class: 'chip chip-not_invited by-client', id: `pref-client-${name}`, hidden: true, text: t('workspace.prefs.byClient') }),
          h('span', { class: 'chip chip-invited', id: `pref-locked-${name}`, hidden: true, text: t('workspace.prefs.locked') }),
        ),
      ),
    ),
  );
  if (!$('#prefs-required')) $('#prefs-fields').append(h('div', { id: 'prefs-required', class: 'prefs-required', role: 'group', 'aria-labelledby': 'prefs-required-title', hidden: true }));
}

// ------------------------------------------------------------ link and unlink

let searchTimer = null;

function openLink(opener) {
  const dialog = $('#link-dialog');
  $('#link-form').reset();
  $('#link-text').replaceChildren(...tx('workspace.link.text', { account: h('strong', { text: accountName() }) }));
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
            h('span', { class: 'muted small', text: linked ? t('workspace.link.alreadyLinked', { addresses }) : addresses || t('workspace.link.noAddress') }),
          ),
        );
      }),
    );
    const count = page.items.length;
    if (count) status.textContent = t(page.next_cursor ? 'workspace.link.foundMore' : 'workspace.link.found', { count });
    else status.textContent = query ? t('workspace.link.noMatch', { query }) : t('workspace.link.none');
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
    $('#link-error').textContent = t('workspace.link.choose');
    return;
  }
  const save = $('#link-save');
  save.disabled = true;
  try {
    await call(`${accountPath()}/contacts`, { method: 'POST', body: { contact_id: picked.value } });
    const name = picked.closest('label').querySelector('strong').textContent;
    $('#link-dialog').close();
    await loadSection();
    announce(t('workspace.link.done', { name, account: accountName() }));
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
  const account = accountName();
  const text = [t(invited ? 'workspace.unlink.textInvited' : 'workspace.unlink.text', { name, account })];
  if (active.length) {
    const addresses = new Intl.ListFormat(locale(), { type: 'conjunction' }).format(active.map((row) => row.address));
    text.push(t('workspace.unlink.keeps', { addresses, count: active.length }));
  }
  confirmAction({
    title: t('workspace.unlink.title', { name }),
    text: text.join(' '),
    ok: t('workspace.unlink.button'),
    opener,
    fallback: () => $('#contacts-title'),
    action: async () => {
      await call(`${accountPath()}/contacts/${encodeURIComponent(contact.contact_id)}`, { method: 'DELETE' });
      await loadSection();
      announce(t('workspace.unlink.done', { name, account }));
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
