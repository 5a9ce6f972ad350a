// The invitation history of one address on one account (a row's menu in the Contacts
// section, the History button on Portal access): every invitation sent, delivered or
// bounced, opened, accepted, expired, superseded or revoked, newest first, with who did it
// when a person did. GET /v1/accounts/{account}/emails/{email}/invitations, page by page.

import { $, h, openModal, skeletonLines } from '../dom.js';
import { t } from '../i18n.js';
import { call } from './context.js';
import { timeElement, tx } from './ui.js';

const PAGE_SIZE = 25;
const WHATS = ['sent', 'delivered', 'bounced', 'opened', 'accepted', 'expired', 'superseded', 'revoked'];

let current = null; // the path shown: an answer for another row is dropped

function dialog() {
  let found = $('#history-dialog');
  if (!found) {
    found = h('dialog', { id: 'history-dialog', class: 'history-dialog', 'aria-labelledby': 'history-title', 'aria-describedby': 'history-text' });
    document.body.append(found);
  }
  return found;
}

function line(entry, address) {
  const what = WHATS.includes(entry.what) ? entry.what : 'sent';
  const words = [h('strong', { text: t(`workspace.history.what.${what}`) })];
  if (entry.by) words.push(' ', h('span', { class: 'muted', text: t('workspace.history.by', { who: entry.by }) }));
  if (entry.address && entry.address !== address) {
    words.push(' ', h('span', { class: 'muted', text: t('workspace.history.to', { address: entry.address }) }));
  }
  return h('li', { class: `history-line history-${what}`, dataset: { what } }, timeElement(entry.at), h('span', { class: 'history-what' }, ...words));
}

/** Open the history dialog of one address on one account. */
export async function showInvitationHistory({ accountId, emailId, address, opener, fallback }) {
  const path = `/v1/accounts/${encodeURIComponent(accountId)}/emails/${encodeURIComponent(emailId)}/invitations`;
  current = path;
  const list = h('ol', { id: 'history-list', class: 'history-list', 'aria-busy': 'true' }, ...skeletonLines(3).map((s) => h('li', {}, s)));
  const error = h('p', { id: 'history-error', class: 'error', role: 'alert' });
  const more = h('button', { type: 'button', id: 'history-more', hidden: true, text: t('workspace.history.more') });
  const close = h('button', { type: 'button', id: 'history-close', class: 'primary', text: t('workspace.action.close') });
  const box = dialog();
  box.replaceChildren(
    h(
      'div',
      { class: 'history-body' },
      h('h2', { id: 'history-title', tabindex: '-1', text: t('workspace.history.title') }),
      h('p', { id: 'history-text', class: 'muted' }, ...tx('workspace.history.text', { address: h('strong', { text: address }) })),
      list,
      error,
      h('div', { class: 'form-actions' }, more, close),
    ),
  );
  close.addEventListener('click', () => box.close());
  openModal(box, { opener, focus: $('#history-title'), fallback });

  let cursor = null;
  let first = true;
  const load = async () => {
    list.setAttribute('aria-busy', 'true');
    more.disabled = true;
    error.textContent = '';
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) query.set('cursor', cursor);
      const page = await call(`${path}?${query}`);
      if (current !== path || !box.open) return;
      if (first) list.replaceChildren();
      first = false;
      for (const entry of page.items || []) list.append(line(entry, address));
      if (!list.children.length) list.append(h('li', { class: 'muted', text: t('workspace.history.empty') }));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
    } catch (failure) {
      if (failure.status === 401) return;
      if (first) list.replaceChildren();
      error.textContent = failure.message;
    } finally {
      list.setAttribute('aria-busy', 'false');
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  await load();
}
