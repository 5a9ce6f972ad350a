"""The security notice of a sign-in from a new device (the invite function's work, on
NewDeviceSignIn): which device, where from as far as the request told, when, and a link
"this was not me" that ends every session (crm.portal.devices).

A required notice: no List-Unsubscribe, no unsubscribe link, whatever the person's
preferences. It comes from the firm of the account the portal opened first at that
sign-in (the event names the grant), to the identity's own address, in the contact's
language, else the firm's, with the firm's time zone and form of address. The firm gets
no copy: it concerns the person's password, and its link is the person's alone.

Sent only while the device record is the one the event announced (the same
`first_seen_at`): the record is the idempotency key, with the function's idempotency on
the event, so a redelivered event sends nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from crm import clock
from crm.core.devices import UNKNOWN, Device, KnownDevice, NewDeviceSignIn, Place
from crm.errors import NotFound
from crm.i18n import Localizer
from crm.integrations.mailer import BODY_STYLE, DANGER_BUTTON_STYLE, Mail, Mailer
from crm.limits.sending import may_email
from crm.observability import logger
from crm.portal.devices import SignedLinks, not_me_token
from crm.storage import access, directory
from crm.storage import devices as store
from crm.storage.sending import firm_facts

Outcome = Literal["sent", "skipped"]
NOT_ME_PATH = "/v1/portal/not-me"


@dataclass
class DeviceNotice:
    mailer: Mailer
    api_base: str
    links: SignedLinks

    def send(self, request: NewDeviceSignIn) -> Outcome:
        device = store.get(request.sub, request.device_id)
        if device is None or device.first_seen_at != request.first_seen_at:
            return _skipped("the device record is not the one announced", request)
        firm = firm_facts(request.firm_id)
        address = device.username
        if firm is None or not may_email(firm.standing, [address]):
            return _skipped("the firm may not email this address", request)
        if address.casefold() in firm.suppressed:
            return _skipped("the address is suppressed", request)
        words = firm.words(_contact_language(request))
        link = f"{self.api_base}{NOT_ME_PATH}?token={not_me_token(self.links, request)}"
        self.mailer.send(new_device_mail(device, firm.name, link, words=words))
        logger.info("new device notice sent", extra=_ids(request))
        return "sent"


def reader_words(request: NewDeviceSignIn) -> tuple[Localizer, str] | None:
    """The words of the person the notice (or its link) is for, and the firm's name;
    None when the firm is gone."""
    firm = firm_facts(request.firm_id)
    if firm is None:
        return None
    return firm.words(_contact_language(request)), firm.name


def _contact_language(request: NewDeviceSignIn) -> str | None:
    return contact_language(request.firm_id, request.account_id, request.email_id)


def contact_language(firm_id: str, account_id: str, email_id: str) -> str | None:
    """The language of the contact behind a grant's row (two reads), if it has one."""
    try:
        row = access.get(firm_id, account_id, email_id)
    except NotFound:  # LOGIN went off since: the firm's language
        return None
    return directory.contact_languages(row.firm_id, [row.contact_id]).get(row.contact_id)


def device_words(words: Localizer, device: Device) -> str:
    """ "Chrome on Windows", "an unknown browser on Android"."""
    browser = device.browser if device.browser != UNKNOWN else words("new-device.unknown-browser")
    system = device.system if device.system != UNKNOWN else words("new-device.unknown-system")
    return words("new-device.device", browser=browser, system=system)


def place_words(words: Localizer, place: Place) -> str:
    """City and country (in the reader's language) when CloudFront said, else the IP
    address, else "unknown"."""
    if place.country:
        from babel import Locale

        country = Locale.parse(words.locale).territories.get(place.country, place.country)
        if place.city:
            return words("new-device.place-city", city=place.city, country=country)
        return words("new-device.place-country", country=country)
    if place.address:
        return words("new-device.place-address", address=place.address)
    return words("new-device.place-unknown")


def time_words(words: Localizer, at: str) -> str:
    return words("new-device.time", time=words.date_time(clock.parse(at)), zone=str(words.zone.key))


def new_device_mail(device: KnownDevice, firm_name: str, link: str, *, words: Localizer) -> Mail:
    """A few lines in the reader's language: what signed in, where from, when, and the
    way to say it was not them."""
    facts = [
        (words("new-device.device-label"), device_words(words, device.device)),
        (words("new-device.place-label"), place_words(words, device.place)),
        (words("new-device.time-label"), time_words(words, device.first_seen_at)),
    ]
    greeting = words("email-greeting")
    said = words("new-device-email.said", firm=firm_name)
    you = words("new-device-email.if-you")
    not_you = words("new-device-email.if-not-you")
    button = words("new-device-email.button")
    lines = "\n".join(f"{label}: {value}" for label, value in facts)
    text = (
        f"{greeting}\n\n{said}\n\n{lines}\n\n{you}\n\n{not_you}\n{button}: {link}\n\n{firm_name}\n"
    )
    rows = "".join(
        f'<tr><th align="left" style="padding-right:12px">{escape(label)}</th>'
        f"<td>{escape(value)}</td></tr>"
        for label, value in facts
    )
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(said)}</p>
<table role="presentation">{rows}</table>
<p>{escape(you)}</p>
<p>{escape(not_you)}</p>
<p><a href="{escape(link, quote=True)}" {DANGER_BUTTON_STYLE}>{escape(button)}</a></p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[device.username],
        subject=words("new-device-email.subject", firm=firm_name),
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def _ids(request: NewDeviceSignIn) -> dict[str, str]:
    return {"firm_id": request.firm_id, "account_id": request.account_id}


def _skipped(reason: str, request: NewDeviceSignIn) -> Outcome:
    logger.info(f"new device notice not sent: {reason}", extra=_ids(request))
    return "skipped"
