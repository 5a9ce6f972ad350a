// Settings, Suppressed addresses (#/settings/suppressions): the addresses no email goes to
// after a hard bounce or a complaint (GET /v1/suppressions, page by page), and Clear one
// (DELETE /v1/suppressions/{address}, confirmed). Clearing needs the manage accounts right.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { call, me } from './context.js';
import { readOnlyReason, confirmAction, put, readOnlyNote } from './settings-common.js';
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
  const title = pageTitle(t('workspace.settings.suppressions'));
  const holder = h('div', { id: 'suppressions' });
  const status = h('p', { class: 'saved-note', role: 'status' });
  put(body, 
    h(
      'div',
      { class: 'page-head' },
      title,
      h('p', { class: 'muted', text: t('workspace.suppressions.intro') }),
    ),
    user.canManage ? null : readOnlyNote('suppressions-read-only', readOnlyReason()),
    status,
    holder,
  );
  title.focus();
  const draw = () =>
    holder.replaceChildren(
      pagedList({
        label: t('workspace.settings.suppressions'),
        listClass: 'item-list suppression-list',
        more: t('workspace.suppressions.more'),
        load: (cursor) => call(`/v1/suppressions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        item: (item) =>
          h(
            'li',
            { class: 'suppression-row' },
            h('span', { class: 'suppression-address', text: item.address }),
            h('button', {
              type: 'button',
              text: t('workspace.suppressions.clear'),
              'aria-label': t('workspace.suppressions.clearNamed', { address: item.address }),
              disabled: !user.canManage,
              title: user.canManage ? null : readOnlyReason(),
              onclick: (event) =>
                confirmAction({
                  title: t('workspace.suppressions.clearTitle', { address: item.address }),
                  text: t('workspace.suppressions.clearText', { address: item.address }),
                  ok: t('workspace.suppressions.clearOk'),
                  opener: event.currentTarget,
                  fallback: () => document.getElementById('page-title'),
                  action: async () => {
                    await call(`/v1/suppressions/${pathSegment(item.address)}`, { method: 'DELETE' });
                    status.textContent = t('workspace.suppressions.cleared', { address: item.address });
                    draw();
                  },
                }),
            }),
          ),
        empty: () => emptyState(t('workspace.suppressions.none'), t('workspace.suppressions.noneHint')),
      }),
    );
  draw();
}
