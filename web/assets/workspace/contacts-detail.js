// A contact (#/contacts/{contact_id}): names and language (PATCH /v1/contacts/{id}), the
// addresses (add one in any email field, a new custom field included; change one, saying
// what that does to a pending invitation or an active user; remove one, confirmed), and
// the accounts the contact is linked to (link from a search of the accounts, unlink
// confirmed). Without the manage accounts right everything is read only, with the reason.

import { announce, h, openModal, skeletonLines } from '../dom.js';
import { LANGUAGES, t } from '../i18n.js';
import { contactName, emailFields } from './contacts.js';
import { call, me } from './context.js';
import { readOnlyReason, clearErrors, confirmAction, field, placeErrors, readOnlyNote } from './settings-common.js';
import { accountLinks, emptyState, fieldName, pageTitle, setTitle } from './ui.js';

// The languages a contact's emails can be written in; '' is the firm's (null in the API).
const CONTACT_LANGUAGES = ['', 'en', 'nl'];
const NEW_FIELD = '__new__';

const state = { contact: null, fields: [], user: null, main: null };

export async function render(main, contactId) {
  state.user = me();
  state.main = main;
  const contactWord = t('workspace.contact.title');
  setTitle(contactWord);
  const title = pageTitle(contactWord);
  main.replaceChildren(
    h('div', { class: 'ws-admin contact-page' }, breadcrumb(contactWord), h('div', { class: 'page-head' }, title), h('div', { 'aria-busy': 'true' }, ...skeletonLines(5))),
  );
  title.focus();
  try {
    const [contact, fields] = await Promise.all([call(`/v1/contacts/${encodeURIComponent(contactId)}`), emailFields()]);
    if (!title.isConnected) return;
    state.contact = contact;
    state.fields = fields;
  } catch (failure) {
    if (failure.status === 401 || !title.isConnected) return;
    const missing = failure.status === 404;
    main.replaceChildren(
      h(
        'div',
        { class: 'ws-admin contact-page' },
        breadcrumb(missing ? t('workspace.contact.notFoundShort') : contactWord),
        h('div', { class: 'page-head' }, pageTitle(missing ? t('workspace.contact.notFound') : contactWord)),
        h('p', { class: 'alert', role: 'alert', text: missing ? t('workspace.contact.notFoundText') : failure.message }),
      ),
    );
    main.querySelector('h1').focus();
    return;
  }
  draw(true);
}

function breadcrumb(current) {
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('workspace.breadcrumb') },
    h('ol', {}, h('li', {}, h('a', { href: '#/contacts', text: t('workspace.nav.contacts') })), h('li', {}, h('span', { 'aria-current': 'page', text: current }))),
  );
}

async function reload(focusId) {
  state.contact = await call(`/v1/contacts/${encodeURIComponent(state.contact.contact_id)}`);
  draw(false, focusId);
}

function draw(first, focusId) {
  const { contact, user } = state;
  const name = contactName(contact);
  setTitle(t('workspace.contact.pageTitle', { name }));
  const title = pageTitle(name);
  state.main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin contact-page' },
      breadcrumb(name),
      h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.contact.summary', { addresses: t('workspace.contact.addresses', { count: contact.emails.length }), accounts: t('workspace.contact.accounts', { count: contact.accounts.length }) }) })),
      user.canManage ? null : readOnlyNote('contact-read-only', readOnlyReason()),
      h('p', { class: 'visually-hidden', role: 'status', id: 'contact-status' }),
      h('div', { class: 'contact-grid' }, detailsPanel(), addressesPanel(), accountsPanel()),
    ),
  );
  const target = focusId ? document.getElementById(focusId) : first ? title : null;
  if (target) target.focus();
}

function say(message) {
  const status = document.getElementById('contact-status');
  if (status) status.textContent = message;
  announce(message);
}

function path() {
  return `/v1/contacts/${encodeURIComponent(state.contact.contact_id)}`;
}

function fieldLabel(fieldId, fallback) {
  const found = state.fields.find((item) => item.field_id === fieldId);
  return found ? fieldName(found) : fallback || t('workspace.contact.emailDefault');
}

// ------------------------------------------------------------------ details

function detailsPanel() {
  const { contact, user } = state;
  const first = h('input', { type: 'text', name: 'first_name', value: contact.first_name || '', autocomplete: 'off' });
  const last = h('input', { type: 'text', name: 'last_name', value: contact.last_name || '', autocomplete: 'off' });
  const language = h(
    'select',
    { name: 'language' },
    ...CONTACT_LANGUAGES.map((value) =>
      h('option', { value, lang: value || null, text: value ? LANGUAGES[value].name : t('workspace.contact.languageFirm'), selected: (contact.language || '') === value }),
    ),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.contact.saveDetails') });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'details-title' },
    h('h2', { id: 'details-title', tabindex: '-1', text: t('workspace.contact.details') }),
    h(
      'fieldset',
      { disabled: !user.canManage },
      h(
        'div',
        { class: 'grid-2' },
        field({ label: t('workspace.contacts.firstName'), control: first, path: 'first_name' }),
        field({ label: t('workspace.contacts.lastName'), control: last, path: 'last_name' }),
      ),
      field({ label: t('workspace.contact.language'), control: language, path: 'language', hint: t('workspace.contact.language.hint') }),
    ),
    error,
    user.canManage ? h('div', { class: 'form-actions' }, save) : null,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clearErrors(form);
    const change = {};
    if (first.value.trim() !== (contact.first_name || '')) change.first_name = first.value.trim();
    if (last.value.trim() !== (contact.last_name || '')) change.last_name = last.value.trim();
    if (language.value !== (contact.language || '')) change.language = language.value || null;
    if (!Object.keys(change).length) {
      say(t('workspace.contact.nothing'));
      return;
    }
    save.disabled = true;
    try {
      await call(path(), { method: 'PATCH', body: change });
      await reload('details-title');
      say(t('workspace.contact.saved'));
    } catch (failure) {
      if (failure.status === 401) return;
      const placed = placeErrors(form, failure.fields);
      error.textContent = failure.fields && failure.fields.length ? [t('workspace.contact.notSaved'), ...placed.unplaced].join(' ') : failure.message;
      placed.first?.focus();
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// ---------------------------------------------------------------- addresses

function fieldChoice(selected, path) {
  return h(
    'select',
    { name: 'field_id' },
    ...state.fields.map((item) => h('option', { value: item.field_id, text: fieldName(item), selected: item.field_id === selected })),
    h('option', { value: NEW_FIELD, text: t('workspace.contact.newField') }),
  );
}

/** The email field select and, when "New email field…" is chosen, the new field's name. */
function fieldPicker(selected, prefix) {
  const select = fieldChoice(selected);
  const label = h('input', { type: 'text', name: 'new_field_label', autocomplete: 'off', placeholder: t('workspace.contact.newFieldPlaceholder') });
  const labelField = field({ label: t('workspace.contact.newFieldName'), control: label, path: 'label', hint: t('workspace.contact.newFieldName.hint') });
  labelField.hidden = true;
  select.addEventListener('change', () => {
    labelField.hidden = select.value !== NEW_FIELD;
    if (!labelField.hidden) label.focus();
  });
  return {
    select: field({ label: t('workspace.contacts.emailField'), control: select, path: `${prefix}field_id` }),
    labelField,
    /** The chosen field_id, creating the new field first when asked; null if it failed. */
    async fieldId(form) {
      if (select.value !== NEW_FIELD) return select.value;
      const text = label.value.trim();
      if (!text) {
        placeErrors(form, [{ name: 'label', message: t('workspace.contact.newFieldMissing') }]).first?.focus();
        return null;
      }
      const created = await call('/v1/email-fields', { method: 'POST', body: { label: text } });
      state.fields.push(created);
      return created.field_id;
    },
  };
}

function addressesPanel() {
  const { contact, user } = state;
  const list = contact.emails.length
    ? h('ul', { class: 'item-list address-list', 'aria-labelledby': 'addresses-title' }, ...contact.emails.map(addressItem))
    : emptyState(t('workspace.link.noAddress'), user.canManage ? t('workspace.contact.addBelow') : '');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'addresses-title' },
    h('h2', { id: 'addresses-title', tabindex: '-1', text: t('workspace.contact.addressesTitle') }),
    list,
    user.canManage ? addAddressForm() : null,
  );
}

function addressItem(email) {
  const { user } = state;
  return h(
    'li',
    { class: 'address-item', dataset: { emailId: email.email_id } },
    h('span', { class: 'address', text: email.address }),
    h('span', { class: 'chip', text: fieldLabel(email.field_id, email.label) }),
    user.canManage
      ? h(
          'span',
          { class: 'item-actions' },
          h('button', {
            type: 'button',
            class: 'link',
            text: t('workspace.contact.change'),
            'aria-label': t('workspace.contact.changeNamed', { address: email.address }),
            onclick: (event) => openChange(email, event.currentTarget),
          }),
          h('button', {
            type: 'button',
            class: 'link danger-text',
            text: t('workspace.contacts.remove'),
            'aria-label': t('workspace.contact.removeNamed', { address: email.address }),
            onclick: (event) => askRemove(email, event.currentTarget),
          }),
        )
      : null,
  );
}

function addAddressForm() {
  const address = h('input', { type: 'email', name: 'address', autocomplete: 'off' });
  const picker = fieldPicker(state.fields[0] && state.fields[0].field_id, '');
  const error = h('p', { class: 'error', role: 'alert' });
  const add = h('button', { type: 'submit', text: t('workspace.contact.add') });
  const form = h(
    'form',
    { class: 'subform', novalidate: true, 'aria-labelledby': 'add-address-title' },
    h('h3', { id: 'add-address-title', text: t('workspace.contact.addTitle') }),
    h('div', { class: 'grid-2' }, field({ label: t('workspace.contact.address'), control: address, path: 'address' }), picker.select),
    picker.labelField,
    error,
    h('div', { class: 'form-actions' }, add),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clearErrors(form);
    if (!address.value.trim()) {
      placeErrors(form, [{ name: 'address', message: t('workspace.contact.addressMissing') }]).first?.focus();
      return;
    }
    add.disabled = true;
    try {
      const fieldId = await picker.fieldId(form);
      if (!fieldId) return;
      const added = await call(`${path()}/emails`, { method: 'POST', body: { address: address.value.trim(), field_id: fieldId } });
      await reload('addresses-title');
      say(t('workspace.contact.added', { address: added.address, field: fieldLabel(added.field_id, added.label) }));
    } catch (failure) {
      if (failure.status === 401) return;
      const fields = failure.status === 409 ? [{ name: 'address', message: failure.message }] : failure.fields || [];
      const placed = placeErrors(form, fields);
      error.textContent = fields.length ? [t('workspace.contact.notAdded'), ...placed.unplaced].join(' ') : failure.message;
      placed.first?.focus();
    } finally {
      add.disabled = false;
    }
  });
  return form;
}

let changeDialog = null;

function openChange(email, opener) {
  if (changeDialog) changeDialog.remove();
  const address = h('input', { type: 'email', name: 'address', value: email.address, autocomplete: 'off' });
  const picker = fieldPicker(email.field_id, '');
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.contact.saveAddress') });
  const cancel = h('button', { type: 'button', text: t('workspace.action.cancel') });
  const form = h(
    'form',
    { novalidate: true },
    h('h2', { id: 'change-title', text: t('workspace.contact.changeNamed', { address: email.address }) }),
    h('p', { class: 'note small', id: 'change-text', text: t('workspace.contact.changeEffect') }),
    field({ label: t('workspace.contact.address'), control: address, path: 'address' }),
    picker.select,
    picker.labelField,
    error,
    h('div', { class: 'form-actions' }, cancel, save),
  );
  changeDialog = h('dialog', { id: 'change-dialog', 'aria-labelledby': 'change-title', 'aria-describedby': 'change-text' }, form);
  document.body.append(changeDialog);
  const dialog = changeDialog;
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clearErrors(form);
    save.disabled = true;
    try {
      const fieldId = await picker.fieldId(form);
      if (!fieldId) return;
      const change = {};
      if (address.value.trim() !== email.address) change.address = address.value.trim();
      if (fieldId !== email.field_id) change.field_id = fieldId;
      if (Object.keys(change).length) {
        await call(`${path()}/emails/${encodeURIComponent(email.email_id)}`, { method: 'PATCH', body: change });
      }
      dialog.close();
      await reload('addresses-title');
      if (change.address) say(t('workspace.contact.changed', { address: change.address }));
      else say(t(Object.keys(change).length ? 'workspace.contact.fieldChanged' : 'workspace.contact.unchanged'));
    } catch (failure) {
      if (failure.status === 401) return;
      const fields = failure.status === 409 ? [{ name: 'address', message: failure.message }] : failure.fields || [];
      const placed = placeErrors(form, fields);
      error.textContent = fields.length ? [t('workspace.contact.notSavedShort'), ...placed.unplaced].join(' ') : failure.message;
      placed.first?.focus();
    } finally {
      save.disabled = false;
    }
  });
  openModal(dialog, { opener, focus: address, fallback: () => document.getElementById('addresses-title') });
}

function askRemove(email, opener) {
  confirmAction({
    title: t('workspace.contact.removeTitle', { address: email.address }),
    text: t('workspace.contact.removeText', { address: email.address, name: contactName(state.contact) }),
    ok: t('workspace.contact.removeOk'),
    opener,
    fallback: () => document.getElementById('addresses-title'),
    action: async () => {
      await call(`${path()}/emails/${encodeURIComponent(email.email_id)}`, { method: 'DELETE' });
      await reload('addresses-title');
      say(t('workspace.contact.removed', { address: email.address }));
    },
  });
}

// ----------------------------------------------------------------- accounts

function accountsPanel() {
  const { contact, user } = state;
  const list = contact.accounts.length
    ? h(
        'ul',
        { class: 'item-list account-links', 'aria-labelledby': 'accounts-title' },
        ...contact.accounts.map((account) =>
          h(
            'li',
            {},
            ...accountLinks([account]),
            user.canManage
              ? h('button', {
                  type: 'button',
                  class: 'link danger-text',
                  text: t('workspace.unlink.button'),
                  'aria-label': t('workspace.contact.unlinkFrom', { account: account.name }),
                  onclick: (event) => askUnlink(account, event.currentTarget),
                })
              : null,
          ),
        ),
      )
    : emptyState(t('workspace.contact.noAccounts'), user.canManage ? t('workspace.contact.noAccountsHint') : '');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'accounts-title' },
    h('h2', { id: 'accounts-title', tabindex: '-1', text: t('workspace.nav.accounts') }),
    list,
    user.canManage ? linkForm() : null,
  );
}

function linkForm() {
  const search = h('input', { type: 'search', name: 'q', autocomplete: 'off', placeholder: t('workspace.accounts.searchPlaceholder') });
  const results = h('ul', { class: 'item-list link-results', 'aria-label': t('workspace.contact.accountsFound') });
  const status = h('p', { class: 'muted small', role: 'status' });
  const error = h('p', { class: 'error collapse', role: 'alert' });
  const form = h(
    'form',
    { class: 'subform', role: 'search', 'aria-labelledby': 'link-title', novalidate: true },
    h('h3', { id: 'link-title', text: t('workspace.contact.linkTitle') }),
    field({ label: t('workspace.contact.findAccount'), control: search, path: 'q' }),
    status,
    results,
    error,
  );
  const linked = new Set(state.contact.accounts.map((account) => account.account_id));
  let asked = 0;
  const find = async () => {
    const q = search.value.trim();
    const number = ++asked;
    if (!q) {
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    try {
      const page = await call(`/v1/accounts?${new URLSearchParams({ q, limit: '10' })}`);
      if (number !== asked) return;
      const items = page.items.filter((account) => !linked.has(account.account_id));
      if (!items.length) status.textContent = t('workspace.contact.noOtherAccount', { query: q });
      else status.textContent = t(page.next_cursor ? 'workspace.accounts.foundMore' : 'workspace.accounts.found', { count: items.length });
      results.replaceChildren(
        ...items.map((account) =>
          h('li', {}, h('span', { text: account.name }), h('button', {
            type: 'button',
            text: t('workspace.link.submit'),
            'aria-label': t('workspace.contact.linkTo', { account: account.name }),
            onclick: (event) => link(account, event.currentTarget),
          }),),
        ),
      );
    } catch (failure) {
      if (failure.status !== 401) error.textContent = failure.message;
    }
  };
  const link = async (account, button) => {
    button.disabled = true;
    error.textContent = '';
    try {
      await call(`/v1/accounts/${encodeURIComponent(account.account_id)}/contacts`, { method: 'POST', body: { contact_id: state.contact.contact_id } });
      await reload('accounts-title');
      say(t('workspace.contact.linked', { account: account.name }));
    } catch (failure) {
      if (failure.status === 401) return;
      button.disabled = false;
      error.textContent = failure.message;
    }
  };
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, 250);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    find();
  });
  return form;
}

function askUnlink(account, opener) {
  const name = contactName(state.contact);
  confirmAction({
    title: t('workspace.contact.unlinkTitle', { account: account.name }),
    text: t('workspace.contact.unlinkText', { name, account: account.name }),
    ok: t('workspace.unlink.button'),
    opener,
    fallback: () => document.getElementById('accounts-title'),
    action: async () => {
      await call(`/v1/accounts/${encodeURIComponent(account.account_id)}/contacts/${encodeURIComponent(state.contact.contact_id)}`, { method: 'DELETE' });
      await reload('accounts-title');
      say(t('workspace.unlink.done', { name, account: account.name }));
    },
  });
}
