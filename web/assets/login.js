// The sign-in form both pages share: checks the fields, calls the login route, starts
// the session, then hands the answer to the page. Errors are shown in words.

import { api } from './api.js';
import { $ } from './dom.js';

export function signInForm(form, path, store, signedIn) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#login-error');
    const email = form.email.value.trim();
    const password = form.password.value;
    error.textContent = '';
    if (!email || !password) {
      error.textContent = email ? 'Enter your password.' : 'Enter your email address.';
      (email ? form.password : form.email).focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    button.textContent = 'Signing in…';
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
      button.textContent = 'Sign in';
    }
  });
}
