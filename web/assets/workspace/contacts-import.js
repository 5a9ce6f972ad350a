// Import contacts (#/contacts/import): a CSV file, or text pasted, posted as text/csv to
// POST /v1/contacts/import. The columns are stated from the firm's email fields; the
// answer says how many contacts were created and lists each rejected row with its number
// (as a spreadsheet numbers it, the header being row 1) and what was wrong.

import { announce, h, skeletonLines } from '../dom.js';
import { emailFields } from './contacts.js';
import { call, me } from './context.js';
import { READ_ONLY_REASON, clearErrors, field, placeErrors, readOnlyNote } from './settings-common.js';
import { pageTitle, setTitle } from './ui.js';

const MAX_BYTES = 5 * 1024 * 1024;

export async function render(main) {
  const user = me();
  setTitle('Import contacts · Contacts');
  const title = pageTitle('Import contacts');
  const columns = h('div', { 'aria-busy': 'true' }, ...skeletonLines(2));
  const result = h('div', { id: 'import-result' });
  main.replaceChildren(
    h(
      'div',
      { class: 'ws-admin contacts-import' },
      h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('ol', {}, h('li', {}, h('a', { href: '#/contacts', text: 'Contacts' })), h('li', {}, h('span', { 'aria-current': 'page', text: 'Import' })))),
      h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'Add many contacts at once from a CSV file, as a spreadsheet saves it. Good rows are kept; rows with a problem are listed below, to fix and import again.' })),
      user.canManage ? null : readOnlyNote('import-read-only', READ_ONLY_REASON),
      h('section', { class: 'panel', 'aria-labelledby': 'columns-title' }, h('h2', { id: 'columns-title', text: 'Columns' }), columns),
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
      h('p', { text: 'The first row names the columns: first_name, last_name and email, then one column for each of the firm’s other email fields, named by its label. Columns may be empty; each address goes into the field of its column.' }),
      h('p', { class: 'small', id: 'csv-header-label', text: 'The header row for this firm:' }),
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
  const text = h('textarea', { name: 'text', rows: '6', spellcheck: 'false', placeholder: 'first_name,last_name,email\nAnn,Smith,ann@example.com' });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Import' });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'import-form-title' },
    h('h2', { id: 'import-form-title', text: 'Your contacts' }),
    field({ label: 'CSV file', control: file, path: 'file', hint: 'Up to 5 MB, saved as CSV (UTF-8).' }),
    field({ label: 'Or paste the rows', control: text, path: 'text', hint: 'Used when no file is chosen.' }),
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
        placeErrors(form, [{ name: 'file', message: 'This file is larger than 5 MB: split it, and import each part.' }]).first?.focus();
        return;
      }
      body = await chosen.text();
    } else {
      body = text.value;
    }
    if (!body.trim()) {
      placeErrors(form, [{ name: 'file', message: 'Choose a CSV file, or paste the rows below.' }]).first?.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Importing…';
    try {
      const answer = await call('/v1/contacts/import', { method: 'POST', body, contentType: 'text/csv' });
      showResult(result, answer);
    } catch (failure) {
      if (failure.status === 401) return;
      error.textContent = `Nothing was imported. ${failure.message}`;
    } finally {
      submit.disabled = false;
      submit.textContent = 'Import';
    }
  });
  return form;
}

function showResult(result, answer) {
  const created = answer.created || 0;
  const errors = answer.errors || [];
  const summary = `${created} contact${created === 1 ? '' : 's'} created${errors.length ? `, ${errors.length} row${errors.length === 1 ? '' : 's'} rejected` : ''}.`;
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
              h('caption', { text: 'Rejected rows: fix them in your file and import those rows again.' }),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Row' }), h('th', { scope: 'col', text: 'Problem' }))),
              h('tbody', {}, ...errors.map((item) => h('tr', {}, h('td', { text: String(item.row) }), h('td', { text: item.message })))),
            ),
          )
        : h('p', { class: 'muted', text: 'Every row was imported.' }),
      created ? h('p', {}, h('a', { href: '#/contacts', text: 'See the contacts' })) : null,
    ),
  );
  document.getElementById('import-summary').focus();
  announce(summary);
}
