// An account's tabs after Info: Emails (its synced messages), Docs (documents, their
// source, download), Notifications (the delivery log, in words) and Activity (the audit
// trail: who changed what and when). Each reads its list page by page.

import { announce, h } from '../dom.js';
import { call } from './context.js';
import { messageList } from './messages.js';
import { emptyState, formatSize, pagedList, timeElement } from './ui.js';

const PAGE = 25;

function accountPath(context) {
  return `/v1/accounts/${encodeURIComponent(context.accountId)}`;
}

function section(context, id, heading, hint, body) {
  context.panel.replaceChildren(
    h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id, text: heading }), hint ? h('p', { class: 'muted small', text: hint }) : null, body),
  );
}

function paged(context, path, options) {
  return pagedList({
    ...options,
    load: (cursor) => {
      const ask = new URLSearchParams({ limit: String(PAGE), ...(options.query || {}) });
      if (cursor) ask.set('cursor', cursor);
      return call(`${path}?${ask}`);
    },
  });
}

// ------------------------------------------------------------------------ Emails

export function renderEmails(context) {
  section(
    context,
    'emails-title',
    'Emails',
    'Emails exchanged with this account’s contacts whose EMAIL SYNC is on, newest first.',
    messageList({
      path: `${accountPath(context)}/messages`,
      label: 'Emails of this account',
      showAccounts: false,
      empty: () =>
        emptyState(
          'No emails yet',
          'Connect the firm’s mailbox in ',
          h('a', { href: '#/settings/mailbox', text: 'Settings' }),
          ' and turn EMAIL SYNC on for a client’s address on the ',
          h('a', { href: `#/accounts/${encodeURIComponent(context.accountId)}`, text: 'Info tab' }),
          '.',
        ),
    }),
  );
}

// -------------------------------------------------------------------------- Docs

const SOURCES = { email_attachment: 'From an email' };

/** Ask the API for a short-lived link (with the token), then follow it: the browser downloads. */
export async function download(documentId, name, button, status) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Preparing…';
  status.textContent = '';
  try {
    const link = await call(`/v1/documents/${encodeURIComponent(documentId)}/download?redirect=false`);
    const anchor = h('a', { href: link.url, download: name, hidden: true, rel: 'noopener' });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    announce(`Downloading ${name}.`);
  } catch (failure) {
    if (failure.status !== 401) status.textContent = failure.message;
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function documentItem(document_) {
  const status = h('p', { class: 'error collapse', role: 'alert' });
  const source = SOURCES[document_.source] || document_.source;
  const button = h('button', { type: 'button', text: 'Download', 'aria-label': `Download ${document_.name}` });
  button.addEventListener('click', () => download(document_.document_id, document_.name, button, status));
  return h(
    'li',
    { class: 'document-item' },
    h(
      'div',
      { class: 'document-main' },
      h('span', { class: 'document-name', text: document_.name }),
      h(
        'span',
        { class: 'muted small' },
        formatSize(document_.size),
        ' · ',
        document_.message_id ? h('a', { href: `#/messages/${encodeURIComponent(document_.message_id)}`, text: source }) : source,
        document_.created_at ? ' · ' : null,
        document_.created_at ? timeElement(document_.created_at, false) : null,
      ),
    ),
    button,
    status,
  );
}

export function renderDocuments(context) {
  section(
    context,
    'docs-title',
    'Docs',
    'Documents of this account, newest first. Attachments of synced emails are saved here when the firm’s settings say so.',
    paged(context, `${accountPath(context)}/documents`, {
      label: 'Documents of this account',
      listClass: 'item-list document-list',
      more: 'Show more documents',
      item: documentItem,
      empty: () =>
        emptyState(
          'No documents yet',
          'Attachments of synced emails appear here once “Save attachments” is on in ',
          h('a', { href: '#/settings', text: 'Settings' }),
          ' and EMAIL SYNC is on for a client’s address.',
        ),
    }),
  );
}

// ----------------------------------------------------------------- Notifications

export const KINDS = {
  DocumentUploaded: 'New document',
  SignatureRequested: 'Signature requested',
  SignatureReminder: 'Signature reminder',
  ApprovalRequested: 'Approval requested',
  ApprovalReminder: 'Approval reminder',
  ChatMessagePosted: 'New message',
  ChatCommentPosted: 'New comment',
  ClientTaskCreated: 'New client task',
  ProposalSent: 'New proposal',
  ProposalReminder: 'Proposal reminder',
  OrganizerSent: 'New organizer',
  OrganizerReminder: 'Organizer reminder',
  InvoiceIssued: 'New invoice',
  InvoiceReminder: 'Invoice reminder',
  PaymentConfirmed: 'Payment confirmation',
  RefundIssued: 'Refund issued',
  Invitation: 'Portal invitation',
};

const STATUSES = {
  sent: ['Sent', 'chip-active'],
  skipped: ['Skipped', 'chip-not_invited'],
  suppressed: ['Suppressed', 'chip-danger'],
  failed: ['Failed', 'chip-danger'],
  sending: ['Sending', 'chip-invited'],
};

const CATEGORY_WORDS = {
  documents_uploads: 'Documents, uploads',
  documents_signatures: 'Documents, signature requests',
  documents_approvals: 'Documents, approvals',
  chats_and_tasks: 'Chats and client tasks',
  proposals: 'Proposals',
  organizers: 'Organizers',
  invoices_and_payments: 'Invoices and payments',
};

/** The log's reason, in words. */
export function reasonWords(reason) {
  if (!reason) return '';
  if (reason === 'firm_not_verified') return 'The firm’s owner has not confirmed the firm’s address yet: nothing is sent until then.';
  if (reason === 'quota') return 'The firm’s daily sending limit was reached.';
  if (reason === 'firm copy') return 'The firm’s copy.';
  if (reason === 'the address bounced or complained') return 'The address bounced or its owner marked an email as spam: nothing more is sent to it.';
  const off = reason.match(/^([a-z_]+) is off$/);
  if (off) return `${CATEGORY_WORDS[off[1]] || off[1]} is off in this address’s notification preferences.`;
  if (reason.startsWith('firm copy: ')) return `The firm’s copy: ${reason.slice('firm copy: '.length)}`;
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

function deliveryItem(delivery) {
  const [status, chip] = STATUSES[delivery.status] || [delivery.status, ''];
  const reason = reasonWords(delivery.reason);
  return h(
    'li',
    { class: 'delivery-item' },
    h(
      'div',
      { class: 'delivery-line' },
      h('strong', { text: KINDS[delivery.detail_type] || delivery.detail_type }),
      h('span', { class: `chip ${chip}`, text: status }),
      h('span', { class: 'muted small' }, timeElement(delivery.at)),
    ),
    h('p', { class: 'small delivery-address', text: `To ${delivery.address}` }),
    reason ? h('p', { class: 'small muted delivery-reason', text: reason }) : null,
  );
}

export function renderNotifications(context) {
  section(
    context,
    'notifications-title',
    'Notifications',
    'Every notification email for this account, newest first: sent, skipped (and why), suppressed or failed.',
    paged(context, `${accountPath(context)}/notifications`, {
      label: 'Notification deliveries',
      listClass: 'item-list delivery-list',
      more: 'Show more deliveries',
      item: deliveryItem,
      empty: () =>
        emptyState(
          'No notifications yet',
          'Notifications go out when something happens on this account (a document, an invoice, a message) to the addresses with NOTIFY on, on the ',
          h('a', { href: `#/accounts/${encodeURIComponent(context.accountId)}`, text: 'Info tab' }),
          '.',
        ),
    }),
  );
}

// ----------------------------------------------------------------------- Activity

/** Who, as the API words it: a staff member's address, "client" (their own act: an
 * unsubscribe link, accepting an invitation) or "system". */
function actorWords(entry) {
  if (entry.actor === 'client') {
    const address = (entry.actor_id || '').replace(/^client:/, '');
    return address && address !== entry.actor_id ? `${address} (client)` : 'The client';
  }
  if (entry.actor === 'system') return 'The system';
  return entry.actor || 'Someone';
}

export function renderActivity(context) {
  section(
    context,
    'activity-title',
    'Activity',
    'Who changed what on this account, and when, newest first.',
    paged(context, '/v1/audit', {
      query: { account_id: context.accountId },
      label: 'Activity on this account',
      listClass: 'item-list activity-list',
      more: 'Show more activity',
      item: (entry) =>
        h(
          'li',
          { class: 'activity-item' },
          h('span', { class: 'activity-when muted small' }, timeElement(entry.at)),
          h('span', { class: 'activity-who', text: actorWords(entry) }),
          h('span', { class: 'activity-what', text: entry.summary || entry.action.replace(/_/g, ' ') }),
        ),
      empty: () => emptyState('No activity yet', 'Changes to this account’s contacts, switches and preferences appear here.'),
    }),
  );
}
