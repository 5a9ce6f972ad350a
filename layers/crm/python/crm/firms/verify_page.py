"""The /verify page: which firm, one button. Its script is a file of web/ on the pages'
origin (/assets/verify.js), never inline: the page's CSP allows scripts from 'self' only
(answered with crm.http.pages.html_response, script="self")."""

from __future__ import annotations

from html import escape

from crm.http.pages import page
from crm.i18n import Localizer

SCRIPT = "/assets/verify.js"  # served with web/ (crm.http.pages: script="self")


def verify_page(firm_name: str, token: str, words: Localizer) -> str:
    def text(name: str) -> str:
        return escape(words(f"verify-page.{name}", firm=firm_name))

    return page(
        words("verify-page.title"),
        f"""<section id="form-section">
<h1>{text("heading")}</h1>
<p>{text("text")}</p>
<form id="verify" data-token="{escape(token, quote=True)}">
<button type="submit">{text("button")}</button>
<p id="error" class="error" role="alert" aria-live="assertive"></p>
</form>
<noscript><p class="error">{text("noscript")}</p></noscript>
</section>
<section id="done" hidden>
<h1 id="done-title" tabindex="-1">{text("done-heading")}</h1>
<p>{text("done-text")}</p>
<a class="button" href="/app">{text("go-workspace")}</a>
</section>
<script type="module" src="{SCRIPT}"></script>""",
        lang=words.tag,
    )


def unusable_page(words: Localizer) -> str:
    return page(
        words("verify-unusable.title"),
        f"""<h1>{escape(words("verify-unusable.heading"))}</h1>
<p>{escape(words("verify-unusable.text"))}</p>""",
        lang=words.tag,
    )
