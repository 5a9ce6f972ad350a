// "Forgot your password?" under the portal's sign-in form: a small form that asks the API
// for a reset link (POST /v1/portal/password-reset). The API answers the same whether or
// not the address has an account, and so does this page.

import { api } from './api.js';
import { $ } from './dom.js';
import { t } from './i18n.js';

function show(forgot) {
  $('#login-form').hidden = forgot;
  $('#forgot-form').hidden = !forgot;
  $('#forgot-open').setAttribute('aria-expanded', forgot ? 'true' : 'false');
  $('#forgot-open').hidden = forgot;
}

export function forgotForm() {
  const form = $('#forgot-form');
  $('#forgot-open').addEventListener('click', () => {
    form.email.value = $('#login-email').value.trim();
    $('#forgot-error').textContent = '';
    $('#forgot-status').textContent = '';
    show(true);
    form.email.focus();
  });
  $('#forgot-cancel').addEventListener('click', () => {
    show(false);
    $('#login-email').focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#forgot-error');
    const status = $('#forgot-status');
    const email = form.email.value.trim();
    error.textContent = '';
    status.textContent = '';
    if (!email) {
      error.textContent = t('common.login.missingEmail');
      form.email.focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await api('/v1/portal/password-reset', { method: 'POST', body: { email } });
      status.textContent = t('portal.forgot.sent');
    } catch (failure) {
      error.textContent = failure.message;
      form.email.focus();
    } finally {
      button.disabled = false;
    }
  });
}

/** Back to the sign-in form itself (the portal shows its login view again). */
export function closeForgot() {
  show(false);
}
