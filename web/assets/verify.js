// The /verify page (served by the API, crm/firms/verify_page.py): posts the link's token
// to POST /v1/firms/verify when the owner presses the button. Nothing happens on load, so
// a mail scanner that opens the link confirms nothing.
import { api } from './api.js';

const form = document.getElementById('verify');
const error = document.getElementById('error');

form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await api('/v1/firms/verify', { method: 'POST', body: { token: form.dataset.token } });
    document.getElementById('form-section').hidden = true;
    document.getElementById('done').hidden = false;
    document.getElementById('done-title').focus();
  } catch (failure) {
    error.textContent = failure.message;
  } finally {
    button.disabled = false;
  }
});
