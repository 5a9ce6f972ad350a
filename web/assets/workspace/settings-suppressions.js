// Settings, Suppressed addresses (#/settings/suppressions): the addresses no email goes to
// after a hard bounce or a complaint (GET /v1/suppressions, page by page), and Clear one
// (DELETE /v1/suppressions/{address}, confirmed). Clearing needs the manage accounts right.

import { h } from '../dom.js';
import { call, me } from './context.js';
import { READ_ONLY_REASON, confirmAction, put, readOnlyNote } from './settings-common.js';
import { emptyState, pagedList, pageTitle } from './ui.js';

/**
 * An address as one path segment: everything encoded except what a segment may hold as it
 * is (RFC 3986 pchar: `@`, `+`, `!`, ...), so `ann@x.example` goes as it is written (the
 * API reads the segment without decoding it) while `/`, `?`, `#` and `%` never leave it.
 */
function pathSegment(text) {
  return encodeURIComponent(text).replace(/%(40|2B|21|24|26|27|28|29|2A|2C|3B|3D|3A)/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

export function render(body) {
  const user = me();
  const title = pageTitle('Suppressed addresses');
  const holder = h('div', { id: 'suppressions' });
  const status = h('p', { class: 'saved-note', role: 'status' });
  put(body, 
    h(
      'div',
      { class: 'page-head' },
      title,
      h('p', { class: 'muted', text: 'Addresses whose mail bounced for good, or whose owner marked our email as spam. Nothing is sent to them, notifications and invitations included, until the address is cleared here. Clear one only once you know it works again (the person fixed their mailbox, or asked for the emails).' }),
    ),
    user.canManage ? null : readOnlyNote('suppressions-read-only', READ_ONLY_REASON),
    status,
    holder,
  );
  title.focus();
  const draw = () =>
    holder.replaceChildren(
      pagedList({
        label: 'Suppressed addresses',
        listClass: 'item-list suppression-list',
        more: 'Show more addresses',
        load: (cursor) => call(`/v1/suppressions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        item: (item) =>
          h(
            'li',
            { class: 'suppression-row' },
            h('span', { class: 'suppression-address', text: item.address }),
            h('button', {
              type: 'button',
              text: 'Clear',
              'aria-label': `Clear ${item.address}`,
              disabled: !user.canManage,
              title: user.canManage ? null : READ_ONLY_REASON,
              onclick: (event) =>
                confirmAction({
                  title: `Clear ${item.address}?`,
                  text: `Emails to ${item.address} go out again from now on. If the address still bounces, it is suppressed again.`,
                  ok: 'Clear address',
                  opener: event.currentTarget,
                  fallback: () => document.getElementById('page-title'),
                  action: async () => {
                    await call(`/v1/suppressions/${pathSegment(item.address)}`, { method: 'DELETE' });
                    status.textContent = `${item.address} cleared: emails go to it again.`;
                    draw();
                  },
                }),
            }),
          ),
        empty: () => emptyState('No suppressed addresses', 'Every address can receive email.'),
      }),
    );
  draw();
}
