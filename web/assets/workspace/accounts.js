// Accounts: search (GET /v1/accounts?q=), sort, page by page, create (a dialog: name and
// type, errors shown by field), open. The search and the sort live in the address
// (#/accounts?q=smith&sort=-created_at), so reloading or sharing keeps them.

import { $, announce, h, openModal } from '../dom.js';
import { call, me } from './context.js';
import { ACCOUNT_TYPES, emptyState, pagedList, pageTitle, setTitle, showFieldErrors, timeElement } from './ui.js';

const SORTS = [
  ['name', 'Name, A to Z'],
  ['-name', 'Name, Z to A'],
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
];
const PAGE = 25;
const CANNOT_CREATE = 'Creating accounts needs the manage accounts right: ask the firm owner or an admin.';

export function render(main, route) {
  const user = me();
  setTitle('Accounts');
  const params = route.params;
  let query = params.get('q') || '';
  let sort = SORTS.some(([value]) => value === params.get('sort')) ? params.get('sort') : 'name';

  const title = pageTitle('Accounts');
  const create = h('button', {
    type: 'button',
    class: 'primary',
    text: 'New account',
    disabled: !user.canManage,
    title: user.canManage ? null : CANNOT_CREATE,
  });
  const search = h('input', { id: 'accounts-search', type: 'search', name: 'q', value: query, autocomplete: 'off', placeholder: 'Name of the account' });
  const order = h(
    'select',
    { id: 'accounts-sort', name: 'sort' },
    ...SORTS.map(([value, label]) => h('option', { value, text: label, selected: value === sort })),
  );
  const status = h('p', { class: 'muted small', role: 'status', id: 'accounts-status' });
  const results = h('div', { id: 'accounts-results' });

  main.replaceChildren(
    h(
      'div',
      { class: 'page-head with-actions' },
      h('div', {}, title, h('p', { class: 'muted', text: 'Open an account to see its contacts, emails, documents, notifications and activity.' })),
      h('div', { class: 'actions' }, create),
    ),
    ...(user.canManage ? [] : [h('p', { class: 'muted small', text: CANNOT_CREATE })]),
    h(
      'form',
      { class: 'toolbar', role: 'search', 'aria-label': 'Accounts', onsubmit: (event) => (event.preventDefault(), draw(true)) },
      h('div', { class: 'field grow' }, h('label', { for: 'accounts-search', text: 'Search accounts' }), search),
      h('div', { class: 'field' }, h('label', { for: 'accounts-sort', text: 'Sort' }), order),
    ),
    status,
    results,
  );
  title.focus();

  const remember = () => {
    const next = new URLSearchParams();
    if (query) next.set('q', query);
    if (sort !== 'name') next.set('sort', sort);
    const hash = `#/accounts${next.toString() ? `?${next}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };

  const draw = (announceCount) => {
    remember();
    status.textContent = '';
    results.replaceChildren(
      pagedList({
        label: 'Accounts',
        listClass: 'account-list',
        more: 'Show more accounts',
        load: (cursor) => {
          const ask = new URLSearchParams({ sort, limit: String(PAGE) });
          if (query) ask.set('q', query);
          if (cursor) ask.set('cursor', cursor);
          return call(`/v1/accounts?${ask}`);
        },
        item: accountItem,
        empty: () =>
          query
            ? emptyState(`No account matches “${query}”`, 'Check the spelling, search for part of the name, or create the account.')
            : emptyState('No accounts yet', user.canManage ? 'Create the first one with New account.' : 'Accounts the firm creates appear here.'),
        onFirst: (page) => {
          if (!announceCount) return;
          const count = page.items.length;
          const words = count ? `${count}${page.next_cursor ? ' or more' : ''} account${count === 1 && !page.next_cursor ? '' : 's'} found` : 'No account found';
          status.textContent = query ? `${words} for “${query}”.` : `${words}.`;
        },
      }),
    );
  };

  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (search.value.trim() === query) return;
      query = search.value.trim();
      draw(true);
    }, 300);
  });
  order.addEventListener('change', () => {
    sort = order.value;
    draw(true);
  });
  create.addEventListener('click', () => openCreate(create));
  draw(false);
}

function accountItem(account) {
  return h(
    'li',
    {},
    h(
      'a',
      { href: `#/accounts/${encodeURIComponent(account.account_id)}` },
      h('span', { class: 'name', text: account.name }),
      h(
        'span',
        { class: 'muted small' },
        ACCOUNT_TYPES[account.type] || account.type,
        account.created_at ? h('span', { class: 'visually-hidden', text: ', created ' }) : null,
        account.created_at ? h('span', { class: 'created' }, ' · ', timeElement(account.created_at, false)) : null,
      ),
    ),
  );
}

// ------------------------------------------------------------------ new account

let wired = false;

function openCreate(opener) {
  const dialog = $('#account-dialog');
  const form = $('#account-form');
  if (!wired) {
    wired = true;
    form.addEventListener('submit', submitCreate);
    $('#account-cancel').addEventListener('click', () => dialog.close());
    $('#account-name-error').dataset.errorFor = 'name';
    $('#account-type-error').dataset.errorFor = 'type';
  }
  form.reset();
  showFieldErrors(form, [], ['name', 'type']);
  $('#account-error').textContent = '';
  openModal(dialog, { opener, focus: $('#account-name') });
}

async function submitCreate(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const name = form.name.value.trim();
  const type = (form.querySelector('input[name="type"]:checked') || {}).value;
  $('#account-error').textContent = '';
  const local = [];
  if (!name) local.push({ name: 'name', message: 'Enter the name of the account.' });
  if (!type) local.push({ name: 'type', message: 'Choose the type of the account.' });
  if (local.length) {
    const first = showFieldErrors(form, local, ['name', 'type']);
    if (first) first.focus();
    return;
  }
  showFieldErrors(form, [], ['name', 'type']);
  const save = $('#account-save');
  save.disabled = true;
  save.textContent = 'Creating…';
  try {
    const account = await call('/v1/accounts', { method: 'POST', body: { name, type } });
    $('#account-dialog').close();
    announce(`Account ${account.name} created.`);
    location.hash = `#/accounts/${encodeURIComponent(account.account_id)}`;
  } catch (failure) {
    if (failure.status === 401) return;
    const first = showFieldErrors(form, failure.fields, ['name', 'type']);
    $('#account-error').textContent = failure.fields && failure.fields.length ? 'Check the fields above.' : failure.message;
    if (first) first.focus();
  } finally {
    save.disabled = false;
    save.textContent = 'Create account';
  }
}
