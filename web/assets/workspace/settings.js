// Settings (#/settings[/firm|/staff|/mailbox|/suppressions]): a sub-navigation and one
// page each. The firm's own settings are drawn here; the other pages are modules of their
// own (settings-staff.js, settings-mailbox.js, settings-suppressions.js).
//
// Firm: GET/PATCH /v1/firm/settings. Only what changed is sent; the API's per-field
// errors land under their fields. Owner and admin only may change them: for anyone else
// the form is read only and says why. The firm's language, time zone and form of address
// apply to this browser's pages as soon as they are saved.

import { h, skeletonLines } from '../dom.js';
import { LANGUAGES, formatDate, setFirmPreferences, t } from '../i18n.js';
import { CATEGORIES, categoryHint, categoryTitle } from './categories.js';
import { call, me, remember } from './context.js';
import { adminOnlyReason, clearErrors, ensureStyles, field, placeErrors, put, readOnlyNote } from './settings-common.js';
import { fillLocked, lockedChange, lockedSection } from './settings-locks.js';
import { pageTitle, setTitle } from './ui.js';

// [address, catalog key of its name, the page's module]
const PAGES = [
  ['firm', 'workspace.settings.firm', () => Promise.resolve({ render: renderFirm })],
  ['staff', 'workspace.settings.staff', () => import('./settings-staff.js')],
  ['mailbox', 'workspace.settings.mailbox', () => import('./settings-mailbox.js')],
  ['suppressions', 'workspace.settings.suppressions', () => import('./settings-suppressions.js')],
];

export async function render(main, route) {
  ensureStyles();
  const wanted = route.path[0] || 'firm';
  const page = PAGES.find(([key]) => key === wanted) || PAGES[0];
  const [key, name, load] = page;
  setTitle(t('workspace.settings.title', { page: t(name) }));
  const body = h('div', { class: 'settings-body' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin settings' },
      h(
        'nav',
        { class: 'subnav', 'aria-label': t('workspace.nav.settings') },
        h(
          'ul',
          {},
          ...PAGES.map(([value, label]) =>
            h('li', {}, h('a', { href: `#/settings/${value}`, text: t(label), 'aria-current': value === key ? 'page' : null })),
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

// [field, input type]: the words are `workspace.firm.<field>` and `.hint`
const CONTACT_FIELDS = [
  ['contact_email', 'email'],
  ['contact_phone', 'tel'],
  ['website', 'url'],
];

// Time zones a firm is likely to work in; the firm's own is added when it is another one.
const TIME_ZONES = [
  'Europe/Amsterdam',
  'Europe/Brussels',
  'Europe/Luxembourg',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'America/Curacao',
  'America/Aruba',
  'America/Paramaribo',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Dubai',
  'Asia/Singapore',
  'Australia/Sydney',
  'UTC',
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
  const title = pageTitle(t('workspace.firm.title'));
  const holder = h('div', { 'aria-busy': 'true' }, ...skeletonLines(6));
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.firm.intro') })),
    canEdit ? null : readOnlyNote('firm-read-only', adminOnlyReason()),
    holder,
  );
  title.focus();

  let settings;
  try {
    settings = await call('/v1/firm/settings');
  } catch (failure) {
    if (failure.status === 401) return;
    holder.replaceWith(h('p', { class: 'alert', role: 'alert', text: t('workspace.firm.unreadable', { message: failure.message }) }));
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
          text: t('workspace.firm.sendAgain'),
          onclick: async (event) => {
            const button = event.currentTarget;
            button.disabled = true;
            try {
              const sent = await call('/v1/firm/verification', { method: 'POST' });
              done.textContent = t('workspace.firm.sentAgain', { address: sent.sent_to });
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
    h('p', { text: t('workspace.firm.unverified') }),
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
  const form = h('form', { class: 'settings-form', novalidate: true, 'aria-label': t('workspace.firm.title') });
  const fieldset = h('fieldset', { disabled: !canEdit, 'aria-describedby': canEdit ? null : 'firm-read-only' });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.firm.save'), disabled: !canEdit });

  const contact = CONTACT_FIELDS.map(([name, type]) =>
    field({
      label: t(`workspace.firm.${name}`),
      hint: t(`workspace.firm.${name}.hint`),
      path: name,
      control: h('input', { type: type === 'url' ? 'text' : type, inputmode: type === 'url' ? 'url' : null, name, value: settings[name] || '', autocomplete: 'off' }),
    }),
  );
  const address = field({
    label: t('workspace.firm.address'),
    hint: t('workspace.firm.address.hint'),
    path: 'address',
    control: h('textarea', { name: 'address', rows: '3', text: settings.address || '' }),
  });
  const copies = field({
    label: t('workspace.firm.copies'),
    hint: t('workspace.firm.copies.hint'),
    path: 'copy_client_emails_to',
    control: h('textarea', { name: 'copy_client_emails_to', rows: '3', text: (settings.copy_client_emails_to || []).join('\n') }),
  });
  const neverSync = field({
    label: t('workspace.firm.neverSync'),
    hint: t('workspace.firm.neverSync.hint'),
    path: 'never_sync',
    control: h('textarea', { name: 'never_sync', rows: '3', text: (settings.never_sync || []).join('\n') }),
  });
  const prefs = settings.default_notification_preferences || {};
  const preferenceList = h(
    'ul',
    { class: 'prefs-list settings-prefs' },
    ...CATEGORIES.map((key) =>
      h(
        'li',
        { class: 'pref' },
        h(
          'span',
          { class: 'pref-text' },
          h('strong', { id: `pref-${key}-label`, text: categoryTitle(key) }),
          h('span', { class: 'muted small', id: `pref-${key}-hint`, text: categoryHint(key) }),
        ),
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
    languageSection(settings),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-contact-title' },
      h('h2', { id: 'firm-contact-title', text: t('workspace.firm.contactTitle') }),
      h('p', { class: 'muted small', text: t('workspace.firm.contactIntro') }),
      h('div', { class: 'grid-2' }, ...contact),
      address,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-email-title' },
      h('h2', { id: 'firm-email-title', text: t('workspace.firm.emailTitle') }),
      copies,
      h(
        'div',
        { class: 'switch-rows' },
        h('div', {}, switchControl('auto_save_attachments', t('workspace.firm.autoSave'), settings.auto_save_attachments, 'auto_save_attachments')),
        h('div', {}, switchControl('notify_staff_on_synced_email', t('workspace.firm.notifyStaff'), settings.notify_staff_on_synced_email, 'notify_staff_on_synced_email')),
        h('p', { class: 'error collapse', dataset: { errorPath: 'auto_save_attachments' } }),
        h('p', { class: 'error collapse', dataset: { errorPath: 'notify_staff_on_synced_email' } }),
      ),
      neverSync,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'firm-prefs-title' },
      h('h2', { id: 'firm-prefs-title', text: t('workspace.firm.prefsTitle') }),
      h('p', { class: 'muted small', text: t('workspace.firm.prefsIntro') }),
      preferenceList,
      h('p', { class: 'error collapse', dataset: { errorPath: 'default_notification_preferences' } }),
    ),
    lockedSection(settings),
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
      saved.textContent = t('workspace.firm.nothing');
      return;
    }
    save.disabled = true;
    save.textContent = t('workspace.action.saving');
    try {
      current = await call('/v1/firm/settings', { method: 'PATCH', body: change });
      fill(form, current);
      const time = formatDate(new Date(), { hour: '2-digit', minute: '2-digit' });
      saved.textContent = t('workspace.firm.saved', { time });
      if ('time_zone' in change || 'form_of_address' in change) applyToPages(current);
    } catch (failure) {
      if (failure.status === 401) return;
      const fields = (failure.fields || []).map((item) => withLine(item));
      const { first, unplaced } = placeErrors(form, fields);
      error.textContent = fields.length ? [t('workspace.firm.notSaved'), ...unplaced].join(' ') : failure.message;
      if (first) first.focus();
    } finally {
      save.disabled = false;
      save.textContent = t('workspace.firm.save');
    }
  });
  return form;
}

/** `copy_client_emails_to.2` says which line: "Line 3: ...". */
function withLine(item) {
  const match = /^(copy_client_emails_to|never_sync)\.(\d+)$/.exec(item.name || '');
  return match ? { ...item, message: t('workspace.firm.line', { line: Number(match[2]) + 1, message: item.message }) } : item;
}

// ------------------------------------------------------------- language and time

/** The firm's language (of emails to clients), time zone and form of address. */
function languageSection(settings) {
  const language = field({
    label: t('workspace.firm.language'),
    hint: t('workspace.firm.language.hint'),
    path: 'language',
    control: h(
      'select',
      { name: 'language' },
      ...['en', 'nl'].map((code) => h('option', { value: code, lang: code, text: LANGUAGES[code].name, selected: code === (settings.language || 'en') })),
    ),
  });
  const current = settings.time_zone || 'UTC';
  const zones = TIME_ZONES.includes(current) ? TIME_ZONES : [current, ...TIME_ZONES];
  const zone = field({
    label: t('workspace.firm.timeZone'),
    hint: t('workspace.firm.timeZone.hint'),
    path: 'time_zone',
    control: h('select', { name: 'time_zone' }, ...zones.map((name) => h('option', { value: name, text: zoneWords(name), selected: name === current }))),
  });
  const address = h(
    'fieldset',
    { class: 'field', 'aria-describedby': 'firm-address-form-hint' },
    h('legend', { text: t('workspace.firm.formOfAddress') }),
    h('p', { class: 'hint muted small', id: 'firm-address-form-hint', text: t('workspace.firm.formOfAddress.hint') }),
    h(
      'div',
      { class: 'choices' },
      ...['formal', 'informal'].map((value) =>
        h(
          'label',
          {},
          h('input', { type: 'radio', name: 'form_of_address', value, checked: value === (settings.form_of_address || 'formal'), dataset: { path: 'form_of_address' } }),
          ' ',
          t(`workspace.firm.formOfAddress.${value}`),
        ),
      ),
    ),
    h('p', { class: 'error collapse', dataset: { errorPath: 'form_of_address' } }),
  );
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'firm-language-title' },
    h('h2', { id: 'firm-language-title', text: t('workspace.firm.languageTitle') }),
    h('div', { class: 'grid-2' }, language, zone),
    address,
  );
}

/** "Europe/Amsterdam (UTC+1)": the zone's name and its offset now. */
function zoneWords(name) {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: name, timeZoneName: 'shortOffset' }).formatToParts(new Date());
    const offset = (parts.find((part) => part.type === 'timeZoneName') || {}).value;
    return offset && offset !== name ? `${name} (${offset.replace('GMT', 'UTC')})` : name;
  } catch {
    return name;
  }
}

/** Dates and the form of address of this browser's pages follow the firm's new settings. */
function applyToPages(settings) {
  remember({ time_zone: settings.time_zone, form_of_address: settings.form_of_address });
  setFirmPreferences({ informal: settings.form_of_address === 'informal', timeZone: settings.time_zone || 'UTC' });
}

function changes(form, current) {
  const change = {};
  for (const [name, fallback] of [
    ['language', 'en'],
    ['time_zone', 'UTC'],
  ]) {
    const value = form.elements[name].value;
    if (value !== (current[name] || fallback)) change[name] = value;
  }
  const address = form.querySelector('input[name="form_of_address"]:checked');
  if (address && address.value !== (current.form_of_address || 'formal')) change.form_of_address = address.value;
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
  const locked = lockedChange(form, current);
  if (locked) change.locked_categories = locked;
  return change;
}

function fill(form, settings) {
  form.elements.language.value = settings.language || 'en';
  form.elements.time_zone.value = settings.time_zone || 'UTC';
  for (const input of form.querySelectorAll('input[name="form_of_address"]')) input.checked = input.value === (settings.form_of_address || 'formal');
  for (const name of ['contact_email', 'contact_phone', 'website', 'address']) form.elements[name].value = settings[name] || '';
  form.elements.copy_client_emails_to.value = (settings.copy_client_emails_to || []).join('\n');
  form.elements.never_sync.value = (settings.never_sync || []).join('\n');
  form.elements.auto_save_attachments.checked = Boolean(settings.auto_save_attachments);
  form.elements.notify_staff_on_synced_email.checked = Boolean(settings.notify_staff_on_synced_email);
  const prefs = settings.default_notification_preferences || {};
  for (const input of form.querySelectorAll('[data-category]')) input.checked = prefs[input.dataset.category] !== false;
  fillLocked(form, settings);
}
