// A list of synced messages (Inbox+, an account's Emails tab), newest first, page by page:
// subject (opens the reader), who, when, a line of the text, attachments, the accounts.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { call } from './context.js';
import { accountLinks, pagedList, people, timeElement } from './ui.js';

const PAGE = 25;

export function messageItem(message, { showAccounts = true } = {}) {
  const outbound = message.direction === 'outbound';
  const who = outbound ? t('workspace.message.to', { people: people(message.to) || t('workspace.message.nobody') }) : people(message.from) || t('workspace.message.unknownSender');
  return h(
    'li',
    { class: 'message-item' },
    h(
      'div',
      { class: 'message-line' },
      h('a', { class: 'message-subject', href: `#/messages/${encodeURIComponent(message.message_id)}`, text: message.subject || t('workspace.message.noSubject') }),
      h('span', { class: 'message-date muted small' }, timeElement(message.date)),
    ),
    h(
      'div',
      { class: 'message-meta small' },
      h('span', { class: 'message-who', text: who }),
      outbound ? h('span', { class: 'chip', text: t('workspace.message.sent') }) : null,
      message.has_attachments ? h('span', { class: 'chip chip-attachment', text: t('workspace.message.attachments') }) : null,
    ),
    message.snippet ? h('p', { class: 'message-snippet muted small', text: message.snippet }) : null,
    showAccounts && message.accounts && message.accounts.length
      ? h('p', { class: 'message-accounts small' }, t('workspace.message.accountsLabel', { count: message.accounts.length }), ' ', ...accountLinks(message.accounts))
      : null,
  );
}

/** Messages read from `path` (GET, {items, next_cursor}), page by page. */
export function messageList({ path, label, empty, showAccounts = true }) {
  return pagedList({
    label,
    listClass: 'item-list message-list',
    more: t('workspace.message.more'),
    load: (cursor) => {
      const ask = new URLSearchParams({ limit: String(PAGE) });
      if (cursor) ask.set('cursor', cursor);
      return call(`${path}?${ask}`);
    },
    item: (message) => messageItem(message, { showAccounts }),
    empty,
  });
}
