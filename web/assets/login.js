// The sign-in form both pages share: checks the fields, calls the login route, starts
// the session, then hands the answer to the page. Errors are shown in words, in the
// page's language (the API's own messages follow the Accept-Language api.js sends).

import { api } from './api.js';
import { $ } from './dom.js';
import { t } from './i18n.js';

export function signInForm(form, path, store, signedIn) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#login-error');
    const email = form.email.value.trim();
    const password = form.password.value;
    error.textContent = '';
    if (!email || !password) {
      error.textContent = email ? t('common.login.missingPassword') : t('common.login.missingEmail');
      (email ? form.password : form.email).focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    button.textContent = t('common.login.busy');
    try {
      const answer = await api(path, { method: 'POST', body: { email, password } });
      store.start(answer, { email }); // a new login: the portal's notice shows again
      form.reset();
      await signedIn(answer);
    } catch (failure) {
      error.textContent = failure.message;
      form.password.focus();
    } finally {
      button.disabled = false;
      button.textContent = t('common.login.submit');
    }
  });
}
