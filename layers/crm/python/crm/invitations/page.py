"""The /activate page: who invites whom, a password form, clear errors, and a success
state that links to the portal. Plain HTML and a small script; readable on a phone."""

from __future__ import annotations

import json
from html import escape

from crm.http.pages import page
from crm.invitations.models import InvitationView

_SCRIPT = """
const form = document.getElementById('accept');
const error = document.getElementById('error');
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  const password = form.password.value;
  if (form.confirm && password !== form.confirm.value) {
    error.textContent = 'The two passwords are not the same.';
    form.confirm.focus();
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const answer = await fetch(ACCEPT_URL, {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({password})});
    const body = await answer.json().catch(() => ({}));
    if (answer.ok) {
      document.getElementById('form-section').hidden = true;
      document.getElementById('done').hidden = false;
      document.getElementById('portal-link').href = body.login_url || '/portal';
      document.getElementById('done-title').focus();
    } else {
      const fields = (body.error && body.error.fields) || [];
      error.textContent = fields.length ? fields.map(f => f.message).join(' ')
        : (body.error && body.error.message) || 'Something went wrong. Please try again.';
    }
  } catch (_) {
    error.textContent = 'The connection failed. Please try again.';
  } finally {
    button.disabled = false;
  }
});
"""


def activation_page(view: InvitationView, token: str, api_base: str) -> str:
    accept_url = f"{api_base}/v1/invitations/{token}/accept"
    if view.audience == "staff":
        what = f"{escape(view.firm_name)} invites you to join their team."
    else:
        names = ", ".join(view.account_names) or "your account"
        what = f"{escape(view.firm_name)} invites you to the client portal for {escape(names)}."
    if view.existing_user:
        fields = """<label for="password">Your current password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p class="hint">You already have a portal login; enter its password to add this access.</p>"""
    else:
        fields = """<label for="password">Choose a password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12"
 required aria-describedby="password-hint">
<p id="password-hint" class="hint">At least 12 characters.</p>
<label for="confirm">Repeat the password</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12"
 required>"""
    return page(
        "Accept your invitation",
        f"""<section id="form-section">
<h1>Accept your invitation</h1>
<p>{what}</p>
<p>Your login: <strong>{escape(view.email)}</strong></p>
<form id="accept" novalidate>
{fields}
<button type="submit">Accept and continue</button>
<p id="error" class="error" role="alert" aria-live="assertive"></p>
</form>
</section>
<section id="done" hidden>
<h1 id="done-title" tabindex="-1">You are all set</h1>
<p>Your login is active. Sign in with {escape(view.email)} and the password you chose.</p>
<a id="portal-link" class="button" href="/portal">Go to the portal</a>
</section>
<script>const ACCEPT_URL = {json.dumps(accept_url)};{_SCRIPT}</script>""",
    )


def unusable_page() -> str:
    return page(
        "Invitation link not valid",
        """<h1>This link cannot be used</h1>
<p>The invitation may have expired, been used already, or been replaced by a newer one.
Ask the firm to send you a new invitation.</p>""",
    )
