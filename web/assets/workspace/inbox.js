// Inbox+ (#/inbox): the firm's synced mail across accounts, newest first, page by page,
// with the account(s) each message belongs to.

import { h } from '../dom.js';
import { messageList } from './messages.js';
import { emptyState, pageTitle, setTitle } from './ui.js';

export function render(main) {
  setTitle('Inbox+');
  const title = pageTitle('Inbox+');
  main.replaceChildren(
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'Emails exchanged with the firm’s clients, synced from the firm’s mailbox, newest first.' })),
    h(
      'section',
      { class: 'panel', 'aria-label': 'Emails' },
      messageList({
        path: '/v1/inbox',
        label: 'Emails',
        empty: () =>
          emptyState(
            'No emails yet',
            'Connect the firm’s mailbox in ',
            h('a', { href: '#/settings/mailbox', text: 'Settings' }),
            ' and turn EMAIL SYNC on for a client’s address on an account’s Info tab.',
          ),
      }),
    ),
  );
  title.focus();
}
