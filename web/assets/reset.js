// The page of a password reset link (web/reset/index.html, {PORTAL_URL}/reset?token=...):
// reads the link (GET changes nothing), then posts the new password, typed twice, to
// POST /v1/portal/password-reset/{token}. The page speaks the language of the email that
// carried the link (the API says which), unless the reader picked another.

import { api } from './api.js';
import { $, h } from './dom.js';
import { languageSwitch, onLanguageChange, setPersonLanguage, start, t } from './i18n.js';

const token = new URLSearchParams(location.search).get('token') || '';
const path = `/v1/portal/password-reset/${encodeURIComponent(token)}`;
const state = { minimum: 12, unusable: '' };

const UNUSABLE = {
  link_used: 'portal.reset.used',
  link_expired: 'portal.reset.expired',
};

function redraw() {
  $('#reset-rule').textContent = t('portal.reset.rule', { minimum: state.minimum });
  if (state.unusable) $('#reset-unusable-text').textContent = t(state.unusable);
}

function showOnly(id) {
  for (const section of ['reset-checking', 'reset-form-section', 'reset-done', 'reset-unusable']) {
    $(`#${section}`).hidden = section !== id;
  }
}

function unusable(code) {
  state.unusable = UNUSABLE[code] || 'portal.reset.invalid';
  redraw();
  showOnly('reset-unusable');
  $('#reset-unusable-title').focus();
}

async function read() {
  if (!token) return unusable('');
  try {
    const link = await api(path);
    state.minimum = link.password_minimum || state.minimum;
    await setPersonLanguage(link.language);
    redraw();
    showOnly('reset-form-section');
    $('#reset-title').focus();
  } catch (failure) {
    unusable(failure.code);
  }
}

async function save(event) {
  event.preventDefault();
  const form = $('#reset-form');
  const error = $('#reset-error');
  const password = form.password.value;
  error.textContent = '';
  if (password.length < state.minimum) {
    error.textContent = t('portal.reset.tooShort', { minimum: state.minimum });
    form.password.focus();
    return;
  }
  if (password !== form.confirm.value) {
    error.textContent = t('portal.reset.notSame');
    form.confirm.focus();
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  $('#reset-status').textContent = t('portal.reset.saving');
  try {
    await api(path, { method: 'POST', body: { password } });
    form.reset();
    showOnly('reset-done');
    $('#reset-done-title').focus();
  } catch (failure) {
    if (failure.status === 410 || failure.status === 404) {
      unusable(failure.code);
      return;
    }
    error.textContent = failure.message;
    form.password.focus();
  } finally {
    button.disabled = false;
    $('#reset-status').textContent = '';
  }
}

async function init() {
  await start({ person: null, areas: ['common', 'portal'] });
  $('#language-slot').replaceChildren(languageSwitch(h));
  onLanguageChange(redraw);
  $('#reset-form').addEventListener('submit', save);
  await read();
}

init();
