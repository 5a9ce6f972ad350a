"""The invitation history through the local stack: an invitation sent by the invite
function, delivered then bounced as SES reports it on the default bus (twice, as
EventBridge may), the row listed as bounced; cleared and invited again, the first one is
superseded; the second accepted. Newest first, each event once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import PASSWORD, invitation_links, new_firm, unique


def ses_event(api: ApiSession, kind: str, address: str, tags: dict[str, str]) -> None:
    """What SES publishes for one message (its tags as lists, as SES gives them)."""
    part = {"Delivery": "delivery", "Bounce": "bounce"}[kind]
    detail: dict[str, Any] = {
        "eventType": kind,
        "mail": {"destination": [address], "tags": {k: [v] for k, v in tags.items()}},
        part: {"timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")},
    }
    if kind == "Bounce":
        detail["bounce"].update(
            bounceType="Permanent", bouncedRecipients=[{"emailAddress": address}]
        )
    detail_type = {"Delivery": "Email Delivered", "Bounce": "Email Bounced"}[kind]
    body = {
        "detail_type": detail_type,
        "detail": detail,
        "source": "aws.ses",
        "event_bus": "default",
    }
    for _ in range(2):  # delivered at least once
        answer = api.post("/_local/events", json=body)
        assert answer.status_code == 200 and not answer.json()["failed_entry_count"], answer.text


def test_sent_delivered_bounced_superseded_accepted(
    api: ApiSession, stack: Stack, mail: Mailbox
) -> None:
    firm = new_firm(api)
    account_id = firm.account("Smith family")
    address = f"{unique('history')}@client.example"
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    path = f"/v1/accounts/{account_id}/emails/{email_id}/invitations"

    assert firm.toggle(account_id, email_id, login=True, send_invitation=True).status_code == 200
    stack.wait_idle()
    (first,) = firm.get(path).json()["items"]
    assert first["what"] == "sent" and first["address"] == address
    assert first["by_id"].startswith("staff:") and first["by"].startswith("owner-")
    tags = {
        "firm_id": firm.firm_id,
        "invitation_id": first["invitation_id"],
        "account_id": account_id,
        "email_id": email_id,
    }
    ses_event(api, "Delivery", address, tags)
    ses_event(api, "Bounce", address, tags)
    stack.wait_idle()

    lines = firm.get(path).json()["items"]
    assert [line["what"] for line in lines] == ["bounced", "delivered", "sent"]
    bounced = firm.get("/v1/portal-access", params={"status": "bounced"}).json()["items"]
    assert [i["address"] for i in bounced] == [address]

    assert firm.delete(f"/v1/suppressions/{address}").status_code == 204
    again = firm.post(f"/v1/accounts/{account_id}/emails/{email_id}/invitation")
    assert again.status_code == 202, again.text
    stack.wait_idle()
    token = invitation_links(mail, address)[-1]
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    assert accepted.status_code == 200, accepted.text

    lines = firm.get(path).json()["items"]
    whats = [line["what"] for line in lines]
    assert whats[0] == "accepted" and lines[0]["by"] == address
    assert whats.count("sent") == 2 and whats.count("superseded") == 1
    superseded = next(line for line in lines if line["what"] == "superseded")
    assert superseded["invitation_id"] == first["invitation_id"]
    assert [line["at"] for line in lines] == sorted((line["at"] for line in lines), reverse=True)
    active = firm.get("/v1/portal-access", params={"status": "active"}).json()["items"]
    assert [i["address"] for i in active] == [address]
