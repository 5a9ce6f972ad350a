// What the workspace's screens share: the page title, a page's heading, empty states,
// lists read page by page ("Show more"), sentences with elements inside, and how people,
// sizes and times read. Every word comes from the `workspace` catalog (i18n.js).

import { announce, h, openModal, skeletonLines } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';

/** The product's name, as the catalog writes it. */
export function product() {
  return t('workspace.product');
}

/** The words for an account's type: "Family" / "Familie". */
export function accountType(type) {
  return ['individual', 'family', 'business'].includes(type) ? t(`workspace.account.type.${type}`) : type;
}

/** The name of an email field: the firm's own words, except the field every firm starts
 * with (still named as the API names it: a row of the Contacts section carries the label
 * only), which reads in the page's language. */
export function fieldName({ field_id: id = 'fld_email', label }) {
  return id === 'fld_email' && label === 'Email' ? t('workspace.contact.emailDefault') : label;
}

/** The tab's title: `<screen> · Practice CRM`. */
export function setTitle(screen) {
  document.title = screen ? t('workspace.title', { screen, product: product() }) : product();
}

/**
 * A sentence of the catalog with elements inside it: tx('workspace.x', {date: timeElement(..)})
 * for "Invited until {date}" answers ['Invited until ', <time>]. Strings and numbers fill
 * their placeholders as t() does; each element fills its own, wherever the language puts it.
 */
export function tx(key, values = {}) {
  const words = {};
  const nodes = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Node) nodes[name] = value;
    else words[name] = value;
  }
  return t(key, words)
    .split(/(\{\w+\})/)
    .map((part) => {
      const match = /^\{(\w+)\}$/.exec(part);
      return match && nodes[match[1]] ? nodes[match[1]] : part;
    })
    .filter((part) => part !== '');
}

const DATE_TIME = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/** A date (and time) as people read it, in the firm's time zone, in a <time> element. */
export function timeElement(iso, withTime = true) {
  const text = formatDate(iso, withTime ? DATE_TIME : undefined) || iso || '';
  return h('time', { datetime: iso || '', text });
}

export function formatSize(bytes) {
  if (!(bytes >= 0)) return '';
  if (bytes < 1024) return t('workspace.size.bytes', { size: formatNumber(bytes) });
  if (bytes < 1024 * 1024) {
    const digits = bytes < 10 * 1024 ? 1 : 0;
    return t('workspace.size.kb', { size: formatNumber(bytes / 1024, { minimumFractionDigits: digits, maximumFractionDigits: digits }) });
  }
  return t('workspace.size.mb', { size: formatNumber(bytes / (1024 * 1024), { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

/** "Ann Smith <ann@x>" list as words: names where there are, else addresses. */
export function people(list, full = false) {
  return (list || [])
    .map((person) => (person.name ? (full ? `${person.name} <${person.address}>` : person.name) : person.address))
    .join(', ');
}

/** An empty state that says what to do. */
export function emptyState(title, ...hint) {
  return h('div', { class: 'empty' }, h('strong', { text: title }), ...hint);
}

/**
 * A list read page by page: `load(cursor)` answers {items, next_cursor}; `item(x)` draws one
 * <li>. Shows skeletons first, the empty state when the first page is empty, errors in
 * words, and a "Show more" button while there is a next page. Answers the element.
 */
export function pagedList({ label, load, item, empty, more = t('workspace.list.more'), listClass = 'item-list', onFirst }) {
  const list = h('ul', { class: listClass, 'aria-busy': 'true', 'aria-label': label });
  list.append(...Array.from({ length: 3 }, () => h('li', { class: 'skeleton-row', 'aria-hidden': 'true' }, ...skeletonLines(2))));
  const error = h('p', { class: 'error collapse', role: 'alert' });
  const button = h('button', { type: 'button', class: 'more', hidden: true, text: more });
  const box = h('div', { class: 'paged' }, list, error, button);
  let cursor = null;

  const read = async (first) => {
    button.disabled = true;
    error.textContent = '';
    list.setAttribute('aria-busy', 'true');
    try {
      const page = await load(cursor);
      if (!box.isConnected && !first) return;
      if (first) list.replaceChildren();
      const before = list.children.length;
      list.append(...page.items.map(item));
      if (first && !page.items.length) list.replaceWith(empty());
      if (first && onFirst) onFirst(page);
      if (!first) {
        announce(t('workspace.list.moreShown', { count: page.items.length }));
        const next = list.children[before];
        const focusable = next && next.querySelector('a, button');
        if (focusable) focusable.focus();
      }
      cursor = page.next_cursor || null;
      button.hidden = !cursor;
    } catch (failure) {
      if (failure.status === 401) return; // the shell shows the sign-in form
      if (first) list.replaceChildren();
      error.textContent = failure.message;
    } finally {
      list.setAttribute('aria-busy', 'false');
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => read(false));
  read(true);
  return box;
}

/** The <h1> of a screen, focused so that a screen reader starts there. */
export function pageTitle(text) {
  return h('h1', { id: 'page-title', tabindex: '-1', text });
}

/** A link to each account, "Smith Family, Smith Design". */
export function accountLinks(accounts) {
  const links = [];
  for (const [index, account] of (accounts || []).entries()) {
    if (index) links.push(', ');
    links.push(h('a', { href: `#/accounts/${encodeURIComponent(account.account_id)}`, text: account.name }));
  }
  return links;
}

/** Set each field's message under its input (the API's `fields`), answer the first input. */
export function showFieldErrors(form, fields, names) {
  let first = null;
  for (const name of names) {
    const target = form.querySelector(`[data-error-for="${name}"]`);
    if (target) target.textContent = '';
    const input = form.querySelector(`[name="${name}"]`);
    if (input) input.removeAttribute('aria-invalid');
  }
  for (const field of fields || []) {
    const name = String(field.field || field.name || '')
      .split('.')
      .pop();
    const target = form.querySelector(`[data-error-for="${name}"]`);
    if (!target) continue;
    target.textContent = field.message;
    const input = form.querySelector(`[name="${name}"]`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (!first) first = input;
    }
  }
  return first;
}

// ------------------------------------------------------------------ confirmation

let confirming = null; // {action} of the confirmation open now

/**
 * Ask before something that takes something away (#confirm-dialog): `title`, `text` (what
 * is lost, in words), `ok` (the button's words). On OK, `await action()`: the dialog
 * closes when it succeeds and shows the error in words when it fails. Focus goes back to
 * `opener`, or to `fallback()` when the opener is gone.
 */
export function confirmAction({ title, text, ok, opener, fallback, action }) {
  const dialog = document.getElementById('confirm-dialog');
  const button = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  const error = document.getElementById('confirm-error');
  if (!dialog.dataset.wired) {
    dialog.dataset.wired = 'true';
    cancel.addEventListener('click', () => dialog.close());
    button.addEventListener('click', async () => {
      if (!confirming) return;
      const busy = (value) => {
        button.disabled = value;
        cancel.disabled = value;
        dialog.setAttribute('aria-busy', value ? 'true' : 'false');
      };
      busy(true);
      error.textContent = '';
      try {
        await confirming.action();
        confirming = null;
        dialog.close();
      } catch (failure) {
        if (failure.status !== 401) error.textContent = failure.message;
      } finally {
        busy(false);
      }
    });
    dialog.addEventListener('close', () => {
      confirming = null;
    });
  }
  confirming = { action };
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  button.textContent = ok;
  error.textContent = '';
  openModal(dialog, { opener, focus: cancel, fallback });
}
