// The reader (#/messages/{message_id}): who wrote to whom and when, the accounts the
// message belongs to, its sanitised HTML in a sandboxed frame (no scripts, no same
// origin, a CSP that loads nothing from anywhere) or its text, the attachments (with the
// download of those saved as documents), the thread, and Reply.

import { $, announce, h, messageFrame } from '../dom.js';
import { t } from '../i18n.js';
import { call } from './context.js';
import { download } from './tabs.js';
import { accountLinks, emptyState, formatSize, pageTitle, people, setTitle, timeElement } from './ui.js';

// Errors of the reply with words of their own here (`workspace.reply.error.<code>`).
const REPLY_ERRORS = ['firm_not_verified'];

function noSubject() {
  return t('workspace.message.noSubject');
}

export function render(main, route) {
  const [messageId] = route.path;
  const email = t('workspace.reader.title');
  setTitle(email);
  const title = pageTitle(email);
  const body = h('div', { class: 'reader', 'aria-busy': 'true' }, h('p', { class: 'muted', text: t('workspace.reader.loading') }));
  main.replaceChildren(
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('workspace.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '#/inbox', text: t('workspace.nav.inbox') })), h('li', {}, h('span', { 'aria-current': 'page', text: email }))),
    ),
    h('div', { class: 'page-head' }, title),
    body,
  );
  title.focus();
  call(`/v1/messages/${encodeURIComponent(messageId)}`)
    .then((message) => {
      if (!body.isConnected) return;
      const subject = message.subject || noSubject();
      title.textContent = subject;
      main.querySelector('.breadcrumb [aria-current]').textContent = subject;
      setTitle(subject);
      body.replaceChildren(...drawMessage(message));
      body.setAttribute('aria-busy', 'false');
    })
    .catch((failure) => {
      if (failure.status === 401 || !body.isConnected) return;
      title.textContent = failure.status === 404 ? t('workspace.reader.notFound') : email;
      setTitle(title.textContent);
      body.replaceChildren(h('p', { class: 'error', role: 'alert', text: failure.message }));
      body.setAttribute('aria-busy', 'false');
    });
}

function header(label, value) {
  return value ? [h('dt', { text: label }), h('dd', {}, value)] : [];
}

function drawMessage(message) {
  const accounts = message.accounts || [];
  const headers = h(
    'dl',
    { class: 'message-headers' },
    ...header(t('workspace.reader.from'), people(message.from, true)),
    ...header(t('workspace.reader.to'), people(message.to, true)),
    ...header(t('workspace.reader.cc'), people(message.cc, true)),
    ...header(t('workspace.reader.date'), timeElement(message.date)),
    ...header(t('workspace.reader.accounts', { count: accounts.length }), accounts.length ? h('span', {}, ...accountLinks(accounts)) : null),
  );
  return [
    h('section', { class: 'panel', 'aria-label': t('workspace.reader.theEmail') }, headers, content(message), attachments(message)),
    replyForm(message),
    thread(message),
  ];
}

function content(message) {
  if (message.html) return messageFrame(message.html, t('workspace.reader.frame', { subject: message.subject || noSubject() }));
  return h('pre', { class: 'message-text', text: message.text || t('workspace.reader.noText') });
}

function attachments(message) {
  const items = message.attachments || [];
  if (!items.length) return null;
  return h(
    'div',
    { class: 'attachments' },
    h('h2', { class: 'small-heading', text: t('workspace.message.attachments') }),
    h(
      'ul',
      { class: 'attachment-list' },
      ...items.map((attachment) => {
        const status = h('p', { class: 'error collapse', role: 'alert' });
        let action = null;
        if (attachment.document_id) {
          action = h('button', { type: 'button', text: t('workspace.action.download'), 'aria-label': t('workspace.action.downloadName', { name: attachment.name }) });
          action.addEventListener('click', () => download(attachment.document_id, attachment.name, action, status));
        }
        const note = attachment.document_id ? t('workspace.reader.savedInDocs') : attachment.reason || t('workspace.reader.notSavedInDocs');
        return h(
          'li',
          {},
          h('span', { class: 'document-main' }, h('span', { class: 'document-name', text: attachment.name }), h('span', { class: 'muted small', text: t('workspace.reader.attachmentLine', { size: formatSize(attachment.size), note }) })),
          action,
          status,
        );
      }),
    ),
  );
}

function replyForm(message) {
  const id = 'reply-text';
  const recipients = people(message.reply_to && message.reply_to.length ? message.reply_to : message.direction === 'outbound' ? message.to : message.from, true);
  const text = h('textarea', { id, name: 'text', rows: '6', required: true, 'aria-describedby': 'reply-to' });
  const done = h('p', { class: 'done', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary', text: t('workspace.reply.send') });
  const form = h(
    'form',
    { class: 'panel reply', 'aria-labelledby': 'reply-title', novalidate: true },
    h('h2', { id: 'reply-title', text: t('workspace.reply.title') }),
    h('p', { class: 'muted small', id: 'reply-to', text: recipients ? t('workspace.reply.toPeople', { people: recipients }) : t('workspace.reply.toNobody') }),
    h('div', { class: 'field' }, h('label', { for: id, text: t('workspace.reply.label') }), text),
    error,
    done,
    h('div', { class: 'form-actions' }, send),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    done.textContent = '';
    if (!text.value.trim()) {
      error.textContent = t('workspace.reply.empty');
      text.focus();
      return;
    }
    send.disabled = true;
    send.textContent = t('workspace.reply.sending');
    try {
      const sent = await call(`/v1/messages/${encodeURIComponent(message.message_id)}/reply`, { method: 'POST', body: { text: text.value } });
      text.value = '';
      const words = t('workspace.reply.sent', { people: (sent.to || []).join(', ') || recipients, subject: sent.subject });
      done.textContent = words;
      announce(words);
      refreshThread(message.thread_id, message.message_id);
    } catch (failure) {
      if (failure.status === 401) return;
      error.textContent = REPLY_ERRORS.includes(failure.code) ? t(`workspace.reply.error.${failure.code}`) : failure.message;
      text.focus();
    } finally {
      send.disabled = false;
      send.textContent = t('workspace.reply.send');
    }
  });
  return form;
}

function thread(message) {
  const list = h('ol', { class: 'item-list thread-list', id: 'thread-list', 'aria-busy': 'true', 'aria-label': t('workspace.thread.label') });
  const box = h('section', { class: 'panel', 'aria-labelledby': 'thread-title' }, h('h2', { id: 'thread-title', text: t('workspace.thread.title') }), list);
  refreshThread(message.thread_id, message.message_id, list);
  return box;
}

async function refreshThread(threadId, current, list = $('#thread-list')) {
  if (!list) return;
  list.setAttribute('aria-busy', 'true');
  try {
    const page = await call(`/v1/threads/${encodeURIComponent(threadId)}?limit=100`);
    list.replaceChildren(
      ...page.items.map((item) =>
        h(
          'li',
          { class: 'thread-item' },
          item.message_id === current
            ? h('strong', { 'aria-current': 'page', text: item.subject || noSubject() })
            : h('a', { href: `#/messages/${encodeURIComponent(item.message_id)}`, text: item.subject || noSubject() }),
          h('span', { class: 'muted small' }, item.direction === 'outbound' ? t('workspace.message.to', { people: people(item.to) }) : people(item.from), ' · ', timeElement(item.date)),
        ),
      ),
    );
    if (!page.items.length) list.replaceWith(emptyState(t('workspace.thread.only'), t('workspace.thread.onlyHint')));
  } catch (failure) {
    if (failure.status !== 401) list.replaceChildren(h('li', { class: 'error', text: failure.message }));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}
