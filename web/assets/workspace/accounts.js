// Accounts: search (GET /v1/accounts?q=), sort, page by page, create (a dialog: name and
// type, errors shown by field), open. The search and the sort live in the address
// (#/accounts?q=smith&sort=-created_at), so reloading or sharing keeps them; so does the
// filter of the accounts where no address has NOTIFY on (?nobody_notified=true), each of
// which carries a badge.

import { $, announce, h, openModal } from '../dom.js';
import { t } from '../i18n.js';
import { call, me } from './context.js';
import { accountType, emptyState, pagedList, pageTitle, setTitle, showFieldErrors, timeElement } from './ui.js';

const SORTS = [
  ['name', 'workspace.accounts.sort.nameAsc'],
  ['-name', 'workspace.accounts.sort.nameDesc'],
  ['-created_at', 'workspace.accounts.sort.newest'],
  ['created_at', 'workspace.accounts.sort.oldest'],
];
const PAGE = 25;

export function render(main, route) {
  const user = me();
  const cannotCreate = t('workspace.accounts.cannotCreate');
  setTitle(t('workspace.nav.accounts'));
  const params = route.params;
  let query = params.get('q') || '';
  let sort = SORTS.some(([value]) => value === params.get('sort')) ? params.get('sort') : 'name';
  let nobody = params.get('nobody_notified') === 'true';

  const title = pageTitle(t('workspace.nav.accounts'));
  const create = h('button', {
    type: 'button',
    class: 'primary',
    text: t('workspace.accounts.new'),
    disabled: !user.canManage,
    title: user.canManage ? null : cannotCreate,
  });
  const search = h('input', { id: 'accounts-search', type: 'search', name: 'q', value: query, autocomplete: 'off', placeholder: t('workspace.accounts.searchPlaceholder') });
  const order = h(
    'select',
    { id: 'accounts-sort', name: 'sort' },
    ...SORTS.map(([value, label]) => h('option', { value, text: t(label), selected: value === sort })),
  );
  const nobodyBox = h('input', { id: 'accounts-nobody', type: 'checkbox', name: 'nobody_notified', checked: nobody });
  const status = h('p', { class: 'muted small', role: 'status', id: 'accounts-status' });
  const results = h('div', { id: 'accounts-results' });

  main.replaceChildren(
    h(
      'div',
      { class: 'page-head with-actions' },
      h('div', {}, title, h('p', { class: 'muted', text: t('workspace.accounts.intro') })),
      h('div', { class: 'actions' }, create),
    ),
    ...(user.canManage ? [] : [h('p', { class: 'muted small', text: cannotCreate })]),
    h(
      'form',
      { class: 'toolbar', role: 'search', 'aria-label': t('workspace.nav.accounts'), onsubmit: (event) => (event.preventDefault(), draw(true)) },
      h('div', { class: 'field grow' }, h('label', { for: 'accounts-search', text: t('workspace.accounts.search') }), search),
      h('div', { class: 'field' }, h('label', { for: 'accounts-sort', text: t('workspace.accounts.sort') }), order),
      h('div', { class: 'toolbar-check' }, nobodyBox, h('label', { for: 'accounts-nobody', text: t('workspace.accounts.nobodyFilter') })),
    ),
    status,
    results,
  );
  title.focus();

  const remember = () => {
    const next = new URLSearchParams();
    if (query) next.set('q', query);
    if (sort !== 'name') next.set('sort', sort);
    if (nobody) next.set('nobody_notified', 'true');
    const hash = `#/accounts${next.toString() ? `?${next}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };

  const draw = (announceCount) => {
    remember();
    status.textContent = '';
    results.replaceChildren(
      pagedList({
        label: t('workspace.nav.accounts'),
        listClass: 'account-list',
        more: t('workspace.accounts.more'),
        load: (cursor) => {
          const ask = new URLSearchParams({ sort, limit: String(PAGE) });
          if (query) ask.set('q', query);
          if (nobody) ask.set('nobody_notified', 'true');
          if (cursor) ask.set('cursor', cursor);
          return call(`/v1/accounts?${ask}`);
        },
        item: accountItem,
        empty: () =>
          nobody && !query
            ? emptyState(t('workspace.accounts.nobodyNone'), t('workspace.accounts.nobodyNoneHint'))
            : query
            ? emptyState(t('workspace.accounts.noMatch', { query }), t('workspace.accounts.noMatchHint'))
            : emptyState(t('workspace.accounts.none'), t(user.canManage ? 'workspace.accounts.noneHint' : 'workspace.accounts.noneHintReadOnly')),
        onFirst: (page) => {
          if (!announceCount) return;
          const count = page.items.length;
          const more = Boolean(page.next_cursor);
          const key = query
            ? more
              ? 'workspace.accounts.foundMoreQuery'
              : 'workspace.accounts.foundQuery'
            : more
              ? 'workspace.accounts.foundMore'
              : 'workspace.accounts.found';
          status.textContent = t(key, { count, query });
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
  nobodyBox.addEventListener('change', () => {
    nobody = nobodyBox.checked;
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
        accountType(account.type),
        account.created_at ? h('span', { class: 'visually-hidden', text: t('workspace.accounts.created') }) : null,
        account.created_at ? h('span', { class: 'created' }, ' · ', timeElement(account.created_at, false)) : null,
      ),
      account.nobody_notified
        ? h('span', { class: 'chip chip-not_invited', dataset: { badge: 'nobody-notified' }, title: t('workspace.accounts.nobodyBadgeHint'), text: t('workspace.accounts.nobodyBadge') })
        : null,
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
  if (!name) local.push({ name: 'name', message: t('workspace.accounts.nameMissing') });
  if (!type) local.push({ name: 'type', message: t('workspace.accounts.typeMissing') });
  if (local.length) {
    const first = showFieldErrors(form, local, ['name', 'type']);
    if (first) first.focus();
    return;
  }
  showFieldErrors(form, [], ['name', 'type']);
  const save = $('#account-save');
  save.disabled = true;
  save.textContent = t('workspace.accounts.creating');
  try {
    const account = await call('/v1/accounts', { method: 'POST', body: { name, type } });
    $('#account-dialog').close();
    announce(t('workspace.accounts.createdNamed', { name: account.name }));
    location.hash = `#/accounts/${encodeURIComponent(account.account_id)}`;
  } catch (failure) {
    if (failure.status === 401) return;
    const first = showFieldErrors(form, failure.fields, ['name', 'type']);
    $('#account-error').textContent = failure.fields && failure.fields.length ? t('workspace.form.checkFields') : failure.message;
    if (first) first.focus();
  } finally {
    save.disabled = false;
    save.textContent = t('workspace.accounts.create');
  }
}
