// The client portal (/portal): sign in, pick an account when there are several (each
// with what arrived since it was last opened), see which account you are in, switch at
// any time. Inside an account: the emails exchanged with you (a reader shows one in a
// sandboxed frame), the documents (downloaded through a short-lived link), and how to
// reach the firm. Every move inside an account asks the API again
// (GET /v1/portal/accounts/{id}), so access removed by the firm shows on the next click.
//
// Every text comes from the catalogs (locales/<language>/{common,portal}.json) through t():
// the language is the switch's choice, else the reader's own (the API tells it at sign-in
// and with each account: the contact's, else the firm's), else the browser's. The firm's
// form of address ("u" or "je") and time zone come with it. A change of language draws
// the screen again in place (state.redraw), without a reload.

import { api } from './api.js';
import { signInForm } from './login.js';
import { closeForgot, forgotForm } from './forgot.js';
import { $, announce, formatDate, h, messageFrame, openModal, skeletonLines } from './dom.js';
import { formatNumber, languageSwitch, onLanguageChange, setFirmPreferences, setPersonLanguage, start, t, tNodes } from './i18n.js';
import { SessionStore } from './session.js';

const store = new SessionStore('crm.portal');
const NOTICE_CLOSED = 'notice_closed'; // until the next login (sessionStorage)
const CURRENT = 'account';
// What the API said of the reader, kept beside the session so a reload reads as before.
const PREFERENCES = ['language', 'form_of_address', 'time_zone'];

const OVERVIEW_LIMIT = 5; // items per list on the overview; a section's own page shows more
const PAGE_LIMIT = 20;

const accountPath = (id) => `/v1/portal/accounts/${encodeURIComponent(id)}`;

// What an account holds for its client, read from the API with the portal token (the
// same access check as the account itself: LOGIN off answers 404 here too).
// Each section's texts are catalog keys, read with t() when drawn.
const SECTIONS = [
  {
    id: 'emails',
    title: 'portal.emails.title',
    all: 'portal.emails.all',
    more: 'portal.emails.more',
    shown: 'portal.emails.shown',
    path: (id) => `${accountPath(id)}/messages`,
    empty: 'portal.emails.empty',
    hint: 'portal.emails.hint',
    item: messageItem,
  },
  {
    id: 'documents',
    title: 'portal.documents.title',
    all: 'portal.documents.all',
    more: 'portal.documents.more',
    shown: 'portal.documents.shown',
    path: (id) => `${accountPath(id)}/documents`,
    empty: 'portal.documents.empty',
    hint: 'portal.documents.hint',
    item: documentItem,
  },
  {
    id: 'contact',
    title: 'portal.contact.title',
    render: contactDetails,
  },
];

/** The count of new items, as the API caps it: "99+" from 100 on. */
function capped(count) {
  return count >= 100 ? '99+' : count;
}

/** "2 new documents, 1 new message", or "Nothing new". */
function attention(account) {
  const documents = account.new_documents ? t('portal.news.documents', { count: capped(account.new_documents) }) : '';
  const messages = account.new_messages ? t('portal.news.messages', { count: capped(account.new_messages) }) : '';
  if (documents && messages) return t('portal.news.both', { documents, messages });
  return documents || messages || t('portal.news.nothing');
}

function people(list) {
  return (list || []).map((p) => p.name || p.address).join(', ');
}

/** "1.5 kB" / "1,5 kB": the unit and the decimal sign as the language writes them. */
function formatSize(bytes) {
  if (!(bytes >= 0)) return '';
  const size = (value, unit, digits) => formatNumber(value, { style: 'unit', unit, maximumFractionDigits: digits });
  if (bytes < 1024) return size(bytes, 'byte', 0);
  if (bytes < 1024 * 1024) return size(bytes / 1024, 'kilobyte', bytes < 10 * 1024 ? 1 : 0);
  return size(bytes / (1024 * 1024), 'megabyte', 1);
}

function subjectOf(message) {
  return message.subject || t('portal.email.noSubject');
}

function timeElement(iso) {
  return h('time', { datetime: iso, text: formatDate(iso) });
}

function messageItem(message, account) {
  const open = h('button', { type: 'button', class: 'link item-title', text: subjectOf(message) });
  open.addEventListener('click', () => openMessage(account, message.message_id, open));
  const who = message.direction === 'outbound' ? t('portal.email.to', { people: people(message.to) }) : t('portal.email.from', { people: people(message.from) });
  return h(
    'li',
    { class: 'item' },
    open,
    h(
      'span',
      { class: 'item-meta muted small' },
      `${who} · `,
      timeElement(message.date),
      message.has_attachments ? ` · ${t('portal.email.withAttachments')}` : '',
    ),
    message.snippet ? h('span', { class: 'item-snippet small', text: message.snippet }) : null,
  );
}

function documentItem(document_, account) {
  const status = h('p', { class: 'error collapse', role: 'alert' });
  const button = h('button', {
    type: 'button',
    class: 'item-action',
    text: t('portal.document.download'),
    'aria-label': t('portal.document.downloadName', { name: document_.name }),
  });
  button.addEventListener('click', () => download(account, document_, button, status));
  return h(
    'li',
    { class: 'item item-with-action' },
    h(
      'span',
      { class: 'item-main' },
      h('span', { class: 'item-title document-name', text: document_.name }),
      h(
        'span',
        { class: 'item-meta muted small' },
        `${formatSize(document_.size)} · `,
        timeElement(document_.created_at),
        document_.source === 'email_attachment' ? ` · ${t('portal.document.fromEmail')}` : '',
      ),
    ),
    button,
    status,
  );
}

/** A link cannot carry the bearer token: ask for a short-lived link, then open it. */
async function download(account, document_, button, status) {
  status.textContent = '';
  button.disabled = true;
  try {
    const path = `${accountPath(account.account_id)}/documents/${encodeURIComponent(document_.document_id)}/download?redirect=false`;
    const link = await api(path, { token: token() });
    announce(t('portal.document.downloading', { name: document_.name }));
    location.assign(link.url);
  } catch (error) {
    if (error.status === 401) sessionEnded();
    else status.textContent = error.status === 404 ? t('portal.document.gone', { name: document_.name }) : error.message;
  } finally {
    button.disabled = false;
  }
}

/** How to reach the firm: what it set, each as a link where it can be one. */
function contactDetails(account) {
  const firm = account.firm || { name: account.firm_name };
  const rows = [];
  const row = (label, value) => rows.push(h('dt', { text: label }), h('dd', {}, value));
  if (firm.contact_email) row(t('portal.contact.email'), h('a', { href: `mailto:${firm.contact_email}`, text: firm.contact_email }));
  if (firm.contact_phone) row(t('portal.contact.phone'), h('a', { href: `tel:${firm.contact_phone.replace(/[^0-9+]/g, '')}`, text: firm.contact_phone }));
  if (firm.address) row(t('portal.contact.address'), h('span', { class: 'address', text: firm.address }));
  if (firm.website && /^https?:\/\//i.test(firm.website)) {
    const shown = firm.website.replace(/^https?:\/\//i, '');
    row(t('portal.contact.website'), h('a', { href: firm.website, rel: 'noopener noreferrer', target: '_blank', text: shown }));
  }
  if (!rows.length) return h('p', { class: 'muted', text: t('portal.contact.none', { firm: firm.name }) });
  return h('dl', { class: 'contact-details' }, ...rows);
}

const state = {
  accounts: [], // what GET /v1/portal/accounts answered last
  lastAccountId: null,
  account: null, // the account open now
  section: 'overview',
  redraw: null, // draws the screen shown now again, in the new language
  pickMessage: () => '', // why the picker shows, when it is open
};

/** A page title: "Smith Family · Client portal". */
function setTitle(page) {
  document.title = t('portal.pageTitle', { page });
}

// ----------------------------------------------------------------------------- views

/** The sign-in form; `reason`: the key of why it shows (the session ended). */
function showLogin(reason = '', { focus = true } = {}) {
  // Nothing of the last account stays in the page once signed out.
  state.redraw = () => showLogin(reason, { focus: false });
  showSkeleton();
  $('#notice').hidden = true;
  $('#notice-text').replaceChildren();
  $('#portal-view').hidden = true;
  $('#sign-out').hidden = true;
  $('#who').hidden = true;
  $('#brand').textContent = t('portal.product');
  setTitle(t('common.login.submit'));
  const note = $('#login-reason');
  note.textContent = reason ? t(reason) : '';
  note.hidden = !reason;
  if (focus) closeForgot();
  $('#login-view').hidden = false;
  if (focus) $('#login-email').focus();
}

function showPortal() {
  state.redraw = null;
  const session = store.current();
  $('#login-view').hidden = true;
  $('#portal-view').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').hidden = !session;
  $('#who').textContent = session ? session.email : '';
}

function setBusy(busy) {
  $('#main').setAttribute('aria-busy', busy ? 'true' : 'false');
}

function showSkeleton() {
  $('#no-access').hidden = true;
  $('#account-view').hidden = false;
  $('#account-title').replaceChildren(
    h('span', { class: 'skeleton skeleton-title', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden', text: t('common.loading') }),
  );
  $('#account-title').classList.remove('visually-hidden');
  $('#firm-line').replaceChildren(...skeletonLines(1, 'skeleton skeleton-line short'));
  $('#sections').replaceChildren(...SECTIONS.map(sectionSkeleton));
}

function sectionSkeleton(section) {
  return h(
    'section',
    { class: 'portal-section', 'aria-hidden': 'true' },
    h('h2', { text: t(section.title) }),
    h('div', { class: 'empty' }, ...skeletonLines(2)),
  );
}

/**
 * The panel in place of the account: no access, nothing to open, or an error.
 * `describe()` answers {title, text, canPick, tone} in the language of the moment.
 */
function showPanel(describe) {
  const { title, text, canPick, tone = 'alert' } = describe();
  state.redraw = () => showPanel(describe);
  state.account = null;
  $('#account-view').hidden = true;
  $('#notice').hidden = true;
  $('#no-access').hidden = false;
  $('#no-access-title').textContent = title;
  $('#no-access-text').textContent = text;
  $('#no-access-text').className = tone === 'alert' ? 'alert' : 'note';
  $('#no-access-pick').hidden = !canPick;
  setTitle(title);
  setNavCurrent(null);
}

function setNavCurrent(section) {
  for (const link of document.querySelectorAll('.sidebar-links a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The account's name shows once: in the notice while it is open, else as the heading
 * (which stays the page's h1 for screen readers either way). *Switch account* shows once
 * too: in the notice while it is open, else in the sidebar (with several accounts). */
function showNotice(visible) {
  $('#notice').hidden = !visible;
  $('#account-title').classList.toggle('visually-hidden', visible);
  $('#sidebar-switch').hidden = visible || state.accounts.length < 2;
}

function renderAccount(account, section, { focus }) {
  const several = state.accounts.length > 1;
  $('#no-access').hidden = true;
  $('#account-view').hidden = false;
  state.redraw = () => renderAccount(account, section, { focus: false });
  $('#brand').textContent = account.firm_name;
  $('#account-title').textContent = account.name;
  $('#firm-line').textContent = t('portal.account.firmLine', { firm: account.firm_name });
  $('#notice-text').replaceChildren(...tNodes('portal.notice.text', { account: h('strong', { text: account.name }) }));
  showNotice(several && store.get(NOTICE_CLOSED) !== '1');
  setTitle(account.name);
  setNavCurrent(section);

  const overview = section === 'overview';
  const shown = overview ? SECTIONS : SECTIONS.filter((s) => s.id === section);
  $('#sections').replaceChildren(
    ...shown.map((s) => {
      const body = h('div', { class: 'section-body' });
      const title = s.id === 'contact' ? t('portal.contact.heading', { firm: account.firm_name }) : t(s.title);
      const heading = h('h2', { id: `section-${s.id}` }, title);
      if (overview && s.path) {
        heading.append(' ', h('a', { href: `#${s.id}`, class: 'see-all small', 'data-section': s.id, text: t(s.all) }));
      }
      if (s.render) body.replaceChildren(s.render(account));
      else loadSection(s, account, body, overview ? OVERVIEW_LIMIT : PAGE_LIMIT);
      return h('section', { class: 'portal-section', 'aria-labelledby': `section-${s.id}` }, heading, body);
    }),
  );
  if (focus) $('#account-title').focus();
}

function emptyState(section) {
  return h('div', { class: 'empty' }, h('strong', { text: t(section.empty) }), t(section.hint));
}

/** A list, a page at a time: `limit` items, then *Show more* while there is a next page. */
async function loadSection(section, account, container, limit, cursor = null) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  const more = cursor ? container.querySelector('.show-more') : null;
  if (more) more.disabled = true;
  else container.replaceChildren(h('div', { class: 'empty', 'aria-hidden': 'true' }, ...skeletonLines(2)));
  try {
    const page = await api(`${section.path(account.account_id)}?${query}`, { token: token() });
    const items = ((page && page.items) || []).map((item) => section.item(item, account));
    let list = container.querySelector('ul.items');
    if (!cursor || !list) {
      if (!items.length && !page.next_cursor) {
        container.replaceChildren(emptyState(section));
        return undefined;
      }
      list = h('ul', { class: 'items', 'aria-label': t(section.title) });
      container.replaceChildren(list);
    }
    list.append(...items);
    if (more) more.remove();
    if (cursor) announce(t(section.shown, { count: items.length }));
    const overview = limit === OVERVIEW_LIMIT;
    if (page.next_cursor && !overview) {
      const button = h('button', { type: 'button', class: 'show-more', text: t(section.more) });
      button.addEventListener('click', () => loadSection(section, account, container, limit, page.next_cursor));
      container.append(button);
    }
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    if (error.status === 404) return lostAccess(account.account_id);
    if (more) more.disabled = false;
    container.append(h('p', { class: 'alert', role: 'alert', text: error.message }));
  }
  return undefined;
}

// ---------------------------------------------------------------------------- reader

function messageBody(message) {
  if (message.html) return messageFrame(message.html, t('portal.email.frame', { subject: subjectOf(message) }));
  return h('pre', { class: 'message-text', text: message.text || t('portal.email.noText') });
}

/** One email in a dialog: who wrote to whom and when, the text or the sanitised HTML. */
async function openMessage(account, messageId, opener) {
  const dialog = $('#reader');
  const body = $('#reader-body');
  $('#reader-title').textContent = t('portal.email.loading');
  body.replaceChildren(...skeletonLines(3));
  body.setAttribute('aria-busy', 'true');
  openModal(dialog, { opener, focus: $('#reader-close'), fallback: () => $('#account-title') });
  try {
    const message = await api(`${accountPath(account.account_id)}/messages/${encodeURIComponent(messageId)}`, { token: token() });
    if (!dialog.open) return undefined;
    $('#reader-title').textContent = subjectOf(message);
    const header = (label, value) => (value ? [h('dt', { text: label }), h('dd', {}, value)] : []);
    const names = message.attachments || [];
    body.replaceChildren(
      h(
        'dl',
        { class: 'message-headers' },
        ...header(t('portal.email.fromLabel'), people(message.from)),
        ...header(t('portal.email.toLabel'), people(message.to)),
        ...header(t('portal.email.ccLabel'), people(message.cc)),
        ...header(t('portal.email.dateLabel'), timeElement(message.date)),
        ...header(t('portal.email.attachmentsLabel'), names.length ? t('portal.email.attachments', { names: names.join(', ') }) : ''),
      ),
      messageBody(message),
    );
    announce(t('portal.email.opened', { subject: subjectOf(message) }));
  } catch (error) {
    if (error.status === 401) {
      dialog.close();
      return sessionEnded();
    }
    $('#reader-title').textContent = t('portal.email.failed');
    body.replaceChildren(h('p', { class: 'alert', role: 'alert', text: error.status === 404 ? t('portal.email.unavailable') : error.message }));
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
  return undefined;
}

// ----------------------------------------------------------------------------- flows

function token() {
  const session = store.current();
  return session ? session.token : null;
}

function nameOf(accountId) {
  if (state.account && state.account.account_id === accountId) return state.account.name;
  const known = state.accounts.find((a) => a.account_id === accountId);
  return known ? known.name : t('portal.lost.thisAccount');
}

function sessionEnded() {
  store.clear();
  state.account = null;
  state.accounts = [];
  const picker = $('#picker');
  if (picker.open) picker.close();
  showLogin('common.error.unauthorized');
}

function byName(accounts) {
  return [...accounts].sort((a, b) => a.name.localeCompare(b.name) || a.account_id.localeCompare(b.account_id));
}

async function refreshAccounts() {
  const list = await api('/v1/portal/accounts', { token: token() });
  state.accounts = byName(list.items);
  state.lastAccountId = list.last_account_id;
}

/** After sign-in or a reload: straight in with one account, the picker with several. */
async function enter() {
  if (state.accounts.length === 0) {
    showPanel(() => ({ title: t('portal.none.title'), text: t('portal.none.text'), canPick: false }));
    $('#no-access-title').focus();
    return;
  }
  if (state.accounts.length === 1) {
    await openAccount(state.accounts[0].account_id, 'overview', { focus: true });
    return;
  }
  showSkeleton();
  pick({ preselect: state.lastAccountId, cancellable: false });
}

/** Open an account, asking the API whether this user may still open it. */
async function openAccount(accountId, section = state.section, { focus = true, quiet = false } = {}) {
  if (!token()) return sessionEnded();
  const switching = !state.account || state.account.account_id !== accountId;
  if (switching && !quiet) showSkeleton();
  setBusy(true);
  try {
    const account = await api(`/v1/portal/accounts/${encodeURIComponent(accountId)}`, { token: token() });
    state.account = account;
    state.section = section;
    store.set(CURRENT, accountId);
    state.redraw = null;
    await usePreferences(account);
    renderAccount(account, section, { focus });
    if (switching) announce(t('portal.notice.text', { account: account.name }));
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    if (error.status === 404) return lostAccess(accountId);
    const canPick = state.accounts.length > 0;
    showPanel(() => ({ title: t('portal.failed'), text: error.message, canPick }));
    $('#no-access-title').focus();
  } finally {
    setBusy(false);
  }
  return undefined;
}

/** The firm turned LOGIN off for this account: say so, and offer what is left. */
async function lostAccess(accountId) {
  const name = nameOf(accountId);
  store.set(CURRENT, null);
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    state.accounts = [];
  }
  if (state.accounts.length) {
    showPanel(() => ({ title: t('portal.lost.title'), text: t('portal.lost.pickAnother', { name }), canPick: true }));
    pick({ preselect: null, cancellable: false, message: () => t('portal.lost.text', { name }) });
  } else {
    showPanel(() => ({ title: t('portal.lost.title'), text: t('portal.lost.noOther', { name }), canPick: false }));
    $('#no-access-title').focus();
  }
  return undefined;
}

// ---------------------------------------------------------------------------- picker

/** The picker; `message()`: why it shows again (access lost), in the language of the moment. */
function pick({ preselect, cancellable, message = () => '' }) {
  const dialog = $('#picker');
  const selected = state.accounts.some((a) => a.account_id === preselect) ? preselect : state.accounts[0].account_id;
  const firms = new Set(state.accounts.map((a) => a.firm_id));
  $('#picker-options').replaceChildren(
    ...state.accounts.map((account, index) => {
      const counted = 'new_documents' in account;
      const news = counted ? attention(account) : '';
      const described = `picker-news-${index}`;
      return h(
        'label',
        { class: 'picker-option' },
        h('input', {
          type: 'radio',
          name: 'account',
          value: account.account_id,
          checked: account.account_id === selected,
          'aria-describedby': counted ? described : null,
        }),
        h(
          'span',
          { class: 'picker-text' },
          h('span', {}, h('span', { class: 'name', text: account.name }), firms.size > 1 ? h('span', { class: 'muted small', text: ` · ${account.firm_name}` }) : null),
          counted
            ? h('span', { id: described, 'aria-hidden': 'true', class: account.new_documents || account.new_messages ? 'news small' : 'muted small', text: news })
            : null,
        ),
      );
    }),
  );
  $('#picker-intro').textContent = state.accounts.length > 1 ? t('portal.picker.intro') : t('portal.picker.single');
  state.pickMessage = message;
  const why = message();
  $('#picker-message').textContent = why;
  $('#picker-message').hidden = !why;
  // Read out with the dialog's name when it opens: why the picker is back.
  dialog.setAttribute('aria-describedby', why ? 'picker-message picker-intro' : 'picker-intro');
  $('#picker-error').textContent = '';
  $('#picker-cancel').hidden = !cancellable;
  dialog.dataset.cancellable = cancellable ? 'yes' : 'no';
  dialog.returnValue = '';
  const checked = dialog.querySelector('input[name="account"]:checked');
  if (dialog.open) {
    checked.focus();
    return;
  }
  openModal(dialog, {
    focus: checked,
    fallback: () => (state.account ? $('#account-title') : $('#no-access-title')),
  });
}

async function choose(event) {
  event.preventDefault();
  const dialog = $('#picker');
  const chosen = dialog.querySelector('input[name="account"]:checked');
  if (!chosen) {
    $('#picker-error').textContent = t('portal.picker.required');
    return;
  }
  const button = $('#picker-open');
  button.disabled = true;
  try {
    await api('/v1/portal/last-account', { method: 'PUT', body: { account_id: chosen.value }, token: token() });
    dialog.close('chosen');
    await openAccount(chosen.value, 'overview', { focus: true });
  } catch (error) {
    if (error.status === 401) sessionEnded();
    else if (error.status === 404) {
      const name = nameOf(chosen.value);
      await refreshAccounts().catch(() => undefined);
      if (state.accounts.length) pick({ preselect: null, cancellable: false, message: () => t('portal.lost.short', { name }) });
      else {
        dialog.close();
        await lostAccess(chosen.value);
      }
    } else $('#picker-error').textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

async function switchAccount(event) {
  const opener = event.currentTarget;
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    announce(error.message);
    return undefined;
  }
  if (!state.accounts.length) return lostAccess(state.account ? state.account.account_id : '');
  pick({ preselect: state.account ? state.account.account_id : state.lastAccountId, cancellable: Boolean(state.account) });
  $('#picker').addEventListener('close', () => opener.isConnected && !opener.hidden && opener.focus(), { once: true });
  return undefined;
}

// ---------------------------------------------------------------------------- events

function signOut() {
  store.clear();
  state.account = null;
  state.accounts = [];
  showLogin();
  announce(t('portal.signedOut'));
}

function closeNotice() {
  store.set(NOTICE_CLOSED, '1');
  showNotice(false);
  announce(t('portal.notice.closed'));
  const target = $('#sidebar-switch');
  (target.hidden ? $('#account-title') : target).focus();
}

function navigate(event) {
  const link = event.target.closest('a[data-section]');
  if (!link) return;
  event.preventDefault();
  const section = link.dataset.section;
  history.replaceState(null, '', `#${section}`);
  if (state.account) openAccount(state.account.account_id, section, { focus: true, quiet: true });
  else if (state.accounts.length) pick({ preselect: state.lastAccountId, cancellable: false });
}

async function resume() {
  showPortal();
  showSkeleton();
  try {
    await refreshAccounts();
  } catch (error) {
    if (error.status === 401) return sessionEnded();
    showPanel(() => ({ title: t('portal.failed'), text: error.message, canPick: false }));
    return undefined;
  }
  const current = store.get(CURRENT);
  const section = ['overview', ...SECTIONS.map((s) => s.id)].includes(location.hash.slice(1))
    ? location.hash.slice(1)
    : 'overview';
  if (current && state.accounts.some((a) => a.account_id === current)) {
    return openAccount(current, section, { focus: false });
  }
  if (current) return lostAccess(current);
  return enter();
}

/**
 * What the API tells of the reader (the login answer, an opened account): their language
 * (the contact's, else the firm's), the firm's form of address and time zone. Each is
 * read at the top of the answer or in its `firm`, and kept beside the session.
 */
async function usePreferences(answer) {
  for (const name of PREFERENCES) {
    const value = answer[name] ?? (answer.firm && answer.firm[name]);
    if (typeof value === 'string' && value) store.set(name, value);
  }
  setFirmPreferences({ informal: store.get('form_of_address') === 'informal', timeZone: store.get('time_zone') || 'UTC' });
  await setPersonLanguage(store.get('language'));
}

function redraw() {
  if (state.redraw) state.redraw();
  if ($('#picker').open) {
    const checked = $('#picker').querySelector('input[name="account"]:checked');
    const cancellable = $('#picker').dataset.cancellable === 'yes';
    pick({ preselect: checked ? checked.value : null, cancellable, message: state.pickMessage });
  }
}

async function init() {
  await start({ person: store.current() ? store.get('language') : null, areas: ['common', 'portal'] });
  setFirmPreferences({ informal: store.get('form_of_address') === 'informal', timeZone: store.get('time_zone') || 'UTC' });
  $('#language-slot').replaceChildren(languageSwitch(h));
  onLanguageChange(redraw);
  signInForm($('#login-form'), '/v1/portal/login', store, async (answer) => {
    state.accounts = byName(answer.accounts);
    state.lastAccountId = answer.last_account_id;
    state.account = null;
    state.section = 'overview';
    showPortal();
    await usePreferences(answer);
    // the picker says what is new on each account: the list that counts it
    if (state.accounts.length > 1) await refreshAccounts().catch(() => undefined);
    await enter();
  });
  forgotForm();
  $('#reader-close').addEventListener('click', () => $('#reader').close());
  $('#sections').addEventListener('click', navigate);
  $('#sign-out').addEventListener('click', signOut);
  $('#no-access-sign-out').addEventListener('click', signOut);
  $('#picker-sign-out').addEventListener('click', () => {
    $('#picker').close();
    signOut();
  });
  $('#picker-form').addEventListener('submit', choose);
  $('#picker-cancel').addEventListener('click', () => $('#picker').close());
  $('#picker').addEventListener('cancel', (event) => {
    if ($('#picker').dataset.cancellable !== 'yes') event.preventDefault();
  });
  $('#picker').addEventListener('close', () => {
    // Closed without a choice and nothing open (Escape pressed twice): say what to do.
    if ($('#picker').returnValue === 'chosen') return;
    if (!state.account && store.current() && $('#no-access').hidden) {
      showPanel(() => ({ title: t('portal.picker.title'), text: t('portal.picker.closed'), canPick: true, tone: 'note' }));
    }
  });
  $('#no-access-pick').addEventListener('click', switchAccount);
  $('#notice-switch').addEventListener('click', switchAccount);
  $('#sidebar-switch').addEventListener('click', switchAccount);
  $('#notice-close').addEventListener('click', closeNotice);
  $('.sidebar-links').addEventListener('click', navigate);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.account && !$('#picker').open) {
      openAccount(state.account.account_id, state.section, { focus: false, quiet: true });
    }
  });
  if (store.current()) resume();
  else showLogin();
}

init();
