"""A new firm proves its owner's address (API.md), emails nobody else until then, and
sends at most its daily quota; answers never tell whether an address is staff elsewhere
(issue 9, section 2)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from crm import clock, runtime
from crm.core.invitations import Invitation
from crm.firms.events import STAFF_ADDRESS_NOTICE
from crm.firms.models import CreateFirm
from crm.firms.service import FirmService
from crm.integrations.identity import UserPool
from crm.limits.sending import Sending
from crm.notifications.models import Notification
from crm.settings import get_settings
from crm.storage import invitations as store
from crm.storage.table import transaction
from tests.support import Context, load_event
from tests.unit.conftest import (
    PASSWORD,
    Api,
    Staff,
    invitation_items,
    mail_to,
    outbox_events,
    table_items,
    text_of,
    token_in,
    verification_id,
    verification_token_in,
)
from tests.unit.test_email_sync import CLIENT as SYNCED
from tests.unit.test_email_sync import Firm as MailboxFirm
from tests.unit.test_email_sync import mail

OWNER = "owner@firm.example"
CLIENT = "ann@client.example"


@pytest.fixture
def unverified(api: Api) -> Staff:
    """A firm whose owner has not opened the confirmation link."""
    return api.new_firm(OWNER, verified=False)


def create(api: Api, email: str = OWNER, name: str = "Ledger & Co") -> Any:
    return api.call(
        "firms_api",
        "CreateFirm",
        body={"firm_name": name, "owner_email": email, "owner_password": PASSWORD},
    )


def verify(api: Api, token: str) -> Any:
    return api.call("firms_api", "VerifyFirm", body={"token": token})


def newest_token(api: Api, firm_id: str, owner: str = OWNER) -> str:
    assert api.deliver_verification(firm_id) == {"outcome": "sent"}
    return verification_token_in(mail_to(owner)[-1])


def settings_of(staff: Staff) -> dict[str, Any]:
    answer = staff.call("firms_api", "GetSettings")
    assert answer.status == 200, answer.body
    return dict(answer.body)


def client_row(staff: Staff) -> tuple[str, str]:
    account_id = staff.account()
    contact = staff.contact(CLIENT)
    staff.link(account_id, contact["contact_id"])
    return account_id, contact["emails"][0]["email_id"]


def records() -> list[dict[str, Any]]:
    """The table, but for request throttling counters (crm.throttle: not this rule's)."""
    return [i for i in table_items() if not i["pk"]["S"].startswith("THROTTLE#")]


def refused(answer: Any, status: int, code: str) -> None:
    assert answer.status == status, answer.body
    assert answer.body["error"]["code"] == code
    assert answer.body["error"]["message"]


# -------------------------------------------------------------- the link


def test_a_new_firm_mails_its_owner_a_link_to_the_configured_portal(unverified: Staff) -> None:
    unverified.api.deliver_verification(unverified.firm_id)

    [message] = mail_to(OWNER)
    text = text_of(message)
    assert f"{os.environ['PORTAL_URL']}/verify?token=" in text
    assert "Ledger & Co" in message["Subject"]
    assert settings_of(unverified)["verified"] is False


def test_the_token_verifies_the_firm_once(unverified: Staff) -> None:
    token = newest_token(unverified.api, unverified.firm_id)

    first = verify(unverified.api, token)
    again = verify(unverified.api, token)

    assert first.status == 200, first.body
    assert first.body == {"verified": True, "firm_name": "Ledger & Co"}
    refused(again, 404, "verification_not_found")
    assert settings_of(unverified)["verified"] is True


def test_every_unusable_token_is_the_same_404(unverified: Staff) -> None:
    api = unverified.api
    token = newest_token(api, unverified.firm_id)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_firm = f"frm_{uuid.uuid4().hex}" + token[token.index(".") :]

    answers = [verify(api, t) for t in (tampered, other_firm, "nonsense", "a.b.c", "x" * 300)]

    assert {a.status for a in answers} == {404}
    assert len({str(a.body) for a in answers}) == 1
    assert settings_of(unverified)["verified"] is False


def test_an_expired_token_is_404(unverified: Staff) -> None:
    token = newest_token(unverified.api, unverified.firm_id)

    clock.advance(get_settings().invitation_ttl_days * 24 * 3600 + 1)

    refused(verify(unverified.api, token), 404, "verification_not_found")


def test_the_page_shows_the_firm_and_changes_nothing(unverified: Staff) -> None:
    token = newest_token(unverified.api, unverified.firm_id)
    before = records()

    page = unverified.api.call("firms_api", "VerifyPage", query={"token": token})

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Ledger &amp; Co" in page.body
    assert '<script type="module" src="/assets/verify.js"></script>' in page.body
    csp = {d.strip() for d in page.headers["Content-Security-Policy"].split(";")}
    assert "script-src 'self'" in csp  # the script file of its origin, never inline script
    assert "frame-ancestors 'none'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert records() == before
    assert verify(unverified.api, token).status == 200  # still usable


def test_the_page_of_an_unusable_token_is_404_html(api: Api) -> None:
    page = api.call("firms_api", "VerifyPage", query={"token": "nonsense"})

    assert page.status == 404
    assert "cannot be used" in page.body


# ------------------------------------------------------ asking for it again


def test_the_owner_asks_for_a_new_link_and_only_the_newest_works(unverified: Staff) -> None:
    old = newest_token(unverified.api, unverified.firm_id)
    clock.advance(5 * 60)

    answer = unverified.call("firms_api", "RequestVerification")
    new = newest_token(unverified.api, unverified.firm_id)

    assert answer.status == 202, answer.body
    assert answer.body["sent_to"] == OWNER and answer.body["verified"] is False
    refused(verify(unverified.api, old), 404, "verification_not_found")
    assert verify(unverified.api, new).status == 200


def test_asking_again_within_five_minutes_is_429_and_changes_nothing(unverified: Staff) -> None:
    before = verification_id(unverified.firm_id)

    answer = unverified.call("firms_api", "RequestVerification")

    refused(answer, 429, "verification_recently_sent")
    assert verification_id(unverified.firm_id) == before


def test_a_verified_firm_asking_again_is_409(owner: Staff) -> None:
    refused(owner.call("firms_api", "RequestVerification"), 409, "already_verified")


def test_only_the_owner_asks_for_the_link(owner: Staff) -> None:
    admin = owner.add_staff("adm@firm.example", role="admin")

    refused(admin.call("firms_api", "RequestVerification"), 403, "forbidden")


# ------------------------------------------- until then, nobody but the owner


def test_an_unverified_firm_may_not_invite_staff_and_nothing_changes(unverified: Staff) -> None:
    before = records()

    answer = unverified.invite_staff("ann@firm.example")

    refused(answer, 403, "firm_not_verified")
    assert records() == before


def test_an_unverified_firm_may_not_invite_a_client_and_nothing_changes(unverified: Staff) -> None:
    account_id, email_id = client_row(unverified)
    before = records()

    answer = unverified.toggle(account_id, email_id, login=True, send_invitation=True)

    refused(answer, 403, "firm_not_verified")
    assert records() == before


def test_an_unverified_firm_may_not_send_a_prepared_invitation(unverified: Staff) -> None:
    account_id, email_id = client_row(unverified)
    assert unverified.toggle(account_id, email_id, login=True).status == 200  # this works
    before = records()

    answer = unverified.call(
        "access_api", "SendInvitation", path={"account_id": account_id, "email_id": email_id}
    )

    refused(answer, 403, "firm_not_verified")
    assert records() == before


def test_everything_else_works_before_verification(unverified: Staff) -> None:
    account_id, email_id = client_row(unverified)

    toggled = unverified.toggle(account_id, email_id, login=True, notify=True, email_sync=True)
    changed = unverified.call("firms_api", "UpdateSettings", body={"auto_save_attachments": True})

    assert toggled.status == 200 and toggled.body["login_status"] == "not_invited"
    assert changed.status == 200 and changed.body["verified"] is False
    assert unverified.section(account_id)["contacts"]


def test_after_verification_the_same_invitation_goes_out(unverified: Staff) -> None:
    account_id, email_id = client_row(unverified)
    assert verify(unverified.api, newest_token(unverified.api, unverified.firm_id)).status == 200

    token = unverified.send_invitation(account_id, email_id)

    assert token and mail_to(CLIENT)


def test_notifications_of_an_unverified_firm_are_skipped_as_such(unverified: Staff) -> None:
    account_id, email_id = client_row(unverified)
    unverified.toggle(account_id, email_id, notify=True)

    summary = notify(unverified.api, unverified.firm_id, account_id)

    assert summary["sent"] == 0 and summary["skipped"] == 1
    assert deliveries(unverified, account_id) == [(CLIENT, "skipped", "firm_not_verified")]
    assert mail_to(CLIENT) == []


def test_the_invite_function_refuses_an_unverified_firm_too(unverified: Staff) -> None:
    """Defence in depth: an invitation recorded however (here: straight in the table)
    is not sent while the firm is unverified."""
    invitation = Invitation.new(unverified.firm_id, "client", CLIENT, 7)
    with transaction() as tx:
        store.add(tx, invitation)

    outcome = unverified.api.deliver(unverified.firm_id, invitation.invitation_id)

    assert outcome == {"outcome": "skipped"}
    assert mail_to(CLIENT) == []


# ------------------------------------------------------------ daily quota


@pytest.fixture
def low_quota(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A verified firm may send 4 emails a day: its confirmation email, then 3."""
    monkeypatch.setenv("DAILY_SEND_LIMIT_VERIFIED", "4")
    get_settings.cache_clear()
    yield 3
    get_settings.cache_clear()


def test_past_the_quota_a_staff_invitation_is_429_and_changes_nothing(
    low_quota: int, owner: Staff
) -> None:
    for n in range(low_quota):
        assert owner.invite_staff(f"s{n}@firm.example").status == 201
    before = records()

    answer = owner.invite_staff("late@firm.example")

    refused(answer, 429, "sending_quota_reached")
    assert 0 < int(answer.headers.get("Retry-After", "1")) <= 24 * 3600
    assert records() == before
    clock.advance(24 * 3600)
    assert owner.invite_staff("late@firm.example").status == 201  # a new UTC day


def test_past_the_quota_a_client_invitation_is_429(low_quota: int, owner: Staff) -> None:
    for n in range(low_quota):
        assert owner.invite_staff(f"s{n}@firm.example").status == 201
    account_id, email_id = client_row(owner)

    answer = owner.toggle(account_id, email_id, login=True, send_invitation=True)

    refused(answer, 429, "sending_quota_reached")
    assert owner.row(account_id, email_id)["login"] is False


def test_past_the_quota_notifications_are_skipped_as_quota(low_quota: int, owner: Staff) -> None:
    account_id = owner.account()
    for n in range(low_quota + 2):
        contact = owner.contact(f"c{n}@client.example", first=f"C{n}")
        owner.link(account_id, contact["contact_id"])
        owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)

    summary = notify(owner.api, owner.firm_id, account_id)

    assert summary["sent"] == low_quota
    statuses = sorted((s, r) for _, s, r in deliveries(owner, account_id))
    assert statuses == [("sent", None)] * low_quota + [("skipped", "quota")] * 2


def test_a_failed_request_gives_its_email_back(low_quota: int, owner: Staff) -> None:
    """A refused invitation (the address is already staff here) counts nothing."""
    for _ in range(low_quota + 2):
        assert owner.invite_staff(OWNER).status == 409

    assert owner.invite_staff("ann@firm.example").status == 201


# ------------------------------------- addresses that are staff elsewhere


def test_signing_up_with_a_staff_address_answers_like_a_success_and_mails_a_notice(
    owner: Staff,
) -> None:
    settings = get_settings()
    service = FirmService(
        staff_pool=UserPool(settings.staff_user_pool_id, settings.staff_client_id),
        invitation_ttl_days=7,
        sending=Sending.from_settings(settings),
    )
    answer = create(owner.api, email="OWNER@firm.example", name="Copycat")
    asked = outbox_events(STAFF_ADDRESS_NOTICE)  # the one that sign-up asked for
    created = service.create_firm(
        CreateFirm(firm_name="Copycat", owner_email=OWNER, owner_password=PASSWORD)
    )

    assert answer.status == 201 and set(answer.body) == {"firm_id", "staff_id"}
    assert created.firm_id != owner.firm_id
    [event] = [e for e in outbox_events(STAFF_ADDRESS_NOTICE) if e not in asked]
    assert event.detail_type == STAFF_ADDRESS_NOTICE and event.detail["address"] == OWNER
    before = len(mail_to(OWNER))
    notice = load_event("invite", "StaffAddressNotice")
    notice["detail"] = event.detail
    assert owner.api.module("invite").lambda_handler(notice, Context()) == {"outcome": "sent"}
    message = mail_to(OWNER)[-1]
    assert len(mail_to(OWNER)) == before + 1
    assert "tried to create a firm" in message["Subject"]
    assert "/verify" not in text_of(message) and "/activate" not in text_of(message)
    again = {**notice, "detail": {**event.detail, "notice_id": "ntc_" + uuid.uuid4().hex}}
    assert owner.api.module("invite").lambda_handler(again, Context()) == {"outcome": "skipped"}
    assert api_login_firm(owner.api) == owner.firm_id  # nothing changed for the owner


def api_login_firm(api: Api) -> str:
    return api.login(OWNER).firm_id


def test_inviting_someone_staff_at_another_firm_looks_like_any_invitation(
    api: Api, owner: Staff
) -> None:
    """Firm B cannot tell from the answer, its staff list or its audit that the address
    is staff at firm A; the address's owner gets a notice without a link."""
    pending = "pending@firm.example"
    assert owner.invite_staff(pending).status == 201
    api.deliver_requested(owner.firm_id)
    other = api.new_firm("owner@other.example", "Other firm")

    taken = other.invite_staff(OWNER)
    taken_too = other.invite_staff(pending)
    fresh = other.invite_staff("fresh@other.example")

    for answer in (taken, taken_too, fresh):
        assert answer.status == 201, answer.body
        assert set(answer.body) == set(fresh.body) and answer.body["status"] == "invited"
    staff = {s["email"]: s["status"] for s in other.call("firms_api", "ListStaff").body["items"]}
    assert staff[OWNER] == staff[pending] == staff["fresh@other.example"] == "invited"
    api.deliver_requested(other.firm_id)
    notice = mail_to(OWNER)[-1]
    assert "Other firm" in notice["Subject"]
    assert "already has a staff login" in text_of(notice)
    assert "/activate" not in text_of(notice)
    assert "/activate?token=" in text_of(mail_to("fresh@other.example")[-1])
    states = {i["address"]: i["status"] for i in invitation_items(other.firm_id)}
    assert states == dict.fromkeys((OWNER, pending, "fresh@other.example"), "sent")
    # firm A's pending invitation still works, and its owner still signs in to firm A
    first = next(m for m in mail_to(pending) if "Ledger & Co" in m["Subject"])
    accepted = api.accept(token_in(first))
    assert accepted.status == 200, accepted.body
    assert api.login(pending).firm_id == owner.firm_id
    assert api.login(OWNER).firm_id == owner.firm_id


# --------------------------------------------------------------------- helpers


def notify(api: Api, firm_id: str, account_id: str) -> dict[str, Any]:
    event = load_event("notify", "Notification")
    event["detail"].update(firm_id=firm_id, account_id=account_id, event_id=uuid.uuid4().hex)
    Notification.of(event["detail-type"], event["detail"])  # the event is a valid one
    return dict(api.module("notify").lambda_handler(event, Context()))


def deliveries(staff: Staff, account_id: str) -> list[tuple[str, str, str | None]]:
    answer = staff.call("notifications_api", "Deliveries", path={"account_id": account_id})
    assert answer.status == 200, answer.body
    return [(d["address"], d["status"], d["reason"]) for d in answer.body["items"]]


# ------------------------------------------------------------------- replies


@pytest.fixture
def mailbox_firm(
    api: Api, unverified: Staff, imap_user: Any, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """The email sync's firm (tests/unit/test_email_sync.py), not yet verified."""
    monkeypatch.setenv("MAILBOX_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    runtime.start()
    account_id = unverified.account("Smith family")
    contact = unverified.contact(SYNCED)
    unverified.link(account_id, contact["contact_id"])
    return MailboxFirm(api, unverified, imap_user, account_id, contact["emails"][0]["email_id"])


def test_an_unverified_firm_may_not_reply_but_reads_its_mail(mailbox_firm: Any) -> None:
    assert mailbox_firm.connect().status == 200
    mailbox_firm.enable()
    mailbox_firm.user.append(mail(SYNCED, mailbox_firm.user.name, "A question"))
    mailbox_firm.sync()
    (item,) = mailbox_firm.inbox()  # syncing and reading work before verification
    before = records()

    answer = mailbox_firm.owner.call(
        "sync_api",
        "ReplyToMessage",
        path={"message_id": item["message_id"]},
        body={"text": "An answer"},
    )

    refused(answer, 403, "firm_not_verified")
    assert mail_to(SYNCED) == []
    assert records() == before
