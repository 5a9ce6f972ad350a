"""The pages of the links in notification emails: unsubscribe (RFC 8058: the page changes
nothing, its button posts) and the activation request of the banner. Each is in the
language of the person the email went to (`words`); a link that names nobody, in the
browser's. At most a form posting back to the same route, no script."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from crm.core.access import AccessRecord
from crm.core.categories import required_in
from crm.http.pages import page, sentence
from crm.i18n import Localizer
from crm.notifications.service import ActivationResult


def invalid_link(words: Localizer) -> str:
    return page(
        words("link-invalid.title"),
        f"""<h1>{escape(words("link-invalid.heading"))}</h1>
<p>{escape(words("link-invalid.text"))}</p>""",
        lang=words.tag,
    )


def unsubscribe_question(words: Localizer, row: AccessRecord, category: str, token: str) -> str:
    action = f"/v1/unsubscribe?token={quote(token)}"
    question = sentence(
        words,
        "unsubscribe-page.question",
        strong={"label": words(f"notification-category.{category}")},
        account=row.account_name,
        address=row.address,
    )
    still = ""
    if required_in(category):  # invoices and payments: payment confirmations still come
        still = f"\n<p>{escape(words('unsubscribe-required.' + category))}</p>"
    return page(
        words("unsubscribe-page.title"),
        f"""<h1>{escape(words("unsubscribe-page.heading"))}</h1>
<p>{question}</p>{still}
<form method="post" action="{escape(action, quote=True)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">{escape(words("unsubscribe-page.button"))}</button></form>""",
        lang=words.tag,
    )


def unsubscribed(words: Localizer, row: AccessRecord, category: str) -> str:
    done = words(
        "unsubscribe-page.done-text",
        address=row.address,
        label=words(f"notification-category.{category}"),
        account=row.account_name,
    )
    return page(
        words("unsubscribe-page.done-title"),
        f"""<h1>{escape(words("unsubscribe-page.done-heading"))}</h1>
<p>{escape(done)}</p>""",
        lang=words.tag,
    )


def locked_category(words: Localizer, row: AccessRecord, category: str) -> str:
    """A link of a category the firm locked: nothing to change here, and who to ask."""
    text = sentence(
        words,
        "unsubscribe-locked.text",
        strong={"label": words(f"notification-category.{category}")},
        account=row.account_name,
        address=row.address,
    )
    return page(
        words("unsubscribe-locked.title"),
        f"""<h1>{escape(words("unsubscribe-locked.heading"))}</h1>
<p>{text}</p>""",
        lang=words.tag,
    )


def activation_question(words: Localizer, token: str) -> str:
    action = f"/v1/activation-request?token={quote(token)}"
    return page(
        words("activation-request-page.title"),
        f"""<h1>{escape(words("activation-request-page.heading"))}</h1>
<p>{escape(words("activation-request-page.text"))}</p>
<form method="post" action="{escape(action, quote=True)}">
<button type="submit">{escape(words("activation-request-page.button"))}</button></form>""",
        lang=words.tag,
    )


def activation_answer(words: Localizer, result: ActivationResult, address: str) -> str:
    said = words(f"activation-request-page.{result}", address=address)
    return page(
        words("activation-request-page.title"),
        f"""<h1>{escape(words("activation-request-page.result-heading"))}</h1>
<p>{escape(said)}</p>""",
        lang=words.tag,
    )
