// Settings, Mailbox (#/settings/mailbox): the sync's health (GET /v1/firm/mailbox: status
// in words, last and next run, the last error with what to do, the daily check, back-fill
// per address), the connect form (PUT /v1/firm/mailbox; the password is never shown
// back), Test (POST /v1/firm/mailbox/test, saves nothing) and Check now (POST
// /v1/firm/mailbox/reconcile). Owner and admins only may connect, test or check.

import { announce, h, skeletonLines } from '../dom.js';
import { t } from '../i18n.js';
import { call, me } from './context.js';
import { adminOnlyReason, clearErrors, field, placeErrors, put, readOnlyNote } from './settings-common.js';
import { pageTitle, timeElement, tx } from './ui.js';

// The sync's states: `workspace.mailbox.status.<status>` and `.hint` (none for error).
const STATUS = ['not_connected', 'pending', 'ok', 'error'];

// The last error's codes with words of their own: what it means, and what to do about it
// (`workspace.mailbox.error.<code>`).
const ERRORS = ['auth_failed', 'secret_missing', 'unreachable', 'connection_lost', 'imap_error', 'internal_error'];

const SECURITY = ['ssl', 'starttls', 'none']; // `workspace.mailbox.security.<value>`

const JOB_STATUS = ['pending', 'running', 'done']; // `workspace.mailbox.job.<status>`

function errorWords(code) {
  return ERRORS.includes(code) ? t(`workspace.mailbox.error.${code}`) : null;
}

export function render(body) {
  const user = me();
  const title = pageTitle(t('workspace.settings.mailbox'));
  const health = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'health-title', id: 'mailbox-health' },
    h('h2', { id: 'health-title', text: t('workspace.mailbox.health') }),
    h('div', { 'aria-busy': 'true' }, ...skeletonLines(4)),
  );
  const connect = h('div', { id: 'mailbox-connect' });
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.mailbox.intro') })),
    user.isAdmin ? null : readOnlyNote('mailbox-read-only', adminOnlyReason()),
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
      health.replaceChildren(
        h('h2', { id: 'health-title', text: t('workspace.mailbox.health') }),
        h('p', { class: 'alert', role: 'alert', text: t('workspace.mailbox.unreadable', { message: failure.message }) }),
      );
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

function when(iso, none = t('workspace.mailbox.never')) {
  return iso ? timeElement(iso) : h('span', { class: 'muted', text: none });
}

function drawHealth(panel, state, user, reload) {
  const known = STATUS.includes(state.status);
  const words = known ? t(`workspace.mailbox.status.${state.status}`) : state.status;
  const hint = known && state.status !== 'error' ? t(`workspace.mailbox.status.${state.status}.hint`) : '';
  const tone = state.status === 'error' ? (state.needs_attention ? 'bad' : 'warn') : state.status === 'ok' ? 'good' : 'neutral';
  const facts = h('dl', { class: 'facts' });
  if (state.status !== 'not_connected') {
    facts.append(
      row(t('workspace.settings.mailbox'), t('workspace.mailbox.account', { username: state.username, host: state.imap_host, port: String(state.imap_port) })),
      row(t('workspace.mailbox.lastRun'), when(state.last_sync_at)),
      row(t('workspace.mailbox.nextRun'), when(state.next_sync_at, t('workspace.mailbox.notScheduled'))),
    );
    if (state.failing_since) facts.append(row(t('workspace.mailbox.failingSince'), timeElement(state.failing_since)));
    const counted = state.reconciled_at && state.missing !== null && state.missing !== undefined;
    facts.append(
      row(
        t('workspace.mailbox.lastCheck'),
        state.reconciled_at ? timeElement(state.reconciled_at) : h('span', { class: 'muted', text: t('workspace.mailbox.notYet') }),
        counted ? h('span', { text: t('workspace.mailbox.missing', { count: state.missing }) }) : null,
      ),
    );
  }
  const errorBox =
    state.status === 'error' && state.last_error
      ? h(
          'div',
          { class: state.needs_attention ? 'alert' : 'note', id: 'mailbox-error' },
          h('strong', { text: t(state.needs_attention ? 'workspace.mailbox.attention' : 'workspace.mailbox.lastError') }),
          h('span', { text: errorWords(state.last_error_code) || state.last_error }),
          errorWords(state.last_error_code) && state.last_error !== errorWords(state.last_error_code)
            ? h('span', { class: 'small muted-dark', text: t('workspace.mailbox.serverSaid', { error: state.last_error }) })
            : null,
          state.last_error_at ? h('span', { class: 'small' }, ' (', timeElement(state.last_error_at), ')') : null,
        )
      : null;

  const checkNote = h('p', { class: 'saved-note', role: 'status' });
  const check = h('button', {
    type: 'button',
    text: t('workspace.mailbox.check'),
    disabled: !user.isAdmin || state.status === 'not_connected',
    title: user.isAdmin ? null : adminOnlyReason(),
  });
  check.addEventListener('click', async () => {
    check.disabled = true;
    checkNote.textContent = '';
    try {
      await call('/v1/firm/mailbox/reconcile', { method: 'POST' });
      checkNote.textContent = t('workspace.mailbox.checkStarted');
    } catch (failure) {
      if (failure.status === 401) return;
      checkNote.textContent = failure.message;
    } finally {
      check.disabled = false;
    }
  });
  const refresh = h('button', { type: 'button', class: 'link', text: t('workspace.mailbox.refresh'), onclick: () => (announce(t('workspace.mailbox.refreshing')), reload()) });

  put(panel, 
    h('h2', { id: 'health-title', text: t('workspace.mailbox.health') }),
    h('p', { class: `health-status health-${tone}`, id: 'mailbox-status' }, h('strong', { text: words }), hint ? h('span', { class: 'muted', text: ` ${hint}` }) : null),
    errorBox,
    facts,
    history(state.history || []),
    h('div', { class: 'form-actions' }, check, refresh, checkNote),
  );
}

function history(jobs) {
  if (!jobs.length) return h('p', { class: 'muted small', text: t('workspace.mailbox.historyNone') });
  return h(
    'div',
    { class: 'history' },
    h('h3', { id: 'history-title', text: t('workspace.mailbox.historyTitle') }),
    h(
      'ul',
      { class: 'history-list', 'aria-labelledby': 'history-title' },
      ...jobs.map((job) => {
        const percent = job.found ? Math.min(100, Math.round((job.processed / job.found) * 100)) : job.status === 'done' ? 100 : 0;
        return h(
          'li',
          { class: 'history-row' },
          h('span', { class: 'history-address', text: job.address }),
          h('progress', { max: '100', value: String(percent), 'aria-label': t('workspace.mailbox.backfillOf', { address: job.address }) }),
          h(
            'span',
            { class: 'small' },
            t('workspace.mailbox.progress', {
              status: JOB_STATUS.includes(job.status) ? t(`workspace.mailbox.job.${job.status}`) : job.status,
              processed: job.processed,
              found: job.found,
              stored: job.stored,
            }),
            job.finished_at ? h('span', {}, ...tx('workspace.mailbox.finished', { date: timeElement(job.finished_at) })) : null,
          ),
          job.last_error ? h('span', { class: 'small error-text', text: t('workspace.mailbox.jobError', { error: job.last_error }) }) : null,
        );
      }),
    ),
  );
}

function connectForm(state, user, reload) {
  const canEdit = user.isAdmin;
  const host = h('input', { type: 'text', name: 'imap_host', value: state.imap_host || '', autocomplete: 'off', spellcheck: 'false', placeholder: t('workspace.mailbox.hostPlaceholder') });
  const port = h('input', { type: 'number', name: 'imap_port', value: String(state.imap_port || 993), min: '1', max: '65535', inputmode: 'numeric' });
  const username = h('input', { type: 'text', name: 'username', value: state.username || '', autocomplete: 'off', spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const security = h('select', { name: 'security' }, ...SECURITY.map((value) => h('option', { value, text: t(`workspace.mailbox.security.${value}`), selected: value === (state.security || 'ssl') })));
  const error = h('p', { class: 'error', role: 'alert' });
  const result = h('p', { class: 'saved-note', role: 'status', id: 'mailbox-result' });
  const test = h('button', { type: 'button', text: t('workspace.mailbox.test'), disabled: !canEdit });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.mailbox.connect'), disabled: !canEdit });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'connect-title' },
    h('h2', { id: 'connect-title', text: t(state.status === 'not_connected' ? 'workspace.mailbox.connectTitle' : 'workspace.mailbox.changeTitle') }),
    h('p', { class: 'muted small', text: t('workspace.mailbox.connectIntro') }),
    h(
      'fieldset',
      { disabled: !canEdit, 'aria-describedby': canEdit ? null : 'mailbox-read-only' },
      h(
        'div',
        { class: 'grid-2' },
        field({ label: t('workspace.mailbox.host'), control: host, path: 'imap_host' }),
        field({ label: t('workspace.mailbox.port'), control: port, path: 'imap_port' }),
        field({ label: t('workspace.mailbox.username'), control: username, path: 'username' }),
        field({ label: t('workspace.login.password'), control: password, path: 'password' }),
        field({ label: t('workspace.mailbox.security'), control: security, path: 'security' }),
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
    if (!host.value.trim()) missing.push({ name: 'imap_host', message: t('workspace.mailbox.hostMissing') });
    if (!(Number(port.value) >= 1 && Number(port.value) <= 65535)) missing.push({ name: 'imap_port', message: t('workspace.mailbox.portWrong') });
    if (!username.value.trim()) missing.push({ name: 'username', message: t('workspace.mailbox.usernameMissing') });
    if (!password.value) missing.push({ name: 'password', message: t('workspace.mailbox.passwordMissing') });
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
    test.textContent = t('workspace.mailbox.testing');
    try {
      const answer = await call('/v1/firm/mailbox/test', { method: 'POST', body: bodyOf() });
      const folders = (answer.folders || []).join(', ');
      result.textContent = folders ? t('workspace.mailbox.testWorkedFolders', { folders }) : t('workspace.mailbox.testWorked');
    } catch (failure) {
      failed(failure, t('workspace.mailbox.testFailed'));
    } finally {
      test.disabled = false;
      test.textContent = t('workspace.mailbox.test');
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!canEdit || !check()) return;
    save.disabled = true;
    save.textContent = t('workspace.mailbox.connecting');
    try {
      await call('/v1/firm/mailbox', { method: 'PUT', body: bodyOf() });
      password.value = '';
      result.textContent = t('workspace.mailbox.connected');
      reload();
    } catch (failure) {
      failed(failure, t('workspace.mailbox.notConnected'));
    } finally {
      save.disabled = false;
      save.textContent = t('workspace.mailbox.connect');
    }
  });
  return form;
}
