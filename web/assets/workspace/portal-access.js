// Portal access (#/portal-access): every address with LOGIN on across the firm, where its
// invitation stands (waiting to be invited, invited, expired, bounced, active) with its
// dates, filters by status and account, page by page; rows are selected to be invited or
// invited again at once, with an optional personal note (POST /v1/portal-access/invitations).

import { announce, h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { call, me } from './context.js';
import { nobodyNotifiedBanner } from './notify-warning.js';
import { emptyState, pageTitle, setTitle, timeElement, tx } from './ui.js';

const STATUSES = ['not_invited', 'invited', 'expired', 'bounced', 'active'];
const NOTE_LIMIT = 1000;
const PAGE_SIZE = 50;

export function render(main, { params } = {}) {
  setTitle(t('workspace.portalAccess.title'));
  const title = pageTitle(t('workspace.portalAccess.title'));
  const user = me();
  const state = {
    status: STATUSES.includes(params?.get('status')) ? params.get('status') : '',
    accountId: params?.get('account_id') || '',
    cursors: [null], // the cursor of each page shown so far: back and forth
    page: 0,
    items: [],
    selected: new Map(), // `${account_id}/${email_id}` -> item
  };

  // ------------------------------------------------------------------ filters
  const statusSelect = h(
    'select',
    { id: 'pa-status', name: 'status' },
    h('option', { value: '', text: t('workspace.portalAccess.status.all') }),
    ...STATUSES.map((s) => h('option', { value: s, text: t(`workspace.portalAccess.status.${s}`) })),
  );
  statusSelect.value = state.status;
  const accountSelect = h('select', { id: 'pa-account', name: 'account_id' }, h('option', { value: '', text: t('workspace.portalAccess.allAccounts') }));
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('workspace.portalAccess.filters'), onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'pa-status', text: t('workspace.portalAccess.statusLabel') }), statusSelect),
    h('div', { class: 'field' }, h('label', { for: 'pa-account', text: t('workspace.portalAccess.accountLabel') }), accountSelect),
  );
  call('/v1/accounts?limit=100')
    .then((page) => {
      for (const account of page.items || []) accountSelect.append(h('option', { value: account.account_id, text: account.name }));
      accountSelect.value = state.accountId;
    })
    .catch(() => {});

  // ------------------------------------------------------------------ the list
  const selectAll = h('input', { type: 'checkbox', id: 'pa-select-all', onchange: () => selectPage(selectAll.checked) });
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'portal-access-table', 'aria-describedby': 'pa-count' },
    h('caption', { class: 'visually-hidden', text: t('workspace.portalAccess.title') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, h('label', { class: 'visually-hidden', for: 'pa-select-all', text: t('workspace.portalAccess.selectAll') }), selectAll),
        h('th', { scope: 'col', text: t('workspace.portalAccess.col.address') }),
        h('th', { scope: 'col', text: t('workspace.portalAccess.col.account') }),
        h('th', { scope: 'col', text: t('workspace.portalAccess.col.status') }),
        h('th', { scope: 'col', text: t('workspace.portalAccess.col.dates') }),
        h('th', { scope: 'col', text: t('workspace.portalAccess.col.history') }),
      ),
    ),
    body,
  );
  const listError = h('p', { class: 'error', role: 'alert' });
  const count = h('p', { id: 'pa-count', class: 'muted', role: 'status' });
  const previousButton = h('button', { type: 'button', text: t('workspace.portalAccess.previous'), onclick: () => show(state.page - 1) });
  const nextButton = h('button', { type: 'button', text: t('workspace.portalAccess.next'), onclick: () => show(state.page + 1) });
  const pager = h('nav', { class: 'pager', 'aria-label': t('workspace.portalAccess.pages') }, previousButton, nextButton);
  const holder = h('div', { class: 'table-scroll' }, table);

  // ------------------------------------------------------------------ sending
  const note = h('textarea', { id: 'pa-note', name: 'note', rows: 3, maxlength: NOTE_LIMIT, 'aria-describedby': 'pa-note-count' });
  const noteCount = h('p', { id: 'pa-note-count', class: 'muted small', 'aria-live': 'polite' });
  const updateCount = () => {
    noteCount.textContent = t('workspace.portalAccess.noteCount', { count: formatNumber(note.value.length), limit: formatNumber(NOTE_LIMIT) });
  };
  note.addEventListener('input', updateCount);
  updateCount();
  const sendButton = h('button', { type: 'submit', class: 'primary', disabled: true, text: t('workspace.portalAccess.invite', { count: 0 }) });
  const sendError = h('p', { class: 'error', role: 'alert' });
  const results = h('section', { class: 'panel bulk-results', 'aria-label': t('workspace.portalAccess.results'), hidden: true });
  const sendForm = h(
    'form',
    { class: 'bulk-invite panel', onsubmit: (e) => { e.preventDefault(); send(); } },
    h('div', { class: 'field' }, h('label', { for: 'pa-note', text: t('workspace.portalAccess.note') }), note, noteCount),
    h('p', { class: 'muted small', text: t('workspace.portalAccess.noteHint') }),
    sendError,
    h('div', { class: 'form-actions' }, sendButton),
  );
  if (!user || !user.canManage) {
    sendButton.title = t('workspace.portalAccess.readOnly');
  }

  // the accounts nobody is notified for (notify-warning.js), once known
  const warning = h('div', { id: 'portal-access-warning' });
  nobodyNotifiedBanner().then((banner) => warning.replaceChildren(...(banner ? [banner] : [])));
  main.replaceChildren(
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.portalAccess.intro') })),
    warning,
    filters,
    h('section', { class: 'panel', 'aria-labelledby': 'page-title' }, count, listError, holder, pager),
    sendForm,
    results,
  );
  title.focus();

  const refilter = () => {
    state.status = statusSelect.value;
    state.accountId = accountSelect.value;
    state.cursors = [null];
    state.selected.clear();
    show(0);
  };
  statusSelect.addEventListener('change', refilter);
  accountSelect.addEventListener('change', refilter);

  function key(item) {
    return `${item.account_id}/${item.email_id}`;
  }

  async function show(page) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (state.status) query.set('status', state.status);
    if (state.accountId) query.set('account_id', state.accountId);
    if (state.cursors[page]) query.set('cursor', state.cursors[page]);
    listError.textContent = '';
    table.setAttribute('aria-busy', 'true');
    try {
      const answer = await call(`/v1/portal-access?${query}`);
      state.page = page;
      state.items = answer.items;
      state.cursors[page + 1] = answer.next_cursor || null;
      drawRows();
      previousButton.disabled = page === 0;
      nextButton.disabled = !answer.next_cursor;
    } catch (failure) {
      if (failure.status === 401) return;
      listError.textContent = failure.message;
    } finally {
      table.setAttribute('aria-busy', 'false');
    }
  }

  function drawRows() {
    if (!state.items.length) {
      body.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, emptyState(t('workspace.portalAccess.none'), t('workspace.portalAccess.noneHint')))));
    } else {
      body.replaceChildren(...state.items.map(rowOf));
    }
    count.textContent = t('workspace.portalAccess.shown', { count: state.items.length });
    syncSelection();
  }

  function rowOf(item) {
    const id = `pa-${item.account_id}-${item.email_id}`;
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: state.selected.has(key(item)),
      disabled: item.status === 'active',
      onchange: () => {
        if (box.checked) state.selected.set(key(item), item);
        else state.selected.delete(key(item));
        syncSelection();
      },
    });
    const dates = [];
    if (item.last_invited_at) dates.push(h('span', { class: 'small' }, ...tx('workspace.portalAccess.lastInvited', { date: timeElement(item.last_invited_at) })));
    if (item.accepted_at) dates.push(h('span', { class: 'small' }, ...tx('workspace.portalAccess.accepted', { date: timeElement(item.accepted_at) })));
    if (item.last_sign_in_at) dates.push(h('span', { class: 'small' }, ...tx('workspace.portalAccess.lastSignIn', { date: timeElement(item.last_sign_in_at) })));
    const history = h('button', {
      type: 'button',
      class: 'link-button',
      text: t('workspace.portalAccess.history'),
      'aria-label': t('workspace.portalAccess.historyOf', { address: item.address }),
      onclick: () => openHistory(item, history),
    });
    return h(
      'tr',
      { class: item.status === 'not_invited' ? 'waiting' : '', dataset: { status: item.status, emailId: item.email_id } },
      h('td', {}, h('label', { class: 'visually-hidden', for: id, text: t('workspace.portalAccess.select', { address: item.address }) }), box),
      h('td', { class: 'address', text: item.address }),
      h('td', {}, h('a', { href: `#/accounts/${encodeURIComponent(item.account_id)}`, text: item.account_name })),
      h('td', {}, h('span', { class: `chip chip-${chipOf(item.status)}`, text: t(`workspace.portalAccess.status.${item.status}`) })),
      h('td', { class: 'dates' }, ...dates),
      h('td', {}, history),
    );
  }

  function chipOf(status) {
    return { not_invited: 'not_invited', invited: 'invited', active: 'active', expired: 'not_invited', bounced: 'bounced' }[status];
  }

  async function openHistory(item, opener) {
    try {
      const module = await import('./invitation-history.js');
      module.showInvitationHistory({ accountId: item.account_id, emailId: item.email_id, address: item.address, opener });
    } catch {
      announce(t('workspace.portalAccess.historyMissing'));
    }
  }

  function selectPage(on) {
    for (const item of state.items) {
      if (item.status === 'active') continue;
      if (on) state.selected.set(key(item), item);
      else state.selected.delete(key(item));
    }
    for (const box of body.querySelectorAll('input[type="checkbox"]:not(:disabled)')) box.checked = on;
    syncSelection();
  }

  function syncSelection() {
    const selectable = state.items.filter((i) => i.status !== 'active');
    const chosen = selectable.filter((i) => state.selected.has(key(i)));
    selectAll.checked = selectable.length > 0 && chosen.length === selectable.length;
    selectAll.indeterminate = chosen.length > 0 && chosen.length < selectable.length;
    const size = state.selected.size;
    const resend = size > 0 && [...state.selected.values()].every((i) => i.status !== 'not_invited');
    sendButton.textContent = t(resend ? 'workspace.portalAccess.resend' : 'workspace.portalAccess.invite', { count: size });
    sendButton.disabled = size === 0 || !user || !user.canManage;
  }

  async function send() {
    const items = [...state.selected.values()];
    if (!items.length) return;
    sendError.textContent = '';
    sendButton.disabled = true;
    const body = { items: items.map((i) => ({ account_id: i.account_id, email_id: i.email_id })) };
    if (note.value.trim()) body.note = note.value;
    try {
      const answer = await call('/v1/portal-access/invitations', { method: 'POST', body });
      showResults(answer.items, items);
      state.selected.clear();
      note.value = '';
      updateCount();
      await show(state.page);
    } catch (failure) {
      if (failure.status === 401) return;
      sendError.textContent = failure.message;
      syncSelection();
    }
  }

  function showResults(answers, items) {
    const addresses = new Map(items.map((i) => [key(i), i.address]));
    const queued = answers.filter((a) => a.result === 'queued').length;
    const summary = t('workspace.portalAccess.resultSummary', { queued, skipped: answers.length - queued });
    results.replaceChildren(
      h('h2', { id: 'pa-results-title', tabindex: '-1', text: t('workspace.portalAccess.results') }),
      h('p', { text: summary }),
      h(
        'ul',
        { class: 'item-list' },
        ...answers.map((a) =>
          h(
            'li',
            { dataset: { result: a.result } },
            h('span', { class: 'address', text: addresses.get(key(a)) || a.email_id }),
            ' ',
            h('span', {
              class: `chip chip-${a.result === 'queued' ? 'active' : 'not_invited'}`,
              text: a.result === 'queued' ? t('workspace.portalAccess.queued') : t(`workspace.portalAccess.reason.${a.reason || 'other'}`),
            }),
          ),
        ),
      ),
    );
    results.hidden = false;
    announce(summary);
    results.querySelector('h2').focus();
  }

  show(0);
}
