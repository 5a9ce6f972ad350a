"""Bulk invitations through the local stack: three addresses invited in one request with
a personal note, answered at once; the invite function sends one email to each, the note
in it (escaped in the HTML); the manager lists them as invited."""

from __future__ import annotations

from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import new_firm, unique


def test_bulk_invite_three_addresses_with_a_note(
    api: ApiSession, stack: Stack, mail: Mailbox
) -> None:
    firm = new_firm(api)
    account_id = firm.account("Smith family")
    addresses = [f"{unique(f'bulk{n}')}@client.example" for n in range(3)]
    pairs = []
    for address in addresses:
        contact = firm.contact(address)
        firm.link(account_id, contact["contact_id"])
        email_id = contact["emails"][0]["email_id"]
        assert firm.toggle(account_id, email_id, login=True).status_code == 200
        pairs.append({"account_id": account_id, "email_id": email_id})
    waiting = firm.get("/v1/portal-access", params={"status": "not_invited"}).json()
    assert {i["address"] for i in waiting["items"]} == set(addresses)

    note = "Dear client,\nplease <activate> your login & welcome."
    answer = firm.post("/v1/portal-access/invitations", json={"items": pairs, "note": note})

    assert answer.status_code == 202, answer.text
    assert [i["result"] for i in answer.json()["items"]] == ["queued"] * 3
    stack.wait_idle()
    for address in addresses:
        (message,) = mail.to(address)
        assert note in message["text"]
        assert "please &lt;activate&gt; your login &amp; welcome." in message["html"]
        assert "/activate?token=" in message["text"]
    listed = firm.get("/v1/portal-access", params={"status": "invited"}).json()
    assert {i["address"] for i in listed["items"]} == set(addresses)
    assert all(i["last_invited_at"] for i in listed["items"])
