// Contacts (#/contacts): the firm's contacts by last name (GET /v1/contacts?q=), searched,
// page by page, and New contact (a dialog: names and several addresses, each in an email
// field; POST /v1/contacts). #/contacts/import and #/contacts/{contact_id} are drawn by
// contacts-import.js and contacts-detail.js.

import { announce, h, openModal } from '../dom.js';
import { call, me } from './context.js';
import { READ_ONLY_REASON, clearErrors, ensureStyles, field, placeErrors, readOnlyNote } from './settings-common.js';
import { accountLinks, emptyState, pagedList, pageTitle, setTitle } from './ui.js';

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
  return name || (contact.emails && contact.emails[0] ? contact.emails[0].address : 'Unnamed contact');
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
  setTitle('Contacts');
  let query = route.params.get('q') || '';
  const title = pageTitle('Contacts');
  const create = h('button', { type: 'button', class: 'primary', text: 'New contact', disabled: !user.canManage, title: user.canManage ? null : READ_ONLY_REASON });
  const importLink = user.canManage ? h('a', { class: 'button', href: '#/contacts/import', text: 'Import CSV' }) : null;
  const search = h('input', { id: 'contacts-search', type: 'search', name: 'q', value: query, autocomplete: 'off', placeholder: 'Name or address' });
  const status = h('p', { class: 'muted small', role: 'status', id: 'contacts-status' });
  const results = h('div', { id: 'contacts-results' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin contacts' },
      h(
        'div',
        { class: 'page-head with-actions' },
        h('div', {}, title, h('p', { class: 'muted', text: 'Everyone the firm works with, and their addresses. Link a contact to an account to give them access there.' })),
        h('div', { class: 'actions' }, importLink, create),
      ),
      user.canManage ? null : readOnlyNote('contacts-read-only', READ_ONLY_REASON),
      h(
        'form',
        { class: 'toolbar', role: 'search', 'aria-label': 'Contacts', onsubmit: (event) => (event.preventDefault(), changed()) },
        h('div', { class: 'field grow' }, h('label', { for: 'contacts-search', text: 'Search' }), search),
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
        label: 'Contacts',
        listClass: 'item-list contact-list',
        more: 'Show more contacts',
        load: (cursor) => {
          const ask = new URLSearchParams({ limit: String(PAGE) });
          if (query) ask.set('q', query);
          if (cursor) ask.set('cursor', cursor);
          return call(`/v1/contacts?${ask}`);
        },
        item: contactItem,
        empty: () =>
          query
            ? emptyState(`No contact matches “${query}”`, 'Search for part of a name or of an address, or create the contact.')
            : emptyState('No contacts yet', user.canManage ? 'Create one with New contact, or import a CSV file.' : 'Contacts the firm adds appear here.'),
        onFirst: (page) => {
          if (!announceCount) return;
          const count = page.items.length;
          const words = count ? `${count}${page.next_cursor ? ' or more' : ''} contact${count === 1 && !page.next_cursor ? '' : 's'} found` : 'No contact found';
          status.textContent = query ? `${words} for “${query}”.` : `${words}.`;
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
    h('span', { class: 'muted small addresses', text: addresses || 'No address' }),
    contact.accounts && contact.accounts.length ? h('span', { class: 'small accounts' }, h('span', { class: 'visually-hidden', text: 'Accounts: ' }), ...accountLinks(contact.accounts)) : h('span', { class: 'muted small accounts', text: 'No account' }),
  );
}

// ---------------------------------------------------------------- new contact

let dialog = null;

function fieldSelect(fields, selected, path) {
  return h(
    'select',
    { name: 'field_id', dataset: { path } },
    ...fields.map((item) => h('option', { value: item.field_id, text: item.label, selected: item.field_id === selected })),
  );
}

function addressRow(fields, index, onRemove) {
  const address = h('input', { type: 'email', name: 'address', autocomplete: 'off' });
  const select = fieldSelect(fields, fields[0] && fields[0].field_id, `emails.${index}.field_id`);
  const remove = h('button', { type: 'button', class: 'link', text: 'Remove', 'aria-label': `Remove address ${index + 1}` });
  const row = h(
    'div',
    { class: 'address-row', dataset: { index: String(index) } },
    field({ label: `Address ${index + 1}`, control: address, path: `emails.${index}.address`, className: 'field grow' }),
    field({ label: 'Email field', control: select, path: `emails.${index}.field_id`, className: 'field' }),
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
  const add = h('button', { type: 'button', text: 'Add another address' });
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: 'Create contact' });
  const cancel = h('button', { type: 'button', text: 'Cancel' });
  const renumber = () => {
    [...rows.children].forEach((row, index) => {
      row.dataset.index = String(index);
      const [addressLabel] = row.querySelectorAll('label');
      addressLabel.textContent = `Address ${index + 1}`;
      row.querySelector('input').dataset.path = `emails.${index}.address`;
      row.querySelector('select').dataset.path = `emails.${index}.field_id`;
      const lines = row.querySelectorAll('[data-error-path]');
      lines[0].dataset.errorPath = `emails.${index}.address`;
      lines[1].dataset.errorPath = `emails.${index}.field_id`;
      const remove = row.querySelector('button');
      if (remove) remove.setAttribute('aria-label', `Remove address ${index + 1}`);
    });
  };
  const removeRow = (row) => {
    row.remove();
    renumber();
    add.focus();
    announce('Address removed.');
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
    h('h2', { id: 'contact-dialog-title', text: 'New contact' }),
    h('div', { class: 'grid-2' }, field({ label: 'First name', control: first, path: 'first_name' }), field({ label: 'Last name', control: last, path: 'last_name' })),
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
    if (!first.value.trim() && !last.value.trim()) local.push({ name: 'first_name', message: 'Enter a first name or a last name.' });
    if (local.length) {
      placeErrors(form, local).first?.focus();
      return;
    }
    save.disabled = true;
    save.textContent = 'Creating…';
    try {
      const created = await call('/v1/contacts', { method: 'POST', body: { first_name: first.value.trim(), last_name: last.value.trim(), emails } });
      current.close();
      announce(`Contact ${contactName(created)} created.`);
      location.hash = `#/contacts/${encodeURIComponent(created.contact_id)}`;
    } catch (failure) {
      if (failure.status === 401) return;
      let fieldsErr = failure.fields || [];
      if (failure.status === 409) fieldsErr = duplicates(rows, failure.message);
      const placed = placeErrors(form, fieldsErr);
      error.textContent = fieldsErr.length ? ['The contact was not created: check the fields marked.', ...placed.unplaced].join(' ') : failure.message;
      if (placed.first) placed.first.focus();
    } finally {
      save.disabled = false;
      save.textContent = 'Create contact';
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
    if (seen.has(value)) marked.push({ name: `emails.${index}.address`, message: `${message} This address is already above.` });
    seen.add(value);
  });
  return marked.length ? marked : [{ name: 'emails', message }];
}
