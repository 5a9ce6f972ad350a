"""Sign-in from a new device (issue 14): the device a portal user signs in from is
recognised; a new one, for a user who already has one, is announced once by a security
notice with a "this was not me" link that ends every session; every sign-in is written
on the user's access rows (`last_sign_in_at`)."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.exceptions import ClientError

from crm import clock
from crm.core.devices import NEW_DEVICE_SIGN_IN, KnownDevice, Place, device_of, place_of
from crm.i18n import localizer
from crm.portal import not_me_pages
from crm.portal.device_notice import new_device_mail
from crm.settings import get_settings
from crm.storage.items import Item
from tests.i18n import UNTRANSLATED, pseudo_locale
from tests.support import Answer, Context, load_event
from tests.unit.conftest import (
    PASSWORD,
    REGION,
    Api,
    Staff,
    claims_of,
    html_of,
    mail_to,
    outbox_events,
    table_items,
    text_of,
)

ADDRESS = "ann@home.example"
CURL = "curl/8.5.0"  # the canonical events' User-Agent
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
NOT_ME_LINK = re.compile(r"https?://\S+/v1/portal/not-me\?token=([A-Za-z0-9_.%-]+)")


# ------------------------------------------------------------------ helpers


def activate(owner: Staff, *accounts: str, agent: str = CURL) -> tuple[str, list[str]]:
    """Ann on each account with LOGIN on, invited once and accepted from `agent`; returns
    her contact id and the rows' email ids."""
    contact = owner.contact(ADDRESS)
    email_id = contact["emails"][0]["email_id"]
    for account_id in accounts:
        owner.link(account_id, contact["contact_id"])
    token = owner.send_invitation(accounts[0], email_id)
    for account_id in accounts[1:]:
        assert owner.toggle(account_id, email_id, login=True).status == 200
    accepted = owner.api.call(
        "invitations_api",
        "AcceptInvitation",
        path={"token": token},
        body={"password": PASSWORD},
        headers={"user-agent": agent},
    )
    assert accepted.status == 200, accepted.body
    return contact["contact_id"], [email_id]


def sign_in(api: Api, agent: str, headers: dict[str, str] | None = None) -> Answer:
    answer = api.call(
        "portal_api",
        "PortalLogin",
        body={"email": ADDRESS, "password": PASSWORD},
        headers={"user-agent": agent, **(headers or {})},
    )
    assert answer.status == 200, answer.body
    return answer


def deliver_notices(api: Api) -> list[dict[str, str]]:
    """Hand every NewDeviceSignIn of the outbox to the invite function, as the bus would."""
    outcomes = []
    for event in outbox_events(NEW_DEVICE_SIGN_IN):
        raw = load_event("invite", "NewDeviceSignIn")
        raw["detail"] = event.detail
        outcomes.append(api.module("invite").lambda_handler(raw, Context()))
    return outcomes


def notices() -> list[EmailMessage]:
    return [
        m
        for m in mail_to(ADDRESS)
        if "new device" in str(m["Subject"]) or "nieuw" in str(m["Subject"])
    ]


def not_me_token(message: EmailMessage) -> str:
    found = NOT_ME_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(1)


def not_me(api: Api, route: str, token: str) -> Answer:
    return api.call("portal_api", route, query={"token": token})


def accounts_status(api: Api, token: str) -> int:
    return api.call("portal_api", "PortalAccounts", claims=claims_of(token)).status


def items_of(kind: str) -> list[dict[str, Any]]:
    return [i for i in table_items() if i.get("kind", {}).get("S") == kind]


@pytest.fixture
def account(owner: Staff) -> str:
    return owner.account()


# ------------------------------------------------------------------ devices


def test_a_device_is_the_browser_family_and_the_system_without_versions() -> None:
    older = FIREFOX_WINDOWS.replace("133.0", "128.0")

    assert device_of(FIREFOX_WINDOWS).model_dump() == {"browser": "Firefox", "system": "Windows"}
    assert device_of(SAFARI_IPHONE).model_dump() == {"browser": "Safari", "system": "iOS"}
    assert device_of(older).device_id == device_of(FIREFOX_WINDOWS).device_id
    assert device_of(SAFARI_IPHONE).device_id != device_of(FIREFOX_WINDOWS).device_id
    edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"
    assert device_of(edge).browser == "Edge"
    assert device_of(None).model_dump() == {"browser": "unknown", "system": "unknown"}


def test_the_place_is_what_cloudfront_says_else_the_ip_address() -> None:
    told = place_of(
        {"CloudFront-Viewer-Country": "nl", "cloudfront-viewer-city": "Den%20Haag"}, "10.0.0.1"
    )
    assert (told.country, told.city, told.address) == ("NL", "Den Haag", None)
    assert place_of({}, "203.0.113.10").address == "203.0.113.10"
    assert place_of({"cloudfront-viewer-country": "Netherlands"}, None).country is None


# ------------------------------------------------------------------ the notice


def test_the_first_sign_in_after_activation_sends_nothing(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account, agent=FIREFOX_WINDOWS)

    sign_in(api, FIREFOX_WINDOWS)

    assert outbox_events(NEW_DEVICE_SIGN_IN) == []
    assert notices() == []


def test_the_first_device_of_a_user_is_recorded_without_a_notice(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account, agent=CURL)
    for item in items_of("portal_device"):  # as if activated before devices were recorded
        boto3.client("dynamodb", region_name=REGION).delete_item(
            TableName=get_settings().table_name, Key={"pk": item["pk"], "sk": item["sk"]}
        )

    sign_in(api, SAFARI_IPHONE)

    assert outbox_events(NEW_DEVICE_SIGN_IN) == []
    assert [i["browser"]["S"] for i in items_of("portal_device")] == ["Safari"]


def test_the_same_device_again_sends_nothing(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account, agent=FIREFOX_WINDOWS)
    sign_in(api, FIREFOX_WINDOWS)

    sign_in(api, FIREFOX_WINDOWS.replace("133.0", "134.0"))  # the browser updated

    assert outbox_events(NEW_DEVICE_SIGN_IN) == []


def test_a_new_device_sends_one_notice_with_device_place_and_time(
    api: Api, owner: Staff, account: str
) -> None:
    owner.settings(time_zone="Europe/Amsterdam")
    activate(owner, account, agent=FIREFOX_WINDOWS)

    sign_in(
        api,
        SAFARI_IPHONE,
        {"cloudfront-viewer-country": "NL", "cloudfront-viewer-city": "Utrecht"},
    )

    assert deliver_notices(api) == [{"outcome": "sent"}]
    [notice] = notices()
    text = text_of(notice)
    assert notice["Subject"] == "Ledger & Co: sign-in from a new device"
    assert "Safari on iOS" in text
    assert "Utrecht, Netherlands" in text
    first_seen = items_of("portal_device")
    seen_at = next(i["first_seen_at"]["S"] for i in first_seen if i["browser"]["S"] == "Safari")
    local = clock.parse(seen_at).astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"{local:%H:%M} (Europe/Amsterdam)" in text
    assert NOT_ME_LINK.search(text)
    assert "This was not me" in html_of(notice)
    assert notice["List-Unsubscribe"] is None  # a required security notice
    assert "unsubscribe" not in html_of(notice).lower()


def test_without_cloudfront_the_place_is_the_ip_address(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account, agent=FIREFOX_WINDOWS)

    sign_in(api, SAFARI_IPHONE)
    deliver_notices(api)

    assert "IP address 203.0.113.10" in text_of(notices()[0])


def test_the_notice_is_in_dutch_for_a_dutch_contact(api: Api, owner: Staff, account: str) -> None:
    contact_id, _ = activate(owner, account, agent=FIREFOX_WINDOWS)
    owner.contact_language(contact_id, "nl")

    sign_in(api, SAFARI_IPHONE, {"cloudfront-viewer-country": "BE"})
    deliver_notices(api)

    [notice] = notices()
    text = text_of(notice)
    assert notice["Subject"] == "Ledger & Co: ingelogd vanaf een nieuw apparaat"
    assert notice["Content-Language"] == "nl"
    assert "Safari op iOS" in text
    assert "Plaats: Belgi" in text  # België (moto's SES keeps no 8-bit text intact)
    assert "Was u het niet?" in text
    assert "Dit was ik niet" in html_of(notice)


def test_an_event_delivered_twice_sends_one_email(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account, agent=FIREFOX_WINDOWS)
    sign_in(api, SAFARI_IPHONE)

    first = deliver_notices(api)
    second = deliver_notices(api)

    assert first == second == [{"outcome": "sent"}]
    assert len(notices()) == 1


def test_a_late_event_for_a_device_recorded_again_since_sends_nothing(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account, agent=FIREFOX_WINDOWS)
    sign_in(api, SAFARI_IPHONE)
    [event] = outbox_events(NEW_DEVICE_SIGN_IN)
    raw = load_event("invite", "NewDeviceSignIn")
    raw["detail"] = {**event.detail, "first_seen_at": "2020-01-01T00:00:00Z"}

    assert api.module("invite").lambda_handler(raw, Context()) == {"outcome": "skipped"}
    assert notices() == []


# ------------------------------------------------------------------ this was not me


def notice_token(api: Api, owner: Staff, account: str) -> tuple[str, str]:
    """Ann active, signed in on her own device and then on a new one; the old session's
    token and the link's token."""
    activate(owner, account, agent=FIREFOX_WINDOWS)
    mine = sign_in(api, FIREFOX_WINDOWS).body["token"]
    sign_in(api, SAFARI_IPHONE)
    deliver_notices(api)
    return mine, not_me_token(notices()[0])


def test_the_not_me_page_shows_what_happened_and_changes_nothing(
    api: Api, owner: Staff, account: str
) -> None:
    session, token = notice_token(api, owner, account)

    page = not_me(api, "NotMePage", token)

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Safari on iOS" in page.body
    assert '<form method="post"' in page.body
    assert "End every session" in page.body
    assert accounts_status(api, session) == 200


def test_not_me_signs_out_everywhere_and_old_tokens_are_refused(
    api: Api, owner: Staff, account: str
) -> None:
    session, token = notice_token(api, owner, account)
    cognito = boto3.client("cognito-idp", region_name=REGION)
    settings = get_settings()
    signed = cognito.initiate_auth(
        ClientId=settings.portal_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": ADDRESS, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]

    done = not_me(api, "NotMe", token)

    assert done.status == 200
    assert "Everyone has been signed out" in done.body
    assert accounts_status(api, session) == 401
    opened = api.call(
        "portal_api", "PortalAccount", claims=claims_of(session), path={"account_id": account}
    )
    assert (opened.status, opened.body["error"]["code"]) == (401, "session_ended")
    assert accounts_status(api, signed["IdToken"]) == 401
    with pytest.raises(ClientError):  # Cognito's global sign-out: no refresh either
        cognito.initiate_auth(
            ClientId=settings.portal_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": signed["RefreshToken"]},
        )
    assert not_me(api, "NotMe", token).status == 200  # twice is harmless


def test_a_disowned_device_is_announced_again(api: Api, owner: Staff, account: str) -> None:
    _, token = notice_token(api, owner, account)
    not_me(api, "NotMe", token)
    clock.advance(1)

    sign_in(api, SAFARI_IPHONE)

    assert len(outbox_events(NEW_DEVICE_SIGN_IN)) == 2


def test_a_tampered_link_gets_a_clear_page(api: Api, owner: Staff, account: str) -> None:
    session, token = notice_token(api, owner, account)
    payload, mac = token.split(".")
    tampered = f"{payload}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}"

    for route in ("NotMePage", "NotMe"):
        answer = not_me(api, route, tampered)
        assert answer.status == 400
        assert "This link is not valid" in answer.body
    assert not_me(api, "NotMePage", "").status == 400
    assert accounts_status(api, session) == 200  # nothing was ended


def test_an_expired_link_gets_a_clear_page(api: Api, owner: Staff, account: str) -> None:
    _, token = notice_token(api, owner, account)
    clock.advance(7 * 24 * 3600 + 1)

    for route in ("NotMePage", "NotMe"):
        answer = not_me(api, route, token)
        assert answer.status == 410
        assert "This link has expired" in answer.body
        assert "Ledger &amp; Co" in answer.body


def test_the_not_me_pages_are_in_the_contacts_language(
    api: Api, owner: Staff, account: str
) -> None:
    contact = owner.contact(ADDRESS)
    owner.contact_language(contact["contact_id"], "nl")
    owner.link(account, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    accepted = api.call(
        "invitations_api",
        "AcceptInvitation",
        path={"token": owner.send_invitation(account, email_id)},
        body={"password": PASSWORD},
        headers={"user-agent": FIREFOX_WINDOWS},
    )
    assert accepted.status == 200
    sign_in(api, SAFARI_IPHONE)
    deliver_notices(api)
    token = not_me_token(notices()[0])

    page = not_me(api, "NotMePage", token)
    done = not_me(api, "NotMe", token)

    assert '<html lang="nl">' in page.body
    assert "Alle sessies beëindigen" in page.body
    assert "Iedereen is uitgelogd" in done.body


# ------------------------------------------------------------------ last sign-in


def test_every_sign_in_is_written_on_every_row_of_the_user(api: Api, owner: Staff) -> None:
    first, second = owner.account("Smith family"), owner.account("Smith BV", "business")
    activate(owner, first, second, agent=FIREFOX_WINDOWS)
    rows = [i for i in items_of("access") if i["address"]["S"] == ADDRESS]
    assert len(rows) == 2
    assert all("last_sign_in_at" not in r for r in rows)

    sign_in(api, FIREFOX_WINDOWS)

    rows = [i for i in items_of("access") if i["address"]["S"] == ADDRESS]
    times = {r["last_sign_in_at"]["S"] for r in rows}
    assert len(times) == 1
    assert abs(clock.parse(times.pop()).timestamp() - clock.now().timestamp()) < 60


def test_a_sign_in_costs_one_update_per_grant(api: Api, owner: Staff) -> None:
    first, second = owner.account("Smith family"), owner.account("Smith BV", "business")
    activate(owner, first, second, agent=FIREFOX_WINDOWS)
    api.module("portal_api")  # started (and bound to the table) before counting
    calls: list[str] = []
    original = Item._get_connection().update_item

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[0]))
        return original(*args, **kwargs)

    connection = Item._get_connection()
    connection.update_item = counted  # type: ignore[method-assign]
    try:
        sign_in(api, FIREFOX_WINDOWS)
    finally:
        del connection.update_item
    rows = [c for c in calls if c.startswith("FIRM#") and "#ACCOUNT#" in c]
    devices = [c for c in calls if c.startswith("PORTAL#")]
    assert len(rows) == 2  # one per grant
    assert len(devices) == 1  # the known device's last_seen_at


# ------------------------------------------------------------------ secrets


def test_no_password_or_token_is_logged(
    api: Api, owner: Staff, account: str, capsys: pytest.CaptureFixture[str]
) -> None:
    session, token = notice_token(api, owner, account)
    not_me(api, "NotMePage", token)
    not_me(api, "NotMe", token)

    logged = capsys.readouterr()
    everything = logged.out + logged.err
    assert PASSWORD not in everything
    assert session not in everything
    assert token not in everything


# ------------------------------------------------------------------ words


DEVICE = KnownDevice(
    sub="sub-1",
    device_id=device_of(SAFARI_IPHONE).device_id,
    device=device_of(SAFARI_IPHONE),
    username=ADDRESS,
    first_seen_at="2026-12-08T13:00:00Z",
    last_seen_at="2026-12-08T13:00:00Z",
    place=Place(country="NL", city="Utrecht"),
)
# what the notice says that no catalog holds: the values filled in
DATA = re.compile(
    r"https?://\S+|\S+@\S+|\d{1,2} [A-Z][a-z]+ \d{4}|Smit & Co|Safari|iOS|Utrecht|Netherlands"
    r"|Europe/Amsterdam"
)


def test_the_notice_and_its_pages_hold_no_word_the_catalogs_do_not(tmp_path: Path) -> None:
    with pseudo_locale(tmp_path) as language:
        words = localizer(language, time_zone_name="Europe/Amsterdam")
        mail = new_device_mail(DEVICE, "Smit & Co", "https://api.test/x", words=words)
        documents = [
            not_me_pages.question(words, DEVICE, "t"),
            not_me_pages.done(words, "Smit & Co"),
            not_me_pages.expired(words, "Smit & Co"),
            not_me_pages.invalid(words),
        ]

    for said in [mail.subject, mail.text, _visible(mail.html), *map(_visible, documents)]:
        left = UNTRANSLATED.search(DATA.sub(" ", said))
        assert left is None, f"plain text in {said!r}"


def test_the_dutch_notice_says_u_or_je_as_the_firm_chose() -> None:
    formal = new_device_mail(DEVICE, "Smit & Co", "https://l", words=localizer("nl"))
    informal = new_device_mail(
        DEVICE, "Smit & Co", "https://l", words=localizer("nl", informal=True)
    )

    assert "Was u het niet?" in formal.text and " je " not in formal.text
    assert "Was jij het niet?" in informal.text and " uw " not in informal.text
    assert "Plaats: Utrecht, Nederland" in formal.text
    assert formal.html.startswith('<!doctype html>\n<html lang="nl">')


def _visible(document: str) -> str:
    return html.unescape(
        re.sub(r"<title>.*?</title>|<style>.*?</style>|<[^>]+>", " ", document, flags=re.S)
    )
