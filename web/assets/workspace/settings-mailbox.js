// Settings, Mailbox (#/settings/mailbox): the sync's health (GET /v1/firm/mailbox: status
// in words, last and next run, the last error with what to do, the daily check, back-fill
// per address), the connect form (PUT /v1/firm/mailbox; the password is never shown
// back), Test (POST /v1/firm/mailbox/test, saves nothing) and Check now (POST
// /v1/firm/mailbox/reconcile). Owner and admins only may connect, test or check.

import { announce, h, skeletonLines } from '../dom.js';
import { call, me } from './context.js';
import { ADMIN_ONLY_REASON, clearErrors, field, placeErrors, put, readOnlyNote } from './settings-common.js';
import { pageTitle, timeElement } from './ui.js';

const STATUS = {
  not_connected: ['No mailbox connected', 'Connect the firm’s mailbox below: emails of contacts with EMAIL SYNC on then come into Inbox+ and their accounts.'],
  pending: ['Connected, first run pending', 'The first sync runs within a few minutes.'],
  ok: ['Syncing', 'The last run went well.'],
  error: ['Sync failing', ''],
};

// What the last error means, and what to do about it, by its code.
const ERRORS = {
  auth_failed: 'The mail server refused the login: the password (or the username) has changed. Enter the current password below and choose Connect.',
  secret_missing: 'The stored password is missing. Enter the password below and choose Connect.',
  unreachable: 'The mail server could not be reached. Check the host, the port and the security below; if they are right, the server may be down for a while: the sync tries again by itself.',
  connection_lost: 'The connection to the mail server broke off during a run. The sync tries again at the next run; if this keeps happening, ask your mail provider.',
  imap_error: 'The mail server answered with an error. The sync tries again at the next run; if this keeps happening, ask your mail provider.',
  internal_error: 'A failure on our side. Nothing to do: the sync tries again by itself.',
};

const SECURITY = [
  ['ssl', 'SSL/TLS (usually port 993)'],
  ['starttls', 'STARTTLS (usually port 143)'],
  ['none', 'None (only on a trusted network)'],
];

const JOB_STATUS = { pending: 'Waiting', running: 'In progress', done: 'Done' };

export function render(body) {
  const user = me();
  const title = pageTitle('Mailbox');
  const health = h('section', { class: 'panel', 'aria-labelledby': 'health-title', id: 'mailbox-health' }, h('h2', { id: 'health-title', text: 'Sync health' }), h('div', { 'aria-busy': 'true' }, ...skeletonLines(4)));
  const connect = h('div', { id: 'mailbox-connect' });
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'The firm’s IMAP mailbox: the emails of contacts with EMAIL SYNC on come from here into Inbox+ and their accounts.' })),
    user.isAdmin ? null : readOnlyNote('mailbox-read-only', ADMIN_ONLY_REASON),
    health,
    connect,
  );
  title.focus();

  const load = async (first) => {
    let state;
    try {
      state = await call('/v1/firm/mailbox');
    } catch (failure) {
      if (failure.status === 401) return;
      health.replaceChildren(h('h2', { id: 'health-title', text: 'Sync health' }), h('p', { class: 'alert', role: 'alert', text: `The mailbox could not be read. ${failure.message}` }));
      return;
    }
    if (!health.isConnected) return;
    drawHealth(health, state, user, () => load(false));
    if (first) connect.replaceChildren(connectForm(state, user, () => load(false)));
  };
  load(true);
}

function row(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', {}, ...value));
}

function when(iso, none = 'Never') {
  return iso ? timeElement(iso) : h('span', { class: 'muted', text: none });
}

function drawHealth(panel, state, user, reload) {
  const [words, hint] = STATUS[state.status] || [state.status, ''];
  const tone = state.status === 'error' ? (state.needs_attention ? 'bad' : 'warn') : state.status === 'ok' ? 'good' : 'neutral';
  const facts = h('dl', { class: 'facts' });
  if (state.status !== 'not_connected') {
    facts.append(
      row('Mailbox', `${state.username} on ${state.imap_host}:${state.imap_port}`),
      row('Last run', when(state.last_sync_at)),
      row('Next run', when(state.next_sync_at, 'Not scheduled')),
    );
    if (state.failing_since) facts.append(row('Failing since', timeElement(state.failing_since)));
    facts.append(
      row(
        'Last check for missing mail',
        state.reconciled_at ? timeElement(state.reconciled_at) : h('span', { class: 'muted', text: 'Not yet' }),
        state.reconciled_at && state.missing !== null && state.missing !== undefined ? h('span', { text: state.missing ? `: ${state.missing} missing message${state.missing === 1 ? '' : 's'} fetched again` : ': nothing was missing' }) : null,
      ),
    );
  }
  const errorBox =
    state.status === 'error' && state.last_error
      ? h(
          'div',
          { class: state.needs_attention ? 'alert' : 'note', id: 'mailbox-error' },
          h('strong', { text: state.needs_attention ? 'Needs your attention: ' : 'Last error: ' }),
          h('span', { text: ERRORS[state.last_error_code] || state.last_error }),
          ERRORS[state.last_error_code] && state.last_error !== ERRORS[state.last_error_code] ? h('span', { class: 'small muted-dark', text: ` The server said: ${state.last_error}` }) : null,
          state.last_error_at ? h('span', { class: 'small' }, ' (', timeElement(state.last_error_at), ')') : null,
        )
      : null;

  const checkNote = h('p', { class: 'saved-note', role: 'status' });
  const check = h('button', {
    type: 'button',
    text: 'Check now',
    disabled: !user.isAdmin || state.status === 'not_connected',
    title: user.isAdmin ? null : ADMIN_ONLY_REASON,
  });
  check.addEventListener('click', async () => {
    check.disabled = true;
    checkNote.textContent = '';
    try {
      await call('/v1/firm/mailbox/reconcile', { method: 'POST' });
      checkNote.textContent = 'Check started: the sync compares the server’s mail with what is stored and fetches anything missing. Refresh to see the result.';
    } catch (failure) {
      if (failure.status === 401) return;
      checkNote.textContent = failure.message;
    } finally {
      check.disabled = false;
    }
  });
  const refresh = h('button', { type: 'button', class: 'link', text: 'Refresh', onclick: () => (announce('Refreshing the mailbox’s health.'), reload()) });

  put(panel, 
    h('h2', { id: 'health-title', text: 'Sync health' }),
    h('p', { class: `health-status health-${tone}`, id: 'mailbox-status' }, h('strong', { text: words }), hint ? h('span', { class: 'muted', text: ` ${hint}` }) : null),
    errorBox,
    facts,
    history(state.history || []),
    h('div', { class: 'form-actions' }, check, refresh, checkNote),
  );
}

function history(jobs) {
  if (!jobs.length) return h('p', { class: 'muted small', text: 'Back-fill: when EMAIL SYNC is turned on for an address, its past emails are brought in; progress shows here.' });
  return h(
    'div',
    { class: 'history' },
    h('h3', { id: 'history-title', text: 'Back-fill of past emails, per address' }),
    h(
      'ul',
      { class: 'history-list', 'aria-labelledby': 'history-title' },
      ...jobs.map((job) => {
        const percent = job.found ? Math.min(100, Math.round((job.processed / job.found) * 100)) : job.status === 'done' ? 100 : 0;
        return h(
          'li',
          { class: 'history-row' },
          h('span', { class: 'history-address', text: job.address }),
          h('progress', { max: '100', value: String(percent), 'aria-label': `Back-fill of ${job.address}` }),
          h(
            'span',
            { class: 'small' },
            `${JOB_STATUS[job.status] || job.status}: ${job.processed} of ${job.found} emails read, ${job.stored} stored`,
            job.finished_at ? h('span', {}, ', finished ', timeElement(job.finished_at)) : null,
          ),
          job.last_error ? h('span', { class: 'small error-text', text: `Last error: ${job.last_error}` }) : null,
        );
      }),
    ),
  );
}

function connectForm(state, user, reload) {
  const canEdit = user.isAdmin;
  const host = h('input', { type: 'text', name: 'imap_host', value: state.imap_host || '', autocomplete: 'off', spellcheck: 'false', placeholder: 'imap.example.com' });
  const port = h('input', { type: 'number', name: 'imap_port', value: String(state.imap_port || 993), min: '1', max: '65535', inputmode: 'numeric' });
  const username = h('input', { type: 'text', name: 'username', value: state.username || '', autocomplete: 'off', spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const security = h('select', { name: 'security' }, ...SECURITY.map(([value, label]) => h('option', { value, text: label, selected: value === (state.security || 'ssl') })));
  const error = h('p', { class: 'error', role: 'alert' });
  const result = h('p', { class: 'saved-note', role: 'status', id: 'mailbox-result' });
  const test = h('button', { type: 'button', text: 'Test', disabled: !canEdit });
  const save = h('button', { type: 'submit', class: 'primary', text: 'Connect', disabled: !canEdit });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'connect-title' },
    h('h2', { id: 'connect-title', text: state.status === 'not_connected' ? 'Connect the mailbox' : 'Change the connection' }),
    h('p', { class: 'muted small', text: 'Test tries the connection and the login and saves nothing. Connect tests the same way, then saves. The password is stored encrypted and never shown again: enter it each time you change these settings.' }),
    h(
      'fieldset',
      { disabled: !canEdit, 'aria-describedby': canEdit ? null : 'mailbox-read-only' },
      h(
        'div',
        { class: 'grid-2' },
        field({ label: 'IMAP server', control: host, path: 'imap_host' }),
        field({ label: 'Port', control: port, path: 'imap_port' }),
        field({ label: 'Username', control: username, path: 'username' }),
        field({ label: 'Password', control: password, path: 'password' }),
        field({ label: 'Security', control: security, path: 'security' }),
      ),
    ),
    error,
    h('div', { class: 'form-actions' }, test, save),
    result,
  );

  const bodyOf = () => ({
    imap_host: host.value.trim(),
    imap_port: Number(port.value),
    username: username.value.trim(),
    password: password.value,
    security: security.value,
  });
  const check = () => {
    clearErrors(form);
    error.textContent = '';
    result.textContent = '';
    const missing = [];
    if (!host.value.trim()) missing.push({ name: 'imap_host', message: 'Enter the IMAP server, e.g. imap.example.com.' });
    if (!(Number(port.value) >= 1 && Number(port.value) <= 65535)) missing.push({ name: 'imap_port', message: 'Enter a port from 1 to 65535.' });
    if (!username.value.trim()) missing.push({ name: 'username', message: 'Enter the username, often the mailbox’s address.' });
    if (!password.value) missing.push({ name: 'password', message: 'Enter the password.' });
    if (missing.length) {
      const { first } = placeErrors(form, missing);
      if (first) first.focus();
      return false;
    }
    return true;
  };
  const failed = (failure, what) => {
    if (failure.status === 401) return;
    const { first, unplaced } = placeErrors(form, failure.fields);
    const words = failure.fields && failure.fields.length ? [what, ...unplaced].join(' ') : `${what} ${failure.message}`;
    error.textContent = words;
    if (first) first.focus();
  };

  test.addEventListener('click', async () => {
    if (!check()) return;
    test.disabled = true;
    test.textContent = 'Testing…';
    try {
      const answer = await call('/v1/firm/mailbox/test', { method: 'POST', body: bodyOf() });
      const folders = (answer.folders || []).join(', ');
      result.textContent = `The test worked: the server accepted the login${folders ? `; folders found: ${folders}` : ''}. Nothing was saved: choose Connect to save.`;
    } catch (failure) {
      failed(failure, 'The test failed.');
    } finally {
      test.disabled = false;
      test.textContent = 'Test';
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!canEdit || !check()) return;
    save.disabled = true;
    save.textContent = 'Connecting…';
    try {
      await call('/v1/firm/mailbox', { method: 'PUT', body: bodyOf() });
      password.value = '';
      result.textContent = 'Mailbox connected. The sync reads it from its next run.';
      reload();
    } catch (failure) {
      failed(failure, 'Not connected: nothing was saved.');
    } finally {
      save.disabled = false;
      save.textContent = 'Connect';
    }
  });
  return form;
}
