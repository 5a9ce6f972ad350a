// The no-NOTIFY warning for firm-wide screens (the Portal access manager): how many
// accounts have no address with NOTIFY on, so that nobody would receive their invoices,
// with a link to the accounts list filtered to them. One request: the accounts list
// filters on the count each account's item keeps (GET /v1/accounts?nobody_notified=true).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { call } from './context.js';

export const FILTERED = '#/accounts?nobody_notified=true';
const PAGE = 100;

/** A warning linking to the accounts nobody is notified for, or null when every account
 *  reaches someone (or the list cannot be read: the screen it sits on says its own errors). */
export async function nobodyNotifiedBanner() {
  let page;
  try {
    page = await call(`/v1/accounts?nobody_notified=true&limit=${PAGE}`);
  } catch {
    return null;
  }
  const count = page.items.length;
  if (!count) return null;
  const key = page.next_cursor ? 'workspace.notifyWarning.many' : 'workspace.notifyWarning.some';
  return h(
    'div',
    { class: 'note', id: 'nobody-notified-accounts', role: 'status' },
    h('strong', { text: t(key, { count }) }),
    ' ',
    t('workspace.notifyWarning.what'),
    ' ',
    h('a', { href: FILTERED, text: t('workspace.notifyWarning.link', { count }) }),
  );
}
