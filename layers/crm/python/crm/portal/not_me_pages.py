"""The pages of the "this was not me" link: the question (changes nothing, its button
posts), the answer once every session has ended, and the pages of a link that cannot
be used. In the language of the person the link names (crm.portal.device_notice)."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from crm.core.devices import NOT_ME_DAYS, KnownDevice
from crm.http.pages import page, sentence
from crm.i18n import Localizer
from crm.portal.device_notice import NOT_ME_PATH, device_words, place_words, time_words


def question(words: Localizer, device: KnownDevice | None, token: str) -> str:
    action = f"{NOT_ME_PATH}?token={quote(token)}"
    what = ""
    if device is not None:
        what = (
            "<p>"
            + sentence(
                words,
                "not-me-page.what",
                strong={"device": device_words(words, device.device)},
                place=place_words(words, device.place),
                time=time_words(words, device.first_seen_at),
            )
            + "</p>"
        )
    return page(
        words("not-me-page.title"),
        f"""<h1>{escape(words("not-me-page.heading"))}</h1>
{what}
<p>{escape(words("not-me-page.explain"))}</p>
<form method="post" action="{escape(action, quote=True)}">
<button type="submit">{escape(words("not-me-page.button"))}</button></form>""",
        lang=words.tag,
    )


def done(words: Localizer, firm_name: str) -> str:
    return page(
        words("not-me-done.title"),
        f"""<h1>{escape(words("not-me-done.heading"))}</h1>
<p>{escape(words("not-me-done.text"))}</p>
<p>{escape(words("not-me-done.password", firm=firm_name))}</p>""",
        lang=words.tag,
    )


def expired(words: Localizer, firm_name: str) -> str:
    return page(
        words("not-me-expired.title"),
        f"""<h1>{escape(words("not-me-expired.heading"))}</h1>
<p>{escape(words("not-me-expired.text", days=NOT_ME_DAYS, firm=firm_name))}</p>""",
        lang=words.tag,
    )


def invalid(words: Localizer) -> str:
    return page(
        words("link-invalid.title"),
        f"""<h1>{escape(words("link-invalid.heading"))}</h1>
<p>{escape(words("link-invalid.text"))}</p>""",
        lang=words.tag,
    )
