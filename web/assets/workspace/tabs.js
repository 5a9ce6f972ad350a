// An account's tabs after Info: Emails (its synced messages), Docs (documents, their
// source, download), Notifications (the delivery log, in words) and Activity (the audit
// trail: who changed what and when). Each reads its list page by page.

import { announce, h } from '../dom.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { categoryTitle } from './categories.js';
import { call } from './context.js';
import { messageList } from './messages.js';
import { emptyState, formatSize, pagedList, timeElement, tx } from './ui.js';

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
    t('workspace.tab.emails'),
    t('workspace.emails.intro'),
    messageList({
      path: `${accountPath(context)}/messages`,
      label: t('workspace.emails.label'),
      showAccounts: false,
      empty: () =>
        emptyState(
          t('workspace.emails.none'),
          ...tx('workspace.emails.noneHint', { settings: settingsLink('#/settings/mailbox'), info: infoLink(context) }),
        ),
    }),
  );
}

function settingsLink(href) {
  return h('a', { href, text: t('workspace.nav.settings') });
}

function infoLink(context) {
  return h('a', { href: `#/accounts/${encodeURIComponent(context.accountId)}`, text: t('workspace.tab.infoLink') });
}

// -------------------------------------------------------------------------- Docs

function sourceWords(source) {
  return source === 'email_attachment' ? t('workspace.docs.fromEmail') : source;
}

/** Ask the API for a short-lived link (with the token), then follow it: the browser downloads. */
export async function download(documentId, name, button, status) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = t('workspace.docs.preparing');
  status.textContent = '';
  try {
    const link = await call(`/v1/documents/${encodeURIComponent(documentId)}/download?redirect=false`);
    const anchor = h('a', { href: link.url, download: name, hidden: true, rel: 'noopener' });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    announce(t('workspace.docs.downloading', { name }));
  } catch (failure) {
    if (failure.status !== 401) status.textContent = failure.message;
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function documentItem(document_) {
  const status = h('p', { class: 'error collapse', role: 'alert' });
  const source = sourceWords(document_.source);
  const button = h('button', { type: 'button', text: t('workspace.action.download'), 'aria-label': t('workspace.action.downloadName', { name: document_.name }) });
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
    t('workspace.tab.docs'),
    t('workspace.docs.intro'),
    paged(context, `${accountPath(context)}/documents`, {
      label: t('workspace.docs.label'),
      listClass: 'item-list document-list',
      more: t('workspace.docs.more'),
      item: documentItem,
      empty: () => emptyState(t('workspace.docs.none'), ...tx('workspace.docs.noneHint', { settings: settingsLink('#/settings') })),
    }),
  );
}

// ----------------------------------------------------------------- Notifications

// The kinds of notification the log names (each has `workspace.kind.<Kind>`).
const KINDS = [
  'DocumentUploaded',
  'SignatureRequested',
  'SignatureReminder',
  'ApprovalRequested',
  'ApprovalReminder',
  'ChatMessagePosted',
  'ChatCommentPosted',
  'ClientTaskCreated',
  'ProposalSent',
  'ProposalReminder',
  'OrganizerSent',
  'OrganizerReminder',
  'InvoiceIssued',
  'InvoiceReminder',
  'PaymentConfirmed',
  'RefundIssued',
  'Invitation',
];

/** "New invoice" / "Nieuwe factuur" for `InvoiceIssued`. */
export function kindWords(kind) {
  return KINDS.includes(kind) ? t(`workspace.kind.${kind}`) : kind;
}

// status: its chip's class (the words are `workspace.delivery.<status>`)
const STATUSES = {
  sent: 'chip-active',
  skipped: 'chip-not_invited',
  suppressed: 'chip-danger',
  failed: 'chip-danger',
  sending: 'chip-invited',
  queued: 'chip-invited', // held for a digest or until quiet hours end
};

// The API's reasons with words of their own (`workspace.reason.<key>`).
const REASONS = {
  firm_not_verified: 'notVerified',
  quota: 'quota',
  'firm copy': 'firmCopy',
  'the address bounced or complained': 'bounced',
};

/** The log's reason, in words. */
export function reasonWords(reason) {
  if (!reason) return '';
  if (REASONS[reason]) return t(`workspace.reason.${REASONS[reason]}`);
  const off = reason.match(/^([a-z_]+) is off$/);
  if (off) return t('workspace.reason.categoryOff', { category: categoryTitle(off[1]) });
  if (reason.startsWith('firm copy: ')) return t('workspace.reason.firmCopyOf', { reason: reason.slice('firm copy: '.length) });
  const held = reason.match(/^held for the (hourly|daily) digest due (\S+)$/) || reason.match(/^held until the (quiet) hours end at (\S+)$/);
  if (held) return t(`workspace.reason.held.${held[1]}`, { due: formatDateTime(held[2]) });
  const digest = reason.match(/^in the (daily|hourly) digest of ([\d-]+)$/) || reason.match(/^in the digest after (quiet) hours of ([\d-]+)$/);
  if (digest) return t(`workspace.reason.inDigest.${digest[1]}`, { date: formatDate(`${digest[2]}T12:00:00Z`) });
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

function deliveryItem(delivery) {
  const chip = STATUSES[delivery.status] || '';
  const status = chip ? t(`workspace.delivery.${delivery.status}`) : delivery.status;
  const reason = reasonWords(delivery.reason);
  return h(
    'li',
    { class: 'delivery-item' },
    h(
      'div',
      { class: 'delivery-line' },
      h('strong', { text: kindWords(delivery.detail_type) }),
      h('span', { class: `chip ${chip}`, text: status }),
      h('span', { class: 'muted small' }, timeElement(delivery.at)),
    ),
    h('p', { class: 'small delivery-address', text: t('workspace.delivery.to', { address: delivery.address }) }),
    reason ? h('p', { class: 'small muted delivery-reason', text: reason }) : null,
  );
}

export function renderNotifications(context) {
  section(
    context,
    'notifications-title',
    t('workspace.tab.notifications'),
    t('workspace.deliveries.intro'),
    paged(context, `${accountPath(context)}/notifications`, {
      label: t('workspace.deliveries.label'),
      listClass: 'item-list delivery-list',
      more: t('workspace.deliveries.more'),
      item: deliveryItem,
      empty: () => emptyState(t('workspace.deliveries.none'), ...tx('workspace.deliveries.noneHint', { info: infoLink(context) })),
    }),
  );
}

// ----------------------------------------------------------------------- Activity

/** Who, as the API words it: a staff member's address, "client" (their own act: an
 * unsubscribe link, accepting an invitation) or "system". */
function actorWords(entry) {
  if (entry.actor === 'client') {
    const address = (entry.actor_id || '').replace(/^client:/, '');
    return address && address !== entry.actor_id ? t('workspace.activity.clientAddress', { address }) : t('workspace.activity.client');
  }
  if (entry.actor === 'system') return t('workspace.activity.system');
  return entry.actor || t('workspace.activity.someone');
}

export function renderActivity(context) {
  section(
    context,
    'activity-title',
    t('workspace.tab.activity'),
    t('workspace.activity.intro'),
    paged(context, '/v1/audit', {
      query: { account_id: context.accountId },
      label: t('workspace.activity.label'),
      listClass: 'item-list activity-list',
      more: t('workspace.activity.more'),
      item: (entry) =>
        h(
          'li',
          { class: 'activity-item' },
          h('span', { class: 'activity-when muted small' }, timeElement(entry.at)),
          h('span', { class: 'activity-who', text: actorWords(entry) }),
          h('span', { class: 'activity-what', text: entry.summary || entry.action.replace(/_/g, ' ') }),
        ),
      empty: () => emptyState(t('workspace.activity.none'), t('workspace.activity.noneHint')),
    }),
  );
}
