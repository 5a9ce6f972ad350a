"""NOTIFY through HTTP on the local stack: events on the bus, the emails really sent."""

from __future__ import annotations

import re
import uuid
from typing import Any

import boto3
import pytest

from crm.core.categories import CATEGORY_OF, DETAIL_TYPES
from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    PASSWORD,
    Firm,
    invitation_links,
    new_firm,
    unique,
)

UNSUBSCRIBE = re.compile(r"<(https?://[^>]+/v1/unsubscribe\?token=[^>]+)>")


def publish(api: ApiSession, detail_type: str, detail: dict[str, Any], **kw: Any) -> Any:
    answer = api.post(
        "/_local/events",
        json={"detail_type": detail_type, "detail": detail, "source": "platform.test", **kw},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def event(firm: Firm, account_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "firm_id": firm.firm_id,
        "account_id": account_id,
        "event_id": f"evt-{uuid.uuid4().hex}",
        "title": "Your 2025 return is ready",
        "url": "https://portal.example.com/docs/1",
        **extra,
    }


class Household:
    """An account with: `on` (NOTIFY on, every category), `off_for` (NOTIFY on, one
    category off), `quiet` (NOTIFY off)."""

    def __init__(self, api: ApiSession, category: str | None = None) -> None:
        self.firm = new_firm(api)
        self.account_id = self.firm.account("Smith family")
        self.addresses: dict[str, str] = {}
        self.email_ids: dict[str, str] = {}
        for role in ("on", "off_for", "quiet"):
            address = f"{unique(role)}@client.example"
            contact = self.firm.contact(address)
            self.firm.link(self.account_id, contact["contact_id"])
            self.addresses[role] = address
            self.email_ids[role] = contact["emails"][0]["email_id"]
        for role in ("on", "off_for"):
            self.firm.toggle(self.account_id, self.email_ids[role], notify=True)
        if category:
            self.prefs("off_for", {category: False})

    def prefs(self, role: str, change: dict[str, bool]) -> None:
        answer = self.firm.put(
            f"/v1/accounts/{self.account_id}/emails/{self.email_ids[role]}"
            "/notification-preferences",
            json=change,
        )
        assert answer.status_code == 200, answer.text

    def deliveries(self) -> list[dict[str, Any]]:
        answer = self.firm.get(f"/v1/accounts/{self.account_id}/notifications")
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])


REQUIRED = {"PaymentConfirmed"}  # API.md: sent whatever the preferences say


@pytest.mark.parametrize("detail_type", sorted(CATEGORY_OF))
def test_each_detail_type_reaches_exactly_the_right_recipients(
    api: ApiSession, mail: Mailbox, detail_type: str
) -> None:
    home = Household(api, category=CATEGORY_OF[detail_type])
    detail = event(home.firm, home.account_id)

    publish(api, detail_type, detail)

    required = detail_type in REQUIRED
    assert len(mail.to(home.addresses["on"])) == 1
    assert len(mail.to(home.addresses["off_for"])) == (1 if required else 0)
    assert mail.to(home.addresses["quiet"]) == []
    log = {(d["address"], d["status"]) for d in home.deliveries()}
    off_for = (home.addresses["off_for"], "sent" if required else "skipped")
    assert log == {(home.addresses["on"], "sent"), off_for}


def test_sixteen_detail_types_in_seven_categories() -> None:
    assert len(CATEGORY_OF) == 16
    assert len(DETAIL_TYPES) == 7


def test_the_email_has_its_parts_headers_and_account_footer(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    home = Household(api)

    publish(api, "InvoiceReminder", event(home.firm, home.account_id, due_date="2026-12-15"))

    (message,) = mail.to(home.addresses["on"])
    assert message["subject"] == "Reminder from Ledger & Co: Your 2025 return is ready"
    assert "Ledger & Co" in message["from"]
    assert "Smith family" in message["text"] and "Smith family" in message["html"]
    assert "https://portal.example.com/docs/1" in message["html"]
    assert "is still open (due 15 December 2026)." in message["text"]
    assert message["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["headers"]["List-Id"].startswith("Ledger & Co notifications <notifications.")
    link = UNSUBSCRIBE.search(message["headers"]["List-Unsubscribe"])
    assert link and link.group(1).startswith(f"{stack.api_url}/v1/unsubscribe?token=")


def test_the_same_event_three_times_sends_each_recipient_one_email(
    api: ApiSession, mail: Mailbox
) -> None:
    home = Household(api)
    detail = event(home.firm, home.account_id)

    for _ in range(3):
        publish(api, "DocumentUploaded", detail)

    assert len(mail.to(home.addresses["on"])) == 1
    assert len(mail.to(home.addresses["off_for"])) == 1
    assert len(home.deliveries()) == 2


def test_the_banner_appears_for_pending_users_only(api: ApiSession, mail: Mailbox) -> None:
    home = Household(api)
    pending, active = home.addresses["on"], home.addresses["off_for"]
    home.firm.toggle(home.account_id, home.email_ids["on"], login=True)
    home.firm.toggle(home.account_id, home.email_ids["off_for"], login=True, send_invitation=True)
    (token,) = invitation_links(mail, active)
    assert api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD}).ok

    publish(api, "ChatMessagePosted", event(home.firm, home.account_id))

    (to_pending,) = [m for m in mail.to(pending) if "activation-request" in m["text"]]
    notices = [m for m in mail.to(active) if "Your 2025 return" in m["subject"]]
    assert len(notices) == 1 and "activation-request" not in notices[0]["text"]
    assert "not activated yet" in to_pending["html"]


def test_the_activation_link_in_the_banner_sends_a_fresh_invitation(
    api: ApiSession, mail: Mailbox
) -> None:
    home = Household(api)
    address = home.addresses["on"]
    home.firm.toggle(home.account_id, home.email_ids["on"], login=True)
    publish(api, "ProposalSent", event(home.firm, home.account_id))
    (notice,) = mail.to(address)
    link = re.search(r"(https?://\S+/v1/activation-request\?token=\S+)", notice["text"])
    assert link
    path = link.group(1).split("/v1/", 1)[1]

    page = api.get(f"/v1/{path}")
    assert page.status_code == 200 and invitation_links(mail, address) == []
    sent = api.post(f"/v1/{path}")

    assert sent.status_code == 200
    (token,) = invitation_links(mail, address)
    assert api.get(f"/v1/invitations/{token}").status_code == 200


def test_copies_go_to_the_firm_with_no_personal_links(api: ApiSession, mail: Mailbox) -> None:
    home = Household(api)
    copies = f"{unique('copies')}@firm.example"
    home.firm.patch("/v1/firm/settings", json={"copy_client_emails_to": [copies]})
    home.firm.toggle(home.account_id, home.email_ids["on"], login=True, send_invitation=True)

    publish(api, "DocumentUploaded", event(home.firm, home.account_id))

    received = mail.to(copies)
    invitation_copy = [m for m in received if "invited" in m["subject"]]
    notice_copy = [m for m in received if "Your 2025 return" in m["subject"]]
    assert len(invitation_copy) == 1 and len(notice_copy) == 1
    for message in received:
        assert "/activate?token=" not in message["raw"]
        assert "/v1/unsubscribe?token=" not in message["raw"]


def test_get_never_unsubscribes_and_post_does(api: ApiSession, mail: Mailbox) -> None:
    home = Household(api)
    publish(api, "OrganizerSent", event(home.firm, home.account_id))
    (message,) = mail.to(home.addresses["on"])
    url = UNSUBSCRIBE.search(message["headers"]["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]
    path = "/v1/" + url.split("/v1/", 1)[1]

    for _ in range(2):
        assert api.get(path).status_code == 200
    prefs_path = (
        f"/v1/accounts/{home.account_id}/emails/{home.email_ids['on']}/notification-preferences"
    )
    assert home.firm.get(prefs_path).json()["organizers"] is True

    for _ in range(2):  # one click, and again: idempotent
        answer = api.post(
            path,
            data="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 200

    prefs = home.firm.get(prefs_path).json()
    assert prefs["organizers"] is False
    assert all(v for k, v in prefs.items() if k != "organizers")
    publish(api, "OrganizerReminder", event(home.firm, home.account_id))
    assert len(mail.to(home.addresses["on"])) == 1


def test_an_event_naming_another_firms_account_reaches_nobody(
    api: ApiSession, mail: Mailbox
) -> None:
    home = Household(api)
    other = new_firm(api, "Other firm")

    publish(api, "DocumentUploaded", event(other, home.account_id))

    assert mail.to(home.addresses["on"]) == []
    assert home.deliveries() == []


def test_a_bounce_suppresses_the_address_until_staff_clear_it(
    api: ApiSession, mail: Mailbox
) -> None:
    home = Household(api)
    address = home.addresses["on"]
    bounce = {
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address}]},
        "mail": {"destination": [address], "tags": {"firm_id": [home.firm.firm_id]}},
    }
    publish(api, "Email Bounced", bounce, source="aws.ses", event_bus="default")

    publish(api, "DocumentUploaded", event(home.firm, home.account_id))

    assert mail.to(address) == []
    statuses = {d["address"]: d["status"] for d in home.deliveries()}
    assert statuses[address] == "suppressed"
    listed = home.firm.get("/v1/suppressions").json()["items"]
    assert {"address": address.casefold()} in listed
    assert home.firm.delete(f"/v1/suppressions/{address}").status_code == 204
    publish(api, "DocumentUploaded", event(home.firm, home.account_id))
    assert len(mail.to(address)) == 1


def test_an_event_that_breaks_the_contract_is_kept_with_its_reason(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    home = Household(api)
    broken = {
        "firm_id": home.firm.firm_id,
        "account_id": home.account_id,
        "marker": uuid.uuid4().hex,
    }  # no event_id, no title

    publish(api, "DocumentUploaded", broken)

    assert mail.to(home.addresses["on"]) == []
    sqs = boto3.client("sqs", endpoint_url=stack.aws_endpoint, region_name="us-east-1")
    kept = sqs.receive_message(
        QueueUrl=stack.resources["NotificationsDeadLetterQueue"],
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    ours = [m for m in kept if broken["marker"] in m["Body"]]
    assert len(ours) == 1
    reason = ours[0]["MessageAttributes"]["reason"]["StringValue"]
    assert "event_id" in reason and "title" in reason
