"""The /verify page: which firm, one button. Its script is a file of web/ on the pages'
origin (/assets/verify.js), never inline: the page's CSP allows scripts from 'self' only
(answered with crm.http.pages.html_response, script="self")."""

from __future__ import annotations

from html import escape

from crm.http.pages import page

SCRIPT = "/assets/verify.js"  # served with web/ (crm.http.pages: script="self")


def verify_page(firm_name: str, token: str) -> str:
    return page(
        "Confirm your address",
        f"""<section id="form-section">
<h1>Confirm your address</h1>
<p>Confirm that you own {escape(firm_name)} and that this is your address. Until you do,
{escape(firm_name)} can email nobody but you.</p>
<form id="verify" data-token="{escape(token, quote=True)}">
<button type="submit">Confirm my address</button>
<p id="error" class="error" role="alert" aria-live="assertive"></p>
</form>
<noscript><p class="error">This page needs JavaScript to confirm your address.</p></noscript>
</section>
<section id="done" hidden>
<h1 id="done-title" tabindex="-1">Address confirmed</h1>
<p>{escape(firm_name)} can now invite your team and your clients.</p>
<a class="button" href="/app">Go to the staff app</a>
</section>
<script type="module" src="{SCRIPT}"></script>""",
    )


def unusable_page() -> str:
    return page(
        "Confirmation link not valid",
        """<h1>This link cannot be used</h1>
<p>It may have expired, been used already, or been replaced by a newer one. Sign in and
ask for a new confirmation email in the firm's settings.</p>""",
    )
