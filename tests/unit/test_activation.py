"""Activation as a person meets it (issue 12): the password rule is stated before the field
(and is the rule the user pools apply), an existing portal user is told to use their
current password on the page and in the email, and the page signs the person in on
their own side (portal or staff workspace) once the invitation is accepted."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from crm.invitations.page import password_minimum
from local.template import Template
from tests.support import TEMPLATE
from tests.unit.conftest import Staff, html_of, mail_to, text_of, token_in

POOLS = ["StaffUserPool", "PortalUserPool"]


def activate_page(owner: Staff, token: str) -> str:
    answer = owner.api.call("invitations_api", "ActivatePage", query={"token": token})
    assert answer.status == 200, answer.body
    return str(answer.body)


def page_settings(page: str) -> dict[str, Any]:
    found = re.search(r"const PAGE = (\{.*?\});", page)
    assert found, page
    return dict(json.loads(found.group(1)))


def invite_staff(owner: Staff, address: str) -> str:
    """A staff invitation, sent: the token the invitee received."""
    assert owner.invite_staff(address).status == 201
    owner.api.deliver_requested(owner.firm_id)
    return token_in(mail_to(address)[-1])


def two_accounts(owner: Staff) -> tuple[str, str, str]:
    """Ann on two accounts; (email_id, first, second)."""
    contact = owner.contact("ann@home.example")
    first, second = owner.account("First"), owner.account("Second")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])
    return contact["emails"][0]["email_id"], first, second


@pytest.mark.parametrize("pool", POOLS)
def test_the_stated_rule_is_the_user_pools_password_policy(pool: str) -> None:
    policy = Template(TEMPLATE).resources[pool]["Properties"]["Policies"]["PasswordPolicy"]

    assert policy["MinimumLength"] == password_minimum() == 12
    assert not any(value for name, value in policy.items() if name.startswith("Require"))


def test_a_new_user_reads_the_password_rule_before_the_field(owner: Staff) -> None:
    email_id, first, _ = two_accounts(owner)
    page = activate_page(owner, owner.send_invitation(first, email_id))

    rule = page.index("Your password needs at least 12")
    assert rule < page.index('<input id="password"') < page.index('<input id="confirm"')
    assert 'aria-describedby="password-rule"' in page
    assert "current password" not in page


def test_an_existing_user_is_asked_for_their_current_password(owner: Staff) -> None:
    email_id, first, second = two_accounts(owner)
    owner.activate(first, email_id)

    page = activate_page(owner, owner.send_invitation(second, email_id))

    assert "use your current password" in page
    assert '<label for="password">Your current password</label>' in page
    assert 'id="confirm"' not in page


def test_the_client_page_signs_in_to_the_portal_and_the_staff_page_to_the_workspace(
    owner: Staff,
) -> None:
    email_id, first, _ = two_accounts(owner)
    client = page_settings(activate_page(owner, owner.send_invitation(first, email_id)))
    staff = page_settings(activate_page(owner, invite_staff(owner, "new.colleague@ledger.example")))

    assert client["login"].endswith("/v1/portal/login")
    assert (client["store"], client["destination"]) == ("crm.portal", "/portal")
    assert client["email"] == "ann@home.example"
    assert staff["login"].endswith("/v1/staff/login")
    assert (staff["store"], staff["destination"]) == ("crm.staff", "/app")
    assert staff["email"] == "new.colleague@ledger.example"
    assert client["minimum"] == staff["minimum"] == 12


def test_the_client_invitation_email_tells_an_existing_user_to_use_their_password(
    owner: Staff,
) -> None:
    email_id, first, _ = two_accounts(owner)
    owner.send_invitation(first, email_id)
    invite_staff(owner, "new.colleague@ledger.example")

    [client] = mail_to("ann@home.example")
    [staff] = mail_to("new.colleague@ledger.example")

    for body in (text_of(client), html_of(client)):
        assert "choose a password of at least 12 characters" in body
        assert "If you already use the client portal, use your current password" in body
    assert "choose a password of at least 12 characters" in text_of(staff)
    assert "current password" not in text_of(staff)
