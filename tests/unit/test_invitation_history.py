"""The invitation history of an address on an account (API.md, "Portal access,
firm-wide"): each entry recorded where it happens, once, with who did it, newest first,
and `expired` derived from the clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crm import clock
from crm.storage import keys
from tests.support import Context, load_event
from tests.unit.conftest import Answer, Staff, invitation_items, mail_to, table_items, token_in
from tests.unit.test_portal_attention import count_dynamodb_calls

ADDRESS = "ann@smith.example"
OWNER = "owner@firm.example"


class Row:
    """An account with one linked contact: the address the history is about."""

    def __init__(self, owner: Staff, address: str = ADDRESS) -> None:
        self.owner = owner
        self.account_id = owner.account()
        contact = owner.contact(address)
        owner.link(self.account_id, contact["contact_id"])
        self.contact_id = contact["contact_id"]
        self.email_id = contact["emails"][0]["email_id"]
        self.address = address

    def invite(self) -> str:
        """LOGIN on with an invitation, sent by the invite function: the mailed token."""
        return self.owner.send_invitation(self.account_id, self.email_id)

    def resend(self) -> None:
        answer = self.owner.call(
            "access_api",
            "SendInvitation",
            path={"account_id": self.account_id, "email_id": self.email_id},
        )
        assert answer.status == 202, answer.body

    def history(self, **query: Any) -> Answer:
        return self.owner.call(
            "access_api",
            "InvitationHistory",
            path={"account_id": self.account_id, "email_id": self.email_id},
            query=query,
        )

    def entries(self) -> list[tuple[str, str]]:
        """(what, by) of every entry, newest first."""
        answer = self.history()
        assert answer.status == 200, answer.body
        return [(e["what"], e.get("by")) for e in answer.body["items"]]

    def invitation_ids(self) -> list[str]:
        """The row's invitations, oldest first."""
        found = [i for i in invitation_items(self.owner.firm_id) if i["email_id"] == self.email_id]
        return [i["invitation_id"] for i in sorted(found, key=lambda i: i["created_at"])]


def ses_event(row: Row, invitation_id: str, kind: str = "Bounce") -> dict[str, Any]:
    """An SES event about an invitation email, tagged as the sender tags it."""
    event = load_event("mail_feedback", "BounceOrComplaint")
    detail = event["detail"]
    detail["mail"]["destination"] = [row.address]
    detail["mail"]["tags"] = {
        "firm_id": [row.owner.firm_id],
        "invitation_id": [invitation_id],
        "account_id": [row.account_id],
        "email_id": [row.email_id],
    }
    if kind == "Delivery":
        event["detail-type"] = "Email Delivered"
        detail["eventType"] = "Delivery"
        del detail["bounce"]
        detail["delivery"] = {"timestamp": ses_time(2), "recipients": [row.address]}
    else:
        detail["bounce"]["bouncedRecipients"][0]["emailAddress"] = row.address
        detail["bounce"]["timestamp"] = ses_time(3)
    return event


def ses_time(seconds_from_now: int) -> str:
    """A time as SES writes it, a few seconds after the product's now."""
    at = clock.now() + timedelta(seconds=seconds_from_now)
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def feedback(row: Row, event: dict[str, Any]) -> dict[str, int]:
    result: dict[str, int] = row.owner.api.module("mail_feedback").lambda_handler(event, Context())
    return result


def bounced_at(row: Row) -> str | None:
    [item] = [
        i
        for i in table_items()
        if i["pk"]["S"] == keys.account(row.owner.firm_id, row.account_id)
        and i["sk"]["S"] == keys.access(row.email_id)
    ]
    value = item.get("invitation_bounced_at")
    return value["S"] if value else None


@pytest.fixture
def row(owner: Staff) -> Row:
    return Row(owner)


# ---------------------------------------------------------------- what is recorded


def test_sent_is_recorded_when_the_email_goes_out_naming_the_staff_member(row: Row) -> None:
    answer = row.owner.toggle(row.account_id, row.email_id, login=True, send_invitation=True)
    assert answer.status == 200

    assert row.entries() == []  # asked for, not yet sent
    row.owner.api.deliver_requested(row.owner.firm_id)

    [entry] = row.history().body["items"]
    assert (entry["what"], entry["by"]) == ("sent", OWNER)
    assert entry["by_id"].startswith("staff:")
    assert entry["invitation_id"] == row.invitation_ids()[0]
    assert entry["address"] == ADDRESS


def test_a_retried_send_adds_no_second_entry(row: Row) -> None:
    row.invite()
    [invitation_id] = row.invitation_ids()

    # EventBridge delivers the event again: the first outcome, and no second email
    assert row.owner.api.deliver(row.owner.firm_id, invitation_id) == {"outcome": "sent"}
    assert len(mail_to(ADDRESS)) == 1

    assert row.entries() == [("sent", OWNER)]


def test_opened_is_the_first_reading_of_the_link_by_the_client(row: Row) -> None:
    token = row.invite()

    assert row.owner.api.read_invitation(token).status == 200
    clock.advance(60)
    page = row.owner.api.call("invitations_api", "ActivatePage", query={"token": token})
    assert page.status == 200

    items = row.history().body["items"]
    assert [(e["what"], e.get("by")) for e in items] == [("opened", ADDRESS), ("sent", OWNER)]
    assert items[0]["by_id"] == f"client:{ADDRESS}"


def test_an_unusable_link_read_is_not_an_opening(row: Row) -> None:
    token = row.invite()
    row.resend()  # the first link dies (the new one is not sent yet)

    assert row.owner.api.read_invitation(token).status == 404

    assert [w for w, _ in row.entries()] == ["superseded", "sent"]


def test_accepted_is_recorded_by_the_client_newest_first(row: Row) -> None:
    token = row.invite()
    clock.advance(5)
    row.owner.api.read_invitation(token)
    clock.advance(5)

    assert row.owner.api.accept(token).status == 200

    assert row.entries() == [("accepted", ADDRESS), ("opened", ADDRESS), ("sent", OWNER)]


def test_a_resend_supersedes_the_old_invitation_by_the_staff_member(row: Row) -> None:
    row.invite()
    clock.advance(5)
    row.resend()
    row.owner.api.deliver_requested(row.owner.firm_id)

    items = row.history().body["items"]
    first, second = row.invitation_ids()  # five seconds apart
    assert [(e["what"], e["invitation_id"], e.get("by")) for e in items] == [
        ("sent", second, OWNER),
        ("superseded", first, OWNER),
        ("sent", first, OWNER),
    ]


def test_login_off_revokes_the_pending_invitation(row: Row) -> None:
    row.invite()
    clock.advance(5)

    assert row.owner.toggle(row.account_id, row.email_id, login=False).status == 200

    assert row.entries() == [("revoked", OWNER), ("sent", OWNER)]


def test_a_changed_address_supersedes_the_link_to_the_old_one(row: Row) -> None:
    row.invite()
    clock.advance(5)
    changed = row.owner.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": row.contact_id, "email_id": row.email_id},
        body={"address": "ann@new.example"},
    )
    assert changed.status == 200, changed.body
    row.owner.api.deliver_requested(row.owner.firm_id)

    items = row.history().body["items"]
    assert [(e["what"], e["address"]) for e in items] == [
        ("sent", "ann@new.example"),
        ("superseded", ADDRESS),
        ("sent", ADDRESS),
    ]


# -------------------------------------------------------------- SES delivery events


def test_delivered_and_bounced_come_from_ses_events_once_each(row: Row) -> None:
    row.invite()
    [invitation_id] = row.invitation_ids()
    delivered = ses_event(row, invitation_id, "Delivery")

    assert feedback(row, delivered)["recorded"] == 1
    assert feedback(row, delivered)["recorded"] == 0  # redelivered by EventBridge

    items = row.history().body["items"]
    assert [(e["what"], e.get("by")) for e in items] == [("delivered", None), ("sent", OWNER)]
    assert items[0]["at"] == delivered["detail"]["delivery"]["timestamp"][:19] + "Z"


def test_a_bounce_of_the_current_invitation_marks_the_row_once(row: Row) -> None:
    row.invite()
    [invitation_id] = row.invitation_ids()
    bounce = ses_event(row, invitation_id)

    assert feedback(row, bounce)["recorded"] == 1
    assert feedback(row, bounce)["recorded"] == 0

    assert row.entries() == [("bounced", None), ("sent", OWNER)]
    assert bounced_at(row) == bounce["detail"]["bounce"]["timestamp"][:19] + "Z"


def test_a_bounce_of_a_superseded_invitation_does_not_mark_the_row(row: Row) -> None:
    row.invite()
    row.resend()
    row.owner.api.deliver_requested(row.owner.firm_id)
    [old] = [
        i["invitation_id"]
        for i in invitation_items(row.owner.firm_id)
        if i["status"] == "superseded"
    ]

    assert feedback(row, ses_event(row, old))["recorded"] == 1

    assert "bounced" in [w for w, _ in row.entries()]
    assert bounced_at(row) is None


def test_the_invitation_email_carries_the_tags_that_trace_it_back(
    row: Row, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    from crm.integrations import mailer

    original = mailer.Mailer.send

    def spy(self: mailer.Mailer, mail: mailer.Mail) -> str:
        sent.append(dict(mail.tags))
        return original(self, mail)

    monkeypatch.setattr(mailer.Mailer, "send", spy)
    row.invite()
    [invitation_id] = row.invitation_ids()

    assert {
        "firm_id": row.owner.firm_id,
        "invitation_id": invitation_id,
        "account_id": row.account_id,
        "email_id": row.email_id,
    } in sent


def test_an_ses_event_about_another_email_records_nothing(row: Row) -> None:
    event = load_event("mail_feedback", "BounceOrComplaint")  # a notification's bounce

    assert feedback(row, event)["recorded"] == 0


# ---------------------------------------------------------------------- expiry


def test_an_invitation_unaccepted_past_its_expiry_reads_as_expired_then(row: Row) -> None:
    row.invite()
    [stored] = invitation_items(row.owner.firm_id)
    assert row.entries() == [("sent", OWNER)]

    clock.advance(7 * 24 * 3600 + 60)

    items = row.history().body["items"]
    assert [(e["what"], e.get("by")) for e in items] == [("expired", None), ("sent", OWNER)]
    assert items[0]["at"] == stored["expires_at"]


def test_an_accepted_or_replaced_invitation_never_expires(row: Row) -> None:
    token = row.invite()
    assert row.owner.api.accept(token).status == 200

    clock.advance(30 * 24 * 3600)

    assert "expired" not in [w for w, _ in row.entries()]


def test_a_replaced_invitation_that_had_expired_reads_expired_then_superseded(row: Row) -> None:
    row.invite()
    clock.advance(8 * 24 * 3600)
    row.resend()
    row.owner.api.deliver_requested(row.owner.firm_id)

    assert [w for w, _ in row.entries()] == ["sent", "superseded", "expired", "sent"]


# --------------------------------------------------------------------- the route


def test_an_unknown_account_or_address_is_404(row: Row) -> None:
    for path in (
        {"account_id": "acc_nope", "email_id": row.email_id},
        {"account_id": row.account_id, "email_id": "eml_nope"},
    ):
        answer = row.owner.call("access_api", "InvitationHistory", path=path)
        assert answer.status == 404, answer.body
        assert answer.body["error"]["code"] == "not_found"


def test_another_firm_cannot_read_the_history(row: Row) -> None:
    row.invite()
    other = row.owner.api.new_firm("boss@other.example", "Other")

    answer = other.call(
        "access_api",
        "InvitationHistory",
        path={"account_id": row.account_id, "email_id": row.email_id},
    )

    assert answer.status == 404


def test_pages_follow_each_other_newest_first(row: Row) -> None:
    token = row.invite()
    clock.advance(5)
    row.owner.api.read_invitation(token)
    clock.advance(5)
    row.owner.api.accept(token)
    everything = row.entries()

    first = row.history(limit="2").body
    second = row.history(limit="2", cursor=first["next_cursor"]).body

    assert [e["what"] for e in first["items"] + second["items"]] == [w for w, _ in everything]
    assert second["next_cursor"] is None


def test_a_forged_cursor_is_a_422(row: Row) -> None:
    answer = row.history(cursor="bm90LWEtY3Vyc29y")

    assert answer.status == 422


def test_the_history_costs_one_read_of_the_row_and_one_query(
    row: Row, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = row.invite()
    row.owner.api.read_invitation(token)
    row.owner.api.accept(token)
    calls = count_dynamodb_calls(monkeypatch)

    assert [w for w, _ in row.entries()] == ["accepted", "opened", "sent"]

    # the row (404), the history, and the staff list to name the staff member who sent it
    assert calls == {"GetItem": 1, "Query": 2}


def test_a_history_naming_no_staff_member_is_one_query(
    row: Row, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_dynamodb_calls(monkeypatch)

    assert row.entries() == []

    assert calls == {"GetItem": 1, "Query": 1}


def test_the_client_receives_the_mail_the_history_says_was_sent(row: Row) -> None:
    row.invite()

    assert token_in(mail_to(ADDRESS)[-1])
    assert row.entries() == [("sent", OWNER)]
