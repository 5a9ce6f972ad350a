// Contacts (#/contacts): the firm's contacts by last name (GET /v1/contacts?q=), searched,
// page by page, and New contact (a dialog: names and several addresses, each in an email
// field; POST /v1/contacts). #/contacts/import and #/contacts/{contact_id} are drawn by
// contacts-import.js and contacts-detail.js.

import { announce, h, openModal } from '../dom.js';
import { t } from '../i18n.js';
import { call, me } from './context.js';
import { readOnlyReason, clearErrors, ensureStyles, field, placeErrors, readOnlyNote } from './settings-common.js';
import { accountLinks, emptyState, fieldName, pagedList, pageTitle, setTitle } from './ui.js';

const PAGE = 25;

export async function render(main, route) {
  ensureStyles();
  const first = route.path[0];
  if (first === 'import') {
    const module = await import('./contacts-import.js');
    module.render(main, route);
  } else if (first) {
    const module = await import('./contacts-detail.js');
    module.render(main, first);
  } else {
    renderList(main, route);
  }
}

/** "Ann Smith", or the first address for a contact without a name. */
export function contactName(contact) {
  const name = `${contact.first_name || ''} ${contact.last_name || ''}`.trim();
  return name || (contact.emails && contact.emails[0] ? contact.emails[0].address : t('workspace.contacts.unnamed'));
}

/** The firm's email fields, every page: [{field_id, label}]. */
export async function emailFields() {
  const fields = [];
  let cursor = null;
  do {
    const page = await call(`/v1/email-fields?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    fields.push(...page.items);
    cursor = page.next_cursor || null;
  } while (cursor);
  return fields;
}

function renderList(main, route) {
  const user = me();
  setTitle(t('workspace.nav.contacts'));
  let query = route.params.get('q') || '';
  const title = pageTitle(t('workspace.nav.contacts'));
  const create = h('button', { type: 'button', class: 'primary', text: t('workspace.contacts.new'), disabled: !user.canManage, title: user.canManage ? null : readOnlyReason() });
  const importLink = user.canManage ? h('a', { class: 'button', href: '#/contacts/import', text: t('workspace.contacts.import') }) : null;
  const search = h('input', { id: 'contacts-search', type: 'search', name: 'q', value: query, autocomplete: 'off', placeholder: t('workspace.contacts.searchPlaceholder') });
  const status = h('p', { class: 'muted small', role: 'status', id: 'contacts-status' });
  const results = h('div', { id: 'contacts-results' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin contacts' },
      h(
        'div',
        { class: 'page-head with-actions' },
        h('div', {}, title, h('p', { class: 'muted', text: t('workspace.contacts.intro') })),
        h('div', { class: 'actions' }, importLink, create),
      ),
      user.canManage ? null : readOnlyNote('contacts-read-only', readOnlyReason()),
      h(
        'form',
        { class: 'toolbar', role: 'search', 'aria-label': t('workspace.nav.contacts'), onsubmit: (event) => (event.preventDefault(), changed()) },
        h('div', { class: 'field grow' }, h('label', { for: 'contacts-search', text: t('workspace.contacts.search') }), search),
      ),
      status,
      results,
    ),
  );
  title.focus();

  const draw = (announceCount) => {
    const hash = `#/contacts${query ? `?q=${encodeURIComponent(query)}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    status.textContent = '';
    results.replaceChildren(
      pagedList({
        label: t('workspace.nav.contacts'),
        listClass: 'item-list contact-list',
        more: t('workspace.contacts.more'),
        load: (cursor) => {
          const ask = new URLSearchParams({ limit: String(PAGE) });
          if (query) ask.set('q', query);
          if (cursor) ask.set('cursor', cursor);
          return call(`/v1/contacts?${ask}`);
        },
        item: contactItem,
        empty: () =>
          query
            ? emptyState(t('workspace.contacts.noMatch', { query }), t('workspace.contacts.noMatchHint'))
            : emptyState(t('workspace.contacts.none'), t(user.canManage ? 'workspace.contacts.noneHint' : 'workspace.contacts.noneHintReadOnly')),
        onFirst: (page) => {
          if (!announceCount) return;
          const count = page.items.length;
          const more = Boolean(page.next_cursor);
          const key = query
            ? more
              ? 'workspace.contacts.foundMoreQuery'
              : 'workspace.contacts.foundQuery'
            : more
              ? 'workspace.contacts.foundMore'
              : 'workspace.contacts.found';
          status.textContent = t(key, { count, query });
        },
      }),
    );
  };
  const changed = () => {
    if (search.value.trim() === query) return;
    query = search.value.trim();
    draw(true);
  };
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 300);
  });
  create.addEventListener('click', () => openCreate(create));
  draw(false);
}

function contactItem(contact) {
  const addresses = (contact.emails || []).map((email) => email.address).join(', ');
  return h(
    'li',
    { class: 'contact-item' },
    h('a', { class: 'name', href: `#/contacts/${encodeURIComponent(contact.contact_id)}`, text: contactName(contact) }),
    h('span', { class: 'muted small addresses', text: addresses || t('workspace.contacts.noAddress') }),
    contact.accounts && contact.accounts.length
      ? h('span', { class: 'small accounts' }, h('span', { class: 'visually-hidden', text: t('workspace.contacts.accountsLabel') }), ...accountLinks(contact.accounts))
      : h('span', { class: 'muted small accounts', text: t('workspace.contacts.noAccount') }),
  );
}

// ---------------------------------------------------------------- new contact

let dialog = null;

function fieldSelect(fields, selected, path) {
  return h(
    'select',
    { name: 'field_id', dataset: { path } },
    ...fields.map((item) => h('option', { value: item.field_id, text: fieldName(item), selected: item.field_id === selected })),
  );
}

function addressRow(fields, index, onRemove) {
  const address = h('input', { type: 'email', name: 'address', autocomplete: 'off' });
  const select = fieldSelect(fields, fields[0] && fields[0].field_id, `emails.${index}.field_id`);
  const remove = h('button', { type: 'button', class: 'link', text: t('workspace.contacts.remove'), 'aria-label': t('workspace.contacts.removeAddress', { number: index + 1 }) });
  const row = h(
    'div',
    { class: 'address-row', dataset: { index: String(index) } },
    field({ label: t('workspace.contacts.address', { number: index + 1 }), control: address, path: `emails.${index}.address`, className: 'field grow' }),
    field({ label: t('workspace.contacts.emailField'), control: select, path: `emails.${index}.field_id`, className: 'field' }),
    index ? remove : null,
  );
  remove.addEventListener('click', () => onRemove(row));
  return row;
}

async function openCreate(opener) {
  let fields;
  try {
    fields = await emailFields();
  } catch (failure) {
    if (failure.status !== 401) announce(failure.message);
    return;
  }
  if (dialog) dialog.remove();
  const first = h('input', { type: 'text', name: 'first_name', autocomplete: 'off' });
  const last = h('input', { type: 'text', name: 'last_name', autocomplete: 'off' });
  const rows = h('div', { class: 'address-rows' });
  const add = h('button', { type: 'button', text: t('workspace.contacts.addAddress') });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.contacts.create') });
  const cancel = h('button', { type: 'button', text: t('workspace.action.cancel') });
  const renumber = () => {
    [...rows.children].forEach((row, index) => {
      row.dataset.index = String(index);
      const [addressLabel] = row.querySelectorAll('label');
      addressLabel.textContent = t('workspace.contacts.address', { number: index + 1 });
      row.querySelector('input').dataset.path = `emails.${index}.address`;
      row.querySelector('select').dataset.path = `emails.${index}.field_id`;
      const lines = row.querySelectorAll('[data-error-path]');
      lines[0].dataset.errorPath = `emails.${index}.address`;
      lines[1].dataset.errorPath = `emails.${index}.field_id`;
      const remove = row.querySelector('button');
      if (remove) remove.setAttribute('aria-label', t('workspace.contacts.removeAddress', { number: index + 1 }));
    });
  };
  const removeRow = (row) => {
    row.remove();
    renumber();
    add.focus();
    announce(t('workspace.contacts.removed'));
  };
  rows.append(addressRow(fields, 0, removeRow));
  add.addEventListener('click', () => {
    const row = addressRow(fields, rows.children.length, removeRow);
    rows.append(row);
    row.querySelector('input').focus();
  });
  const form = h(
    'form',
    { novalidate: true },
    h('h2', { id: 'contact-dialog-title', text: t('workspace.contacts.new') }),
    h(
      'div',
      { class: 'grid-2' },
      field({ label: t('workspace.contacts.firstName'), control: first, path: 'first_name' }),
      field({ label: t('workspace.contacts.lastName'), control: last, path: 'last_name' }),
    ),
    rows,
    add,
    h('p', { class: 'error collapse', dataset: { errorPath: 'emails' } }),
    error,
    h('div', { class: 'form-actions' }, cancel, save),
  );
  dialog = h('dialog', { id: 'contact-dialog', class: 'wide', 'aria-labelledby': 'contact-dialog-title' }, form);
  document.body.append(dialog);
  const current = dialog;
  cancel.addEventListener('click', () => current.close());
  current.addEventListener('close', () => current.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clearErrors(form);
    const emails = [...rows.children]
      .map((row) => ({ address: row.querySelector('input').value.trim(), field_id: row.querySelector('select').value }))
      .filter((item) => item.address);
    const local = [];
    if (!first.value.trim() && !last.value.trim()) local.push({ name: 'first_name', message: t('workspace.contacts.nameMissing') });
    if (local.length) {
      placeErrors(form, local).first?.focus();
      return;
    }
    save.disabled = true;
    save.textContent = t('workspace.accounts.creating');
    try {
      const created = await call('/v1/contacts', { method: 'POST', body: { first_name: first.value.trim(), last_name: last.value.trim(), emails } });
      current.close();
      announce(t('workspace.contacts.created', { name: contactName(created) }));
      location.hash = `#/contacts/${encodeURIComponent(created.contact_id)}`;
    } catch (failure) {
      if (failure.status === 401) return;
      let fieldsErr = failure.fields || [];
      if (failure.status === 409) fieldsErr = duplicates(rows, failure.message);
      const placed = placeErrors(form, fieldsErr);
      error.textContent = fieldsErr.length ? [t('workspace.contacts.notCreated'), ...placed.unplaced].join(' ') : failure.message;
      if (placed.first) placed.first.focus();
    } finally {
      save.disabled = false;
      save.textContent = t('workspace.contacts.create');
    }
  });
  openModal(current, { opener, focus: first });
}

/** A 409: the address given twice, marked on its second row. */
function duplicates(rows, message) {
  const seen = new Set();
  const marked = [];
  [...rows.children].forEach((row, index) => {
    const value = row.querySelector('input').value.trim().toLowerCase();
    if (!value) return;
    if (seen.has(value)) marked.push({ name: `emails.${index}.address`, message: t('workspace.contacts.duplicate', { message }) });
    seen.add(value);
  });
  return marked.length ? marked : [{ name: 'emails', message }];
}
