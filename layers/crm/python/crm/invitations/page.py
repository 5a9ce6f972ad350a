"""The /activate page: who invites whom, the password rule before the field, a password
form, clear errors; once accepted, the page signs the person in (the login route of
their side, with the invitation's address and the password just given), keeps the
session where the portal or the staff workspace keeps it (sessionStorage, as
web/assets/session.js does), and opens it. Plain HTML and a small script; readable on a
phone.

Every text is the invitee's language (crm.invitations.accounts.invitee_words), the
script's too: it reads its sentences from PAGE.texts, and asks the API for its errors in
the page's language."""

from __future__ import annotations

import json
from html import escape
from typing import get_args

from pydantic import StringConstraints

from crm import clock
from crm.core.fields import Password
from crm.http.pages import page, sentence
from crm.i18n import Localizer, localizer
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
      headers: {'Content-Type': 'application/json', 'Accept-Language': PAGE.lang},
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
    error.textContent = PAGE.texts.enterPassword;
    form.password.focus();
    return;
  }
  if (form.confirm && password.length < PAGE.minimum) {
    error.textContent = PAGE.texts.tooShort;
    form.password.focus();
    return;
  }
  if (form.confirm && password !== form.confirm.value) {
    error.textContent = PAGE.texts.notSame;
    form.confirm.focus();
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  status.textContent = PAGE.texts.activating;
  try {
    const answer = await fetch(PAGE.accept, {method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept-Language': PAGE.lang},
      body: JSON.stringify({password})});
    const body = await answer.json().catch(() => ({}));
    if (answer.ok) {
      const destination = body.login_url || PAGE.destination;
      status.textContent = PAGE.texts.signingIn;
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
        : (body.error && body.error.message) || PAGE.texts.failed;
    }
  } catch (_) {
    status.textContent = '';
    error.textContent = PAGE.texts.connection;
  } finally {
    button.disabled = false;
  }
});
"""


def page_words(view: InvitationView) -> Localizer:
    """The invitee's language, the firm's form of address and time zone (the view's)."""
    informal = view.form_of_address == "informal"
    return localizer(view.language, informal=informal, time_zone_name=view.time_zone)


def activation_page(view: InvitationView, token: str, api_base: str, words: Localizer) -> str:
    """The page of a usable invitation, in `words` (page_words(view), the invitee's)."""
    minimum = password_minimum()
    staff = view.audience == "staff"
    if staff:
        what = words("activate-page.staff", firm=view.firm_name)
        where, next_label = "/app", words("activate-page.go-workspace")
    elif view.account_names:
        what = words(
            "activate-page.client", firm=view.firm_name, accounts=", ".join(view.account_names)
        )
        where, next_label = "/portal", words("activate-page.go-portal")
    else:
        what = words("activate-page.client-no-accounts", firm=view.firm_name)
        where, next_label = "/portal", words("activate-page.go-portal")
    if view.existing_user:
        fields = f"""<p id="password-rule" class="hint">{escape(words("activate-page.existing-rule"))}</p>
<label for="password">{escape(words("activate-page.current-password"))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required
 aria-describedby="password-rule">"""
    else:
        fields = f"""<p id="password-rule" class="hint">{escape(words("activate-page.new-rule", minimum=minimum))}</p>
<label for="password">{escape(words("activate-page.choose-password"))}</label>
<input id="password" name="password" type="password" autocomplete="new-password"
 minlength="{minimum}" required aria-describedby="password-rule">
<label for="confirm">{escape(words("activate-page.repeat-password"))}</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password"
 minlength="{minimum}" required>"""
    settings = {
        "accept": f"{api_base}/v1/invitations/{token}/accept",
        "login": f"{api_base}/v1/{'staff' if staff else 'portal'}/login",
        "store": "crm.staff" if staff else "crm.portal",
        "email": view.email,
        "minimum": minimum,
        "destination": where,
        "lang": words.tag,
        "texts": script_texts(words, minimum),
    }
    # </script> cannot close the script early: json.dumps leaves "<" and "/" as they are
    script_settings = json.dumps(settings).replace("<", "\\u003c")
    expires = words.date_time(clock.parse(view.expires_at))
    return page(
        words("activate-page.title"),
        f"""<section id="form-section">
<h1>{escape(words("activate-page.heading"))}</h1>
<p>{escape(what)}</p>
<p>{sentence(words, "activate-page.login", strong={"email": view.email})}</p>
<p class="hint">{escape(words("activate-page.expires", expires=expires))}</p>
<form id="accept" novalidate>
{fields}
<button type="submit">{escape(words("activate-page.button"))}</button>
<p id="status" class="hint" role="status" aria-live="polite"></p>
<p id="error" class="error" role="alert" aria-live="assertive"></p>
</form>
</section>
<section id="done" hidden>
<h1 id="done-title" tabindex="-1">{escape(words("activate-page.done-heading"))}</h1>
<p>{escape(words("activate-page.done-text", email=view.email))}</p>
<a id="next-link" class="button" href="{where}">{escape(next_label)}</a>
</section>
<script>const PAGE = {script_settings};{_SCRIPT}</script>""",
        lang=words.tag,
    )


def script_texts(words: Localizer, minimum: int) -> dict[str, str]:
    """What the script says, by its name there (PAGE.texts)."""
    return {
        "enterPassword": words("activate-script.enter-password"),
        "tooShort": words("activate-script.too-short", minimum=minimum),
        "notSame": words("activate-script.not-same"),
        "activating": words("activate-script.activating"),
        "signingIn": words("activate-script.signing-in"),
        "failed": words("activate-script.failed"),
        "connection": words("activate-script.connection"),
    }


def unusable_page(words: Localizer) -> str:
    return page(
        words("activate-unusable.title"),
        f"""<h1>{escape(words("activate-unusable.heading"))}</h1>
<p>{escape(words("activate-unusable.text"))}</p>""",
        lang=words.tag,
    )
