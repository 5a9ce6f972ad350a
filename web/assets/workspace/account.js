// An account: its name and type, and its tabs as links (#/accounts/{id}/emails, ...), the
// one shown marked with aria-current. Info holds the Contacts section (access.js); Emails,
// Docs, Notifications and Activity read their lists page by page (tabs.js).

import { h, skeletonLines } from '../dom.js';
import { t } from '../i18n.js';
import { renderContacts } from './access.js';
import { call } from './context.js';
import { renderActivity, renderDocuments, renderEmails, renderNotifications } from './tabs.js';
import { accountType, setTitle } from './ui.js';

// [address, catalog key of the tab's name, draw]
export const TABS = [
  ['', 'workspace.tab.info', renderContacts],
  ['emails', 'workspace.tab.emails', renderEmails],
  ['docs', 'workspace.tab.docs', renderDocuments],
  ['notifications', 'workspace.tab.notifications', renderNotifications],
  ['activity', 'workspace.tab.activity', renderActivity],
];

// The account last read, so that moving between its tabs does not flicker.
let known = null;

export function render(main, route) {
  const [accountId, tabName = ''] = route.path;
  const tab = TABS.find(([name]) => name === tabName) || TABS[0];
  const before = route.previous;
  const sameAccount = Boolean(before && before.section === 'accounts' && before.path[0] === accountId);
  const account = known && known.account_id === accountId ? known : { account_id: accountId, name: '' };
  const base = `#/accounts/${encodeURIComponent(accountId)}`;

  const title = h('h1', { id: 'page-title', tabindex: '-1' });
  const kind = h('p', { class: 'muted', id: 'account-type' });
  const crumb = h('span', { 'aria-current': 'page' });
  const show = (value) => {
    title.replaceChildren(value.name);
    crumb.textContent = value.name;
    kind.textContent = t('workspace.account.kind', { type: accountType(value.type) });
    setTitle(tab[0] ? t('workspace.account.tabTitle', { tab: t(tab[1]), name: value.name }) : value.name);
  };
  if (account.name) show(account);
  else {
    title.append(h('span', { class: 'skeleton skeleton-title', 'aria-hidden': 'true' }), h('span', { class: 'visually-hidden', text: t('workspace.account.loading') }));
    kind.append(...skeletonLines(1, 'skeleton skeleton-line short'));
    crumb.textContent = '…';
    setTitle(t('workspace.account.title'));
  }

  const links = TABS.map(([name, label]) =>
    h('a', {
      href: name ? `${base}/${name}` : base,
      id: `tab-${name || 'info'}`,
      'aria-current': name === tab[0] ? 'page' : null,
      text: t(label),
    }),
  );
  const panel = h('section', { class: 'tab-panel', id: 'tab-panel', 'aria-labelledby': `tab-${tab[0] || 'info'}` });

  main.replaceChildren(
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('workspace.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '#/accounts', text: t('workspace.nav.accounts') })), h('li', {}, crumb)),
    ),
    h('div', { class: 'page-head' }, title, kind),
    h('nav', { class: 'tabs', 'aria-label': t('workspace.account.sections') }, h('ul', {}, ...links.map((link) => h('li', {}, link)))),
    panel,
  );
  // Moving between the tabs of one account keeps the keyboard on the tabs.
  if (sameAccount) links[TABS.indexOf(tab)].focus();
  else title.focus();

  const context = { account, accountId, panel, onAccount: null };
  call(`/v1/accounts/${encodeURIComponent(accountId)}`)
    .then((value) => {
      known = value;
      Object.assign(account, value);
      if (!title.isConnected) return;
      show(value);
      if (context.onAccount) context.onAccount(value);
    })
    .catch((failure) => {
      if (failure.status === 401 || !title.isConnected) return;
      title.textContent = t(failure.status === 404 ? 'workspace.account.notFound' : 'workspace.account.title');
      crumb.textContent = title.textContent;
      kind.textContent = failure.message;
      setTitle(title.textContent);
    });
  tab[2](context);
}
