"""The /activate page: who invites whom, the password rule before the field, a password
form, clear errors; once accepted, the page signs the person in (the login route of
their side, with the invitation's address and the password just given), keeps the
session where the portal or the staff workspace keeps it (sessionStorage, as
web/assets/session.js does), and opens it. Plain HTML and a small script; readable on a
phone."""

from __future__ import annotations

import json
from html import escape
from typing import get_args

from pydantic import StringConstraints

from crm.core.fields import Password
from crm.http.pages import page
from crm.invitations.models import InvitationView


def password_minimum() -> int:
    """The shortest password the product takes (crm.core.fields.Password, the same as
    the user pools' policy in template.yaml, which asks for nothing else)."""
    for rule in get_args(Password)[1:]:
        if isinstance(rule, StringConstraints) and rule.min_length:
            return rule.min_length
    raise AssertionError("crm.core.fields.Password has no minimum length")  # pragma: no cover


_SCRIPT = """
const form = document.getElementById('accept');
const error = document.getElementById('error');
const status = document.getElementById('status');

function startSession(answer) {
  // web/assets/session.js, SessionStore.start: the tab's session, nothing else kept
  for (let i = sessionStorage.length - 1; i >= 0; i -= 1) {
    const name = sessionStorage.key(i);
    if (name && name.startsWith(PAGE.store + '.')) sessionStorage.removeItem(name);
  }
  const session = {token: answer.token, expires_at: Date.now() + answer.expires_in * 1000,
    email: PAGE.email};
  sessionStorage.setItem(PAGE.store + '.session', JSON.stringify(session));
}

async function signIn(password) {
  try {
    const answer = await fetch(PAGE.login, {method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({email: PAGE.email, password})});
    if (!answer.ok) return false;
    startSession(await answer.json());
    return true;
  } catch (_) {
    return false;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  const password = form.password.value;
  if (!password) {
    error.textContent = 'Enter your password.';
    form.password.focus();
    return;
  }
  if (form.confirm && password.length < PAGE.minimum) {
    error.textContent = 'The password is too short: use at least ' + PAGE.minimum + ' characters.';
    form.password.focus();
    return;
  }
  if (form.confirm && password !== form.confirm.value) {
    error.textContent = 'The two passwords are not the same.';
    form.confirm.focus();
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  status.textContent = 'Activating your login…';
  try {
    const answer = await fetch(PAGE.accept, {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({password})});
    const body = await answer.json().catch(() => ({}));
    if (answer.ok) {
      const destination = body.login_url || PAGE.destination;
      status.textContent = 'Signing you in…';
      if (await signIn(password)) {
        location.assign(destination);
        return;
      }
      status.textContent = '';
      document.getElementById('form-section').hidden = true;
      document.getElementById('done').hidden = false;
      document.getElementById('next-link').href = destination;
      document.getElementById('done-title').focus();
    } else {
      status.textContent = '';
      const fields = (body.error && body.error.fields) || [];
      error.textContent = fields.length ? fields.map(f => f.message).join(' ')
        : (body.error && body.error.message) || 'Something went wrong. Please try again.';
    }
  } catch (_) {
    status.textContent = '';
    error.textContent = 'The connection failed. Please try again.';
  } finally {
    button.disabled = false;
  }
});
"""


def activation_page(view: InvitationView, token: str, api_base: str) -> str:
    minimum = password_minimum()
    staff = view.audience == "staff"
    if staff:
        what = f"{escape(view.firm_name)} invites you to join their team."
        where, next_label = "/app", "Go to your workspace"
    else:
        names = ", ".join(view.account_names) or "your account"
        what = f"{escape(view.firm_name)} invites you to the client portal for {escape(names)}."
        where, next_label = "/portal", "Go to the portal"
    if view.existing_user:
        fields = """<p id="password-rule" class="hint">You already use the client portal with
this address: use your current password. The new access is added to your login.</p>
<label for="password">Your current password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required
 aria-describedby="password-rule">"""
    else:
        fields = f"""<p id="password-rule" class="hint">Your password needs at least {minimum}
characters; any characters count (a few words you will remember make a good one).</p>
<label for="password">Choose a password</label>
<input id="password" name="password" type="password" autocomplete="new-password"
 minlength="{minimum}" required aria-describedby="password-rule">
<label for="confirm">Repeat the password</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password"
 minlength="{minimum}" required>"""
    settings = {
        "accept": f"{api_base}/v1/invitations/{token}/accept",
        "login": f"{api_base}/v1/{'staff' if staff else 'portal'}/login",
        "store": "crm.staff" if staff else "crm.portal",
        "email": view.email,
        "minimum": minimum,
        "destination": where,
    }
    # </script> cannot close the script early: json.dumps leaves "<" and "/" as they are
    script_settings = json.dumps(settings).replace("<", "\\u003c")
    return page(
        "Accept your invitation",
        f"""<section id="form-section">
<h1>Accept your invitation</h1>
<p>{what}</p>
<p>Your login: <strong>{escape(view.email)}</strong></p>
<form id="accept" novalidate>
{fields}
<button type="submit">Accept and continue</button>
<p id="status" class="hint" role="status" aria-live="polite"></p>
<p id="error" class="error" role="alert" aria-live="assertive"></p>
</form>
</section>
<section id="done" hidden>
<h1 id="done-title" tabindex="-1">Your login is active</h1>
<p>Sign in with {escape(view.email)} and your password.</p>
<a id="next-link" class="button" href="{where}">{next_label}</a>
</section>
<script>const PAGE = {script_settings};{_SCRIPT}</script>""",
    )


def unusable_page() -> str:
    return page(
        "Invitation link not valid",
        """<h1>This link cannot be used</h1>
<p>The invitation may have expired, been used already, or been replaced by a newer one.
Ask the firm to send you a new invitation.</p>""",
    )
