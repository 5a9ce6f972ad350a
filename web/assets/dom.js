// Small DOM helpers. Text always goes in through textContent: nothing the API answers is
// ever parsed as HTML.

import { formatDate as formatDateIn } from './i18n.js';

/**
 * Build an element: h('button', {class: 'primary', onclick: fn, 'aria-label': 'Close'}, 'x').
 * Attributes: class, text, dataset (object), on<event> (function), boolean properties
 * (hidden, disabled, checked) and anything else as an attribute.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (['hidden', 'disabled', 'checked', 'selected'].includes(name)) element[name] = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Say something to screen-reader users without moving focus. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick is announced even when the words repeat.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** "8 Dec 2026" / "8 dec 2026": the page's language, the firm's time zone (i18n.js). */
export function formatDate(iso) {
  return formatDateIn(iso) || iso;
}

/**
 * Open a native modal dialog (focus is trapped inside it, Escape closes it) and give focus
 * back to `opener` when it closes, or to `fallback()` if the opener is gone.
 */
export function openModal(dialog, { opener = document.activeElement, focus, fallback } = {}) {
  dialog.addEventListener(
    'close',
    () => {
      const target = opener && opener.isConnected && !opener.disabled ? opener : fallback && fallback();
      if (target && typeof target.focus === 'function') target.focus();
    },
    { once: true },
  );
  if (!dialog.open) dialog.showModal();
  const first = focus || dialog.querySelector('[autofocus]');
  if (first) first.focus();
}

/** `count` skeleton lines, each `width` wide: stand-ins of the size of the real content. */
export function skeletonLines(count, className = 'skeleton skeleton-line') {
  return Array.from({ length: count }, (_, i) =>
    h('span', { class: className, 'aria-hidden': 'true', dataset: { index: String(i) } }),
  );
}

// Nothing in a synced email's frame may load or run anything: images from data: URLs only.
const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
const FRAME_STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;margin:0.75rem;color:#1f2933;overflow-wrap:anywhere}img{max-width:100%;height:auto}';

/**
 * A synced email's HTML (sanitised by the API) in an <iframe sandbox> (no scripts, no same
 * origin) whose own CSP loads nothing: the second wall, in the portal and the workspace alike.
 */
export function messageFrame(html, title) {
  const srcdoc =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">` +
    `<style>${FRAME_STYLE}</style></head><body>${html}</body></html>`;
  return h('iframe', { class: 'message-frame', sandbox: '', srcdoc, title, referrerpolicy: 'no-referrer' });
}
