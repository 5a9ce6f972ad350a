// Import contacts (#/contacts/import): a CSV file, or text pasted, posted as text/csv to
// POST /v1/contacts/import. The columns are stated from the firm's email fields; the
// answer says how many contacts were created and lists each rejected row with its number
// (as a spreadsheet numbers it, the header being row 1) and what was wrong.

import { announce, h, skeletonLines } from '../dom.js';
import { t } from '../i18n.js';
import { emailFields } from './contacts.js';
import { call, me } from './context.js';
import { readOnlyReason, clearErrors, field, placeErrors, readOnlyNote } from './settings-common.js';
import { pageTitle, setTitle } from './ui.js';

const MAX_BYTES = 5 * 1024 * 1024;

export async function render(main) {
  const user = me();
  setTitle(t('workspace.import.pageTitle'));
  const title = pageTitle(t('workspace.import.title'));
  const columns = h('div', { 'aria-busy': 'true' }, ...skeletonLines(2));
  const result = h('div', { id: 'import-result' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin contacts-import' },
      h(
        'nav',
        { class: 'breadcrumb', 'aria-label': t('workspace.breadcrumb') },
        h('ol', {}, h('li', {}, h('a', { href: '#/contacts', text: t('workspace.nav.contacts') })), h('li', {}, h('span', { 'aria-current': 'page', text: t('workspace.import.crumb') }))),
      ),
      h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.import.intro') })),
      user.canManage ? null : readOnlyNote('import-read-only', readOnlyReason()),
      h('section', { class: 'panel', 'aria-labelledby': 'columns-title' }, h('h2', { id: 'columns-title', text: t('workspace.import.columns') }), columns),
      user.canManage ? importForm(result) : null,
      result,
    ),
  );
  title.focus();
  try {
    const fields = await emailFields();
    const extra = fields.filter((item) => item.label !== 'Email').map((item) => item.label);
    const header = ['first_name', 'last_name', 'email', ...extra].map(csvCell).join(',');
    columns.removeAttribute('aria-busy');
    columns.replaceChildren(
      h('p', { text: t('workspace.import.columnsText') }),
      h('p', { class: 'small', id: 'csv-header-label', text: t('workspace.import.header') }),
      h('pre', { class: 'csv-sample', 'aria-labelledby': 'csv-header-label' }, h('code', { text: header })),
    );
  } catch (failure) {
    if (failure.status === 401) return;
    columns.replaceChildren(h('p', { class: 'error', text: failure.message }));
  }
}

function csvCell(text) {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function importForm(result) {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const text = h('textarea', { name: 'text', rows: '6', spellcheck: 'false', placeholder: t('workspace.import.sample') });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: t('workspace.import.submit') });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'import-form-title' },
    h('h2', { id: 'import-form-title', text: t('workspace.import.yours') }),
    field({ label: t('workspace.import.file'), control: file, path: 'file', hint: t('workspace.import.file.hint') }),
    field({ label: t('workspace.import.paste'), control: text, path: 'text', hint: t('workspace.import.paste.hint') }),
    error,
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clearErrors(form);
    let body = '';
    const chosen = file.files && file.files[0];
    if (chosen) {
      if (chosen.size > MAX_BYTES) {
        placeErrors(form, [{ name: 'file', message: t('workspace.import.tooLarge') }]).first?.focus();
        return;
      }
      body = await chosen.text();
    } else {
      body = text.value;
    }
    if (!body.trim()) {
      placeErrors(form, [{ name: 'file', message: t('workspace.import.nothing') }]).first?.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('workspace.import.busy');
    try {
      const answer = await call('/v1/contacts/import', { method: 'POST', body, contentType: 'text/csv' });
      showResult(result, answer);
    } catch (failure) {
      if (failure.status === 401) return;
      error.textContent = t('workspace.import.failed', { message: failure.message });
    } finally {
      submit.disabled = false;
      submit.textContent = t('workspace.import.submit');
    }
  });
  return form;
}

function showResult(result, answer) {
  const created = answer.created || 0;
  const errors = answer.errors || [];
  const made = t('workspace.import.created', { count: created });
  const summary = errors.length ? t('workspace.import.summaryRejected', { created: made, rejected: t('workspace.import.rejected', { count: errors.length }) }) : t('workspace.import.summary', { created: made });
  result.replaceChildren(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'import-summary' },
      h('h2', { id: 'import-summary', tabindex: '-1', text: summary }),
      errors.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data-table', id: 'import-errors' },
              h('caption', { text: t('workspace.import.caption') }),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('workspace.import.row') }), h('th', { scope: 'col', text: t('workspace.import.problem') }))),
              h('tbody', {}, ...errors.map((item) => h('tr', {}, h('td', { text: String(item.row) }), h('td', { text: item.message })))),
            ),
          )
        : h('p', { class: 'muted', text: t('workspace.import.all') }),
      created ? h('p', {}, h('a', { href: '#/contacts', text: t('workspace.import.see') })) : null,
    ),
  );
  document.getElementById('import-summary').focus();
  announce(summary);
}
