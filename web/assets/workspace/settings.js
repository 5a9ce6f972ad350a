// Settings (#/settings[/firm|/staff|/mailbox|/suppressions]): a sub-navigation and one
// page each. The firm's own settings are drawn here; the other pages are modules of their
// own (settings-staff.js, settings-mailbox.js, settings-suppressions.js).
//
// Firm: GET/PATCH /v1/firm/settings. Only what changed is sent; the API's per-field
// errors land under their fields. Owner and admin only may change them: for anyone else
// the form is read only and says why.

import { h, skeletonLines } from '../dom.js';
import { CATEGORIES } from './access.js';
import { call, me } from './context.js';
import { ADMIN_ONLY_REASON, clearErrors, ensureStyles, field, placeErrors, put, readOnlyNote } from './settings-common.js';
import { pageTitle, setTitle } from './ui.js';

const PAGES = [
  ['firm', 'Firm', () => Promise.resolve({ render: renderFirm })],
  ['staff', 'Staff', () => import('./settings-staff.js')],
  ['mailbox', 'Mailbox', () => import('./settings-mailbox.js')],
  ['suppressions', 'Suppressed addresses', () => import('./settings-suppressions.js')],
];

export async function render(main, route) {
  ensureStyles();
  const wanted = route.path[0] || 'firm';
  const page = PAGES.find(([key]) => key === wanted) || PAGES[0];
  const [key, name, load] = page;
  setTitle(`${name} · Settings`);
  const body = h('div', { class: 'settings-body' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin settings' },
      h(
        'nav',
        { class: 'subnav', 'aria-label': 'Settings' },
        h(
          'ul',
          {},
          ...PAGES.map(([value, label]) =>
            h('li', {}, h('a', { href: `#/settings/${value}`, text: label, 'aria-current': value === key ? 'page' : null })),
          ),
        ),
      ),
      body,
    ),
  );
  const module = await load();
  if (!body.isConnected) return;
  module.render(body, route);
}

// ---------------------------------------------------------------------- firm

const CONTACT_FIELDS = [
  ['contact_email', 'Email for clients', 'email', 'The address clients may write to; shown in the portal.'],
  ['contact_phone', 'Phone', 'tel', 'As clients should read it, e.g. +31 20 123 4567.'],
  ['website', 'Website', 'url', 'An https:// address.'],
];

function lines(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function sameList(a, b) {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

async function renderFirm(body) {
  const user = me();
  const canEdit = user.isAdmin;
  const title = pageTitle('Firm settings');
  const holder = h('div', { 'aria-busy': 'true' }, ...skeletonLines(6));
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'Copies of client emails, email sync, the notifications new contacts start with, and how clients reach the firm.' })),
    canEdit ? null : readOnlyNote('firm-read-only', ADMIN_ONLY_REASON),
    holder,
  );
  title.focus();

  let settings;
  try {
    settings = await call('/v1/firm/settings');
  } catch (failure) {
    if (failure.status === 401) return;
    holder.replaceWith(h('p', { class: 'alert', role: 'alert', text: `The settings could not be read. ${failure.message}` }));
    return;
  }
  if (!holder.isConnected) return;
  holder.replaceWith(firmForm(settings, canEdit));
  if (!settings.verified) body.querySelector('.page-head').after(unverifiedNote(user));
}

/** Until the owner confirms the address, the firm emails nobody else: say so, and let the
 * owner ask for the link again (POST /v1/firm/verification). */
function unverifiedNote(user) {
  const done = h('span', { class: 'saved-note', role: 'status' });
  const again =
    user.role === 'owner'
      ? h('button', {
          type: 'button',
          class: 'link',
          text: 'Send the link again',
          onclick: async (event) => {
            const button = event.currentTarget;
            button.disabled = true;
            try {
              const sent = await call('/v1/firm/verification', { method: 'POST' });
              done.textContent = `Sent to ${sent.sent_to}. Older links no longer work.`;
            } catch (failure) {
              if (failure.status !== 401) done.textContent = failure.message;
            } finally {
              button.disabled = false;
            }
          },
        })
      : null;
  return h(
    'div',
    { class: 'note', id: 'firm-unverified' },
    h('p', { text: 'The firm’s address is not confirmed yet. Until the owner opens the link we emailed when the firm was created, the firm emails nobody but its owner: no invitations, notifications or replies go out.' }),
    again,
    done,
  );
}

function switchControl(name, label, checked, path, describedBy) {
  const input = h('input', { type: 'checkbox', role: 'switch', name, checked, dataset: { path } });
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  return h('label', { class: 'switch' }, input, h('span', { text: label }));
}

function firmForm(settings, canEdit) {
  const form = h('form', { class: 'settings-form', novalidate: true, 'aria-label': 'Firm settings' });
  const fieldset = h('fieldset', { disabled: !canEdit, 'aria-describedby': canEdit ? null : 'firm-read-only' });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: 'Save settings', disabled: !canEdit });

  const contact = CONTACT_FIELDS.map(([name, label, type, hint]) =>
    field({
      label,
      hint,
      path: name,
      control: h('input', { type: type === 'url' ? 'text' : type, inputmode: type === 'url' ? 'url' : null, name, value: settings[name] || '', autocomplete: 'off' }),
    }),
  );
  const address = field({
    label: 'Postal address',
    hint: 'Up to 500 characters, on as many lines as it needs.',
    path: 'address',
    control: h('textarea', { name: 'address', rows: '3', text: settings.address || '' }),
  });
  const copies = field({
    label: 'Send a copy of every email to clients to',
    hint: 'One address a line (up to 20). Copies of invitations leave out the activation link.',
    path: 'copy_client_emails_to',
    control: h('textarea', { name: 'copy_client_emails_to', rows: '3', text: (settings.copy_client_emails_to || []).join('\n') }),
  });
  const neverSync = field({
    label: 'Never sync mail from or to',
    hint: 'One a line: an address (name@bank.example) or a domain with its @ (@bank.example, its subdomains included). Such mail is never stored.',
    path: 'never_sync',
    control: h('textarea', { name: 'never_sync', rows: '3', text: (settings.never_sync || []).join('\n') }),
  });
  const prefs = settings.default_notification_preferences || {};
  const preferenceList = h(
    'ul',
    { class: 'prefs-list settings-prefs' },
    ...CATEGORIES.map(([key, label, hint]) =>
      h(
        'li',
        { class: 'pref' },
        h('span', { class: 'pref-text' }, h('strong', { id: `pref-${key}-label`, text: label }), h('span', { class: 'muted small', id: `pref-${key}-hint`, text: hint })),
        h(
          'label',
          { class: 'switch' },
          h('input', {
            type: 'checkbox',
            role: 'switch',
            name: `pref-${key}`,
            checked: prefs[key] !== false,
            'aria-labelledby': `pref-${key}-label`,
            'aria-describedby': `pref-${key}-hint`,
            dataset: { path: `default_notification_preferences.${key}`, category: key },
          }),
        ),
      ),
    ),
  );

  fieldset.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-contact-title' },
      h('h2', { id: 'firm-contact-title', text: 'How clients reach the firm' }),
      h('p', { class: 'muted small', text: 'Shown to clients in the portal. Leave a field empty to remove it.' }),
      h('div', { class: 'grid-2' }, ...contact),
      address,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-email-title' },
      h('h2', { id: 'firm-email-title', text: 'Email' }),
      copies,
      h(
        'div',
        { class: 'switch-rows' },
        h('div', {}, switchControl('auto_save_attachments', 'Save attachments of synced emails to the account’s documents', settings.auto_save_attachments, 'auto_save_attachments')),
        h('div', {}, switchControl('notify_staff_on_synced_email', 'Tell staff when a synced email arrives', settings.notify_staff_on_synced_email, 'notify_staff_on_synced_email')),
        h('p', { class: 'error collapse', dataset: { errorPath: 'auto_save_attachments' } }),
        h('p', { class: 'error collapse', dataset: { errorPath: 'notify_staff_on_synced_email' } }),
      ),
      neverSync,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-prefs-title' },
      h('h2', { id: 'firm-prefs-title', text: 'Notifications new contacts start with' }),
      h('p', { class: 'muted small', text: 'What a newly linked address receives until it is changed on the account. Invitations and payment confirmations always go out.' }),
      preferenceList,
      h('p', { class: 'error collapse', dataset: { errorPath: 'default_notification_preferences' } }),
    ),
  );
  const saved = h('p', { class: 'saved-note', role: 'status' });
  form.append(fieldset, error, h('div', { class: 'form-actions' }, save, saved));

  let current = settings;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!canEdit) return;
    const change = changes(form, current);
    error.textContent = '';
    saved.textContent = '';
    clearErrors(form);
    if (!Object.keys(change).length) {
      saved.textContent = 'Nothing to save: no setting changed.';
      return;
    }
    save.disabled = true;
    save.textContent = 'Saving…';
    try {
      current = await call('/v1/firm/settings', { method: 'PATCH', body: change });
      fill(form, current);
      saved.textContent = `Settings saved at ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
    } catch (failure) {
      if (failure.status === 401) return;
      const fields = (failure.fields || []).map((item) => withLine(item));
      const { first, unplaced } = placeErrors(form, fields);
      error.textContent = fields.length ? ['Nothing was saved: check the fields marked.', ...unplaced].join(' ') : failure.message;
      if (first) first.focus();
    } finally {
      save.disabled = false;
      save.textContent = 'Save settings';
    }
  });
  return form;
}

/** `copy_client_emails_to.2` says which line: "Line 3: ...". */
function withLine(item) {
  const match = /^(copy_client_emails_to|never_sync)\.(\d+)$/.exec(item.name || '');
  return match ? { ...item, message: `Line ${Number(match[2]) + 1}: ${item.message}` } : item;
}

function changes(form, current) {
  const change = {};
  for (const name of ['contact_email', 'contact_phone', 'website', 'address']) {
    const value = form.elements[name].value.trim();
    if (value !== (current[name] || '')) change[name] = value;
  }
  for (const name of ['copy_client_emails_to', 'never_sync']) {
    const value = lines(form.elements[name].value);
    if (!sameList(value, current[name] || [])) change[name] = value;
  }
  for (const name of ['auto_save_attachments', 'notify_staff_on_synced_email']) {
    const value = form.elements[name].checked;
    if (value !== Boolean(current[name])) change[name] = value;
  }
  const prefs = {};
  const before = current.default_notification_preferences || {};
  for (const input of form.querySelectorAll('[data-category]')) {
    if (input.checked !== (before[input.dataset.category] !== false)) prefs[input.dataset.category] = input.checked;
  }
  if (Object.keys(prefs).length) change.default_notification_preferences = prefs;
  return change;
}

function fill(form, settings) {
  for (const name of ['contact_email', 'contact_phone', 'website', 'address']) form.elements[name].value = settings[name] || '';
  form.elements.copy_client_emails_to.value = (settings.copy_client_emails_to || []).join('\n');
  form.elements.never_sync.value = (settings.never_sync || []).join('\n');
  form.elements.auto_save_attachments.checked = Boolean(settings.auto_save_attachments);
  form.elements.notify_staff_on_synced_email.checked = Boolean(settings.notify_staff_on_synced_email);
  const prefs = settings.default_notification_preferences || {};
  for (const input of form.querySelectorAll('[data-category]')) input.checked = prefs[input.dataset.category] !== false;
}
