""" "Forgot your password?" for portal users: asking answers the same for every address,
a portal user gets one email with a link that works once for an hour, and using it sets
the password and ends every session."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from typing import Any

import pytest

from crm import clock
from crm.core import password_resets
from crm.core.password_resets import PASSWORD_RESET_REQUESTED
from crm.settings import get_settings
from tests.support import Answer, Context, http_event, invoke, load_event
from tests.unit.conftest import (
    PASSWORD,
    Api,
    Staff,
    claims_of,
    html_of,
    mail_to,
    outbox_events,
    sent_mail,
    text_of,
)

ADDRESS = "ann@home.example"
NEW_PASSWORD = "a brand new pass phrase"
RESET_LINK = re.compile(r"(https?://\S+)/reset\?token=([A-Za-z0-9_.-]+)")


# ------------------------------------------------------------------ helpers


@pytest.fixture
def account(owner: Staff) -> str:
    return owner.account()


def activate(owner: Staff, account: str) -> str:
    """Ann, a portal user of `account`; returns her contact id."""
    contact = owner.contact(ADDRESS)
    owner.link(account, contact["contact_id"])
    owner.activate(account, contact["emails"][0]["email_id"])
    return str(contact["contact_id"])


def ask(api: Api, email: str = ADDRESS, client: str = "203.0.113.10", **request: Any) -> Answer:
    event = http_event("portal_api", "RequestPasswordReset", body={"email": email}, **request)
    event["requestContext"]["http"]["sourceIp"] = client
    return invoke(api.module("portal_api"), event)


def deliver(api: Api) -> list[dict[str, str]]:
    """Hand every PasswordResetRequested of the outbox to the invite function."""
    outcomes = []
    for event in outbox_events(PASSWORD_RESET_REQUESTED):
        raw = load_event("invite", "PasswordResetRequested")
        raw["detail"] = event.detail
        outcomes.append(api.module("invite").lambda_handler(raw, Context()))
    return outcomes


def reset_mails() -> list[EmailMessage]:
    return [m for m in mail_to(ADDRESS) if RESET_LINK.search(text_of(m))]


def token_of(message: EmailMessage) -> str:
    found = RESET_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(2)


def mailed_token(api: Api) -> str:
    assert ask(api).status == 202
    deliver(api)
    [mail] = reset_mails()
    return token_of(mail)


def read(api: Api, token: str) -> Answer:
    return api.call("portal_api", "ReadPasswordReset", path={"token": token})


def use(api: Api, token: str, password: str = NEW_PASSWORD, **request: Any) -> Answer:
    return api.call(
        "portal_api",
        "UsePasswordReset",
        path={"token": token},
        body={"password": password},
        **request,
    )


def login(api: Api, password: str) -> Answer:
    return api.call("portal_api", "PortalLogin", body={"email": ADDRESS, "password": password})


def accounts_status(api: Api, token: str) -> Answer:
    return api.call("portal_api", "PortalAccounts", claims=claims_of(token))


# ------------------------------------------------------------------ the token


def test_a_token_is_the_reset_id_and_a_secret_of_which_only_a_digest_is_kept() -> None:
    token = password_resets.issue("rst_" + "ab" * 16)
    parsed = password_resets.parse(str(token))

    assert parsed == token
    assert parsed.matches(token.digest)
    assert not parsed.matches(password_resets.issue(token.reset_id).digest)
    assert not parsed.matches(None)
    assert token.secret not in token.digest
    for bad in ("", "nonsense", f"rst_{'ab' * 16}", f"inv_{'ab' * 16}.{token.secret}"):
        assert password_resets.parse(bad) is None


# ------------------------------------------------------------------ asking


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    before = len(sent_mail())

    unknown = ask(api, "nobody@home.example")
    known = ask(api, ADDRESS.upper())

    assert unknown.status == known.status == 202
    assert unknown.body == known.body
    assert "If a portal account exists for this address" in unknown.body["message"]
    assert len(outbox_events(PASSWORD_RESET_REQUESTED)) == 1  # Ann's only
    deliver(api)
    assert [m["To"].addresses[0].addr_spec for m in sent_mail()[before:]] == [ADDRESS]


def test_a_staff_address_is_not_a_portal_user(api: Api, owner: Staff) -> None:
    staff_address = owner.claims["email"]

    assert ask(api, staff_address).status == 202
    assert outbox_events(PASSWORD_RESET_REQUESTED) == []


def test_the_answer_follows_accept_language(api: Api) -> None:
    answer = ask(api, "nobody@home.example", headers={"accept-language": "nl"})

    assert answer.status == 202
    assert answer.body["message"].startswith("Als er een portaalaccount met dit adres bestaat")


def test_a_bad_address_is_a_422_in_the_contracts_shape(api: Api) -> None:
    answer = ask(api, "not an address")

    assert answer.status == 422
    assert [f["name"] for f in answer.body["error"]["fields"]] == ["email"]


def test_asking_is_throttled_per_address_like_the_login(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    limit = get_settings().throttle_login_failures

    answers = [ask(api, client=f"198.51.100.{n}") for n in range(limit + 1)]

    assert [a.status for a in answers] == [202] * limit + [429]
    refused = answers[-1]
    assert refused.body["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= get_settings().throttle_login_window_seconds
    assert len(outbox_events(PASSWORD_RESET_REQUESTED)) == limit
    clock.advance(get_settings().throttle_login_window_seconds)
    assert ask(api).status == 202  # the next window


def test_asking_is_throttled_per_client_address(api: Api) -> None:
    limit = get_settings().throttle_client_failures

    answers = [ask(api, f"person{n}@home.example") for n in range(limit + 1)]

    assert [a.status for a in answers] == [202] * limit + [429]
    assert "Retry-After" in answers[-1].headers
    assert ask(api, "person0@home.example", client="192.0.2.7").status == 202  # another client


# ------------------------------------------------------------------ the email


def test_the_email_has_a_link_on_the_portal_url_and_no_unsubscribe(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)

    assert ask(api).status == 202
    assert deliver(api) == [{"outcome": "sent"}]

    [mail] = reset_mails()
    found = RESET_LINK.search(text_of(mail))
    assert found is not None
    assert found.group(1) == get_settings().portal_base  # from settings, not a header
    assert mail["Subject"] == "Ledger & Co: choose a new password"
    assert mail["Content-Language"] == "en"
    assert mail["List-Unsubscribe"] is None  # a required security email
    assert "unsubscribe" not in html_of(mail).lower()
    assert "Choose a new password" in html_of(mail)
    assert "works once, for 60 minutes" in text_of(mail)
    assert mail["Cc"] is None and mail["Bcc"] is None


def test_only_the_digest_of_the_token_is_stored(api: Api, owner: Staff, account: str) -> None:
    from tests.unit.conftest import table_items

    activate(owner, account)
    token = mailed_token(api)
    secret = token.split(".", 1)[1]

    [item] = [i for i in table_items() if i.get("kind", {}).get("S") == "password_reset"]
    assert secret not in str(item)
    assert len(item["digest"]["S"]) == 64
    assert int(item["expires_at"]["N"]) - clock.now().timestamp() == pytest.approx(3600, abs=5)


def test_the_email_is_in_the_contacts_language(api: Api, owner: Staff, account: str) -> None:
    contact_id = activate(owner, account)
    owner.contact_language(contact_id, "nl")

    ask(api)
    deliver(api)

    [mail] = reset_mails()
    assert mail["Subject"] == "Ledger & Co: kies een nieuw wachtwoord"
    assert mail["Content-Language"] == "nl"
    assert "Heeft u dit niet aangevraagd?" in text_of(mail)
    assert read(api, token_of(mail)).body["language"] == "nl"


def test_the_email_is_in_the_firms_language_and_form_without_one_of_the_contact(
    api: Api, owner: Staff, account: str
) -> None:
    owner.settings(language="nl", form_of_address="informal")
    activate(owner, account)

    ask(api)
    deliver(api)

    [mail] = reset_mails()
    assert "Heb je dit niet aangevraagd?" in text_of(mail)


def test_a_redelivered_event_sends_one_email(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account)
    ask(api)

    first = deliver(api)
    second = deliver(api)

    assert first == second == [{"outcome": "sent"}]
    assert len(reset_mails()) == 1


# ------------------------------------------------------------------ the link


def test_reading_a_link_says_until_when_and_changes_nothing(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    token = mailed_token(api)

    first = read(api, token)
    again = read(api, token)

    assert first.status == again.status == 200
    assert first.body["valid"] is True
    expires = clock.parse(first.body["expires_at"]).timestamp()
    assert expires - clock.now().timestamp() == pytest.approx(3600, abs=5)
    assert use(api, token).status == 200  # reading used nothing


def test_a_link_that_is_not_ours_is_a_404(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account)
    token = mailed_token(api)
    reset_id, secret = token.split(".", 1)
    forged = f"{reset_id}.{secret[:-2]}{'AA' if secret[-2:] != 'AA' else 'BB'}"

    for bad in (forged, "nonsense", f"rst_{'0' * 32}.{secret}"):
        for answer in (read(api, bad), use(api, bad)):
            assert answer.status == 404
            assert answer.body["error"]["code"] == "link_not_found"
    assert login(api, PASSWORD).status == 200  # nothing changed


def test_a_short_password_is_a_422_with_the_field_and_keeps_the_link(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    token = mailed_token(api)

    english = use(api, token, "too short")
    dutch = use(api, token, "too short", headers={"accept-language": "nl"})

    assert english.status == dutch.status == 422
    [field] = english.body["error"]["fields"]
    assert field["name"] == "password"
    assert "12" in field["message"]
    [veld] = dutch.body["error"]["fields"]
    assert "12" in veld["message"] and veld["message"] != field["message"]
    assert read(api, token).status == 200
    assert login(api, PASSWORD).status == 200


def test_a_reset_sets_the_password_and_ends_every_session(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    session = login(api, PASSWORD).body["token"]
    token = mailed_token(api)

    done = use(api, token)

    assert done.status == 200
    assert "Sign in with your new password" in done.body["message"]
    ended = accounts_status(api, session)
    assert (ended.status, ended.body["error"]["code"]) == (401, "session_ended")
    old = login(api, PASSWORD)
    assert (old.status, old.body["error"]["code"]) == (401, "invalid_credentials")
    time.sleep(1.05)  # a token of the next second: the cut-off is the reset's second
    fresh = login(api, NEW_PASSWORD)
    assert fresh.status == 200
    assert accounts_status(api, fresh.body["token"]).status == 200


def test_a_link_works_once(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account)
    token = mailed_token(api)
    assert use(api, token).status == 200

    again = use(api, token, "yet another pass phrase")

    assert again.status == 410
    assert again.body["error"]["code"] == "link_used"
    assert set(again.body["error"]) == {"code", "message"}
    assert read(api, token).status == 410
    assert login(api, "yet another pass phrase").status == 401
    assert login(api, NEW_PASSWORD).status == 200


def test_a_link_expires_after_an_hour(api: Api, owner: Staff, account: str) -> None:
    activate(owner, account)
    token = mailed_token(api)
    clock.advance(3600)

    for answer in (read(api, token), use(api, token)):
        assert answer.status == 410
        assert answer.body["error"]["code"] == "link_expired"
    dutch = use(api, token, headers={"accept-language": "nl"})
    assert dutch.body["error"]["message"].startswith("Deze link is verlopen")
    assert login(api, PASSWORD).status == 200  # the old password still works


def test_a_late_event_for_an_expired_link_sends_nothing(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    ask(api)
    clock.advance(3600)

    assert deliver(api) == [{"outcome": "skipped"}]
    assert reset_mails() == []


def test_a_reset_lifts_the_lock_of_too_many_wrong_passwords(
    api: Api, owner: Staff, account: str
) -> None:
    activate(owner, account)
    for _ in range(get_settings().throttle_login_failures):
        assert login(api, "a wrong pass phrase").status == 401
    assert login(api, PASSWORD).status == 429

    assert use(api, mailed_token(api)).status == 200

    time.sleep(1.05)
    assert login(api, NEW_PASSWORD).status == 200
