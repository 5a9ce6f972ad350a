// What the Settings and Contacts screens share: their style sheet, a form field with its
// error line, the API's per-field errors set under the inputs they name (by full path:
// `emails.1.address`), the read-only reason, and one confirmation dialog.

import { h, openModal } from '../dom.js';
import { t } from '../i18n.js';

/** Why an employee without the manage accounts right cannot change this. */
export function readOnlyReason() {
  return t('workspace.readOnly.manage');
}

/** Why only the owner or an admin can change these settings. */
export function adminOnlyReason() {
  return t('workspace.readOnly.admin');
}

/** /assets/settings.css, linked once (the page links it; this covers a page that does not). */
export function ensureStyles() {
  if (document.querySelector('link[href="/assets/settings.css"]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/assets/settings.css' }));
}

let fieldNumber = 0;

/** A unique id for a control: `prefix-7`. */
export function uid(prefix) {
  fieldNumber += 1;
  return `${prefix}-${fieldNumber}`;
}

/**
 * A labelled field: its label, an optional hint, the control, and a line for its error.
 * `path` is the API's name for it (`first_name`, `emails.0.address`): errors land there.
 */
export function field({ label, control, hint, path, className = 'field' }) {
  const id = control.id || uid('f');
  control.id = id;
  const error = h('p', { class: 'error collapse', id: `${id}-error`, dataset: { errorPath: path || '' } });
  const hintElement = hint ? h('p', { class: 'hint muted small', id: `${id}-hint`, text: hint }) : null;
  const described = [hintElement ? hintElement.id : null, error.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  if (path) control.dataset.path = path;
  return h('div', { class: className }, h('label', { for: id, text: label }), hintElement, control, error);
}

/** Clear every field error inside `root`. */
export function clearErrors(root) {
  for (const line of root.querySelectorAll('[data-error-path]')) line.textContent = '';
  for (const control of root.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/**
 * Put each of the API's field errors under the control whose path matches (or, failing
 * that, whose path starts the error's: `copy_client_emails_to.2` lands on the list's
 * box). Answers {first, unplaced}: the first control marked, and the messages with no
 * place (to show in the form's own error line).
 */
export function placeErrors(root, fields) {
  clearErrors(root);
  let first = null;
  const unplaced = [];
  for (const item of fields || []) {
    const name = String(item.name || item.field || '');
    let line = null;
    let path = name;
    while (path && !line) {
      line = root.querySelector(`[data-error-path="${CSS.escape(path)}"]`);
      if (!line) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    }
    if (!line) {
      unplaced.push(item.message);
      continue;
    }
    line.textContent = line.textContent ? `${line.textContent} ${item.message}` : item.message;
    const control = root.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      if (!first) first = control;
    }
  }
  return { first, unplaced };
}

/** A short paragraph that says why the controls are off. */
export function readOnlyNote(id, text) {
  return h('p', { class: 'note', id, text });
}

// ------------------------------------------------------------- confirmation

let confirmParts = null;

function confirmDialog() {
  if (confirmParts) return confirmParts;
  const title = h('h2', { id: 'ws-confirm-title' });
  const text = h('p', { id: 'ws-confirm-text' });
  const error = h('p', { class: 'error', role: 'alert' });
  const cancel = h('button', { type: 'button', text: t('workspace.action.cancel') });
  const ok = h('button', { type: 'button', class: 'primary danger' });
  const dialog = h(
    'dialog',
    { id: 'ws-confirm', 'aria-labelledby': title.id, 'aria-describedby': text.id },
    title,
    text,
    error,
    h('div', { class: 'form-actions' }, cancel, ok),
  );
  cancel.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  confirmParts = { dialog, title, text, error, cancel, ok, action: null };
  ok.addEventListener('click', async () => {
    const parts = confirmParts;
    if (!parts.action) return;
    ok.disabled = true;
    error.textContent = '';
    try {
      await parts.action();
      dialog.close();
    } catch (failure) {
      if (failure.status === 401) return;
      error.textContent = failure.message;
    } finally {
      ok.disabled = false;
    }
  });
  return confirmParts;
}

/**
 * Ask before something that cannot be taken back: `confirmAction({title, text, ok,
 * opener, action})`. `action` runs on OK; its error stays in the dialog, in words.
 */
export function confirmAction({ title, text, ok, opener, action, fallback }) {
  const parts = confirmDialog();
  parts.cancel.textContent = t('workspace.action.cancel');
  parts.title.textContent = title;
  parts.text.textContent = text;
  parts.ok.textContent = ok;
  parts.error.textContent = '';
  parts.action = action;
  openModal(parts.dialog, { opener, focus: parts.cancel, fallback });
}

/** `parent.replaceChildren(...)` that leaves out null, undefined and false (as `h` does). */
export function put(parent, ...children) {
  parent.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}
