// Inbox+ (#/inbox): the firm's synced mail across accounts, newest first, page by page,
// with the account(s) each message belongs to.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { messageList } from './messages.js';
import { emptyState, pageTitle, setTitle, tx } from './ui.js';

export function render(main) {
  setTitle(t('workspace.nav.inbox'));
  const title = pageTitle(t('workspace.nav.inbox'));
  main.replaceChildren(
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.inbox.intro') })),
    h(
      'section',
      { class: 'panel', 'aria-label': t('workspace.tab.emails') },
      messageList({
        path: '/v1/inbox',
        label: t('workspace.tab.emails'),
        empty: () =>
          emptyState(
            t('workspace.emails.none'),
            ...tx('workspace.inbox.noneHint', { settings: h('a', { href: '#/settings/mailbox', text: t('workspace.nav.settings') }) }),
          ),
      }),
    ),
  );
  title.focus();
}
