"""LOGIN back on for someone whose portal login still exists gives them the account
again at once, with their current password: no new invitation, and the row says when
(issue 12, the Contacts section)."""

from __future__ import annotations

import boto3

from tests.support import Context, load_event
from tests.unit.conftest import (
    PASSWORD,
    Api,
    Staff,
    claims_of,
    mail_to,
    outbox_events,
    sent_mail,
    text_of,
)

ADDRESS = "ann@home.example"


def active_then_off(owner: Staff) -> tuple[str, str]:
    """An account whose client accepted their invitation, then lost LOGIN there."""
    account_id = owner.account()
    contact = owner.contact(ADDRESS)
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    owner.activate(account_id, email_id)
    assert owner.toggle(account_id, email_id, login=False).status == 200
    return account_id, email_id


def portal_account(api: Api, account_id: str) -> int:
    """The status the client gets opening the account, signed in with their password."""
    login = api.call("portal_api", "PortalLogin", body={"email": ADDRESS, "password": PASSWORD})
    assert login.status == 200, login.body
    claims = claims_of(login.body["token"])
    path = {"account_id": account_id}
    return api.call("portal_api", "PortalAccount", claims=claims, path=path).status


def invitations_to_ann() -> int:
    return len(mail_to(ADDRESS))


def test_login_on_again_restores_access_without_an_invitation(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    assert portal_account(api, account_id) == 404
    mails_before = len(sent_mail())

    answer = owner.toggle(account_id, email_id, login=True)

    assert answer.status == 200, answer.body
    assert answer.body["login_status"] == "active"
    assert answer.body["access_restored_at"] is not None
    assert answer.body["invitation_expires_at"] is None
    assert (
        owner.row(account_id, email_id)["access_restored_at"] == answer.body["access_restored_at"]
    )
    assert portal_account(api, account_id) == 200
    assert len(sent_mail()) == mails_before  # no invitation went out


def test_the_restored_access_ends_again_with_login_off(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    owner.toggle(account_id, email_id, login=True)

    owner.toggle(account_id, email_id, login=False)

    assert portal_account(api, account_id) == 404
    assert owner.row(account_id, email_id)["login_status"] == "off"


def test_the_restoration_is_audited_in_words(owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)

    owner.toggle(account_id, email_id, login=True)

    trail = owner.call("access_api", "Audit", query={"account_id": account_id}).body["items"]
    entry = trail[0]
    assert entry["action"] == "access_restored"
    assert entry["details"]["login_status"] == {"from": "off", "to": "active"}
    assert entry["summary"] == (
        "Ann Smith's portal access restored for ann@home.example: "
        "they sign in with their current password."
    )


def test_login_on_with_send_invitation_invites_instead(owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    before = invitations_to_ann()

    answer = owner.toggle(account_id, email_id, login=True, send_invitation=True)

    assert answer.status == 200, answer.body
    assert answer.body["login_status"] == "invited"
    assert answer.body["access_restored_at"] is None
    assert owner.api.deliver_requested(owner.firm_id)
    assert invitations_to_ann() == before + 1


def test_a_deleted_portal_login_is_not_restored(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    pool = api.module("access_api").api.service().portal_pool
    boto3.client("cognito-idp").admin_delete_user(UserPoolId=pool.pool_id, Username=ADDRESS)

    answer = owner.toggle(account_id, email_id, login=True)

    assert answer.status == 200, answer.body
    assert answer.body["login_status"] == "not_invited"
    assert answer.body["access_restored_at"] is None


def test_a_new_address_is_not_restored_for_the_old_addresss_user(owner: Staff) -> None:
    """The row's address changed while LOGIN was off: the user it was active for is not
    the new address's, so LOGIN on waits for an invitation."""
    account_id, email_id = active_then_off(owner)
    (listed,) = owner.section(account_id)["contacts"]
    changed = owner.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": listed["contact_id"], "email_id": email_id},
        body={"address": "ann@work.example"},
    )
    assert changed.status == 200, changed.body

    answer = owner.toggle(account_id, email_id, login=True)

    assert answer.body["login_status"] == "not_invited"
    assert answer.body["access_restored_at"] is None


def deliver_notices(api: Api) -> list[dict[str, str]]:
    """Hand the AccessRestored events in the outbox to the invite function, as the bus
    would (its rule is not wired to Lambda in moto)."""
    outcomes = []
    for event in outbox_events("AccessRestored"):
        sample = load_event("invite", "AccessRestored")
        sample["detail"] = event.detail
        outcomes.append(api.module("invite").lambda_handler(sample, Context()))
    return outcomes


def test_the_person_gets_a_short_notice_without_a_link_to_activate(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    before = len(mail_to(ADDRESS))
    owner.toggle(account_id, email_id, login=True)

    assert deliver_notices(api) == [{"outcome": "sent"}]

    notices = mail_to(ADDRESS)[before:]
    assert len(notices) == 1
    (notice,) = notices
    assert notice["Subject"] == "Ledger & Co: your access to Smith family is back"
    text = text_of(notice)
    assert "current password" in text and "Smith family" in text
    assert "token=" not in text and "/activate" not in text


def test_a_redelivered_notice_is_sent_once(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    owner.toggle(account_id, email_id, login=True)
    before = len(mail_to(ADDRESS))

    first, again = deliver_notices(api) + deliver_notices(api)

    assert first == again == {"outcome": "sent"}
    assert len(mail_to(ADDRESS)) == before + 1


def test_no_notice_once_login_is_off_again(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    owner.toggle(account_id, email_id, login=True)
    owner.toggle(account_id, email_id, login=False)
    before = len(mail_to(ADDRESS))

    assert deliver_notices(api) == [{"outcome": "skipped"}]
    assert len(mail_to(ADDRESS)) == before


def test_the_firms_copy_addresses_get_a_copy_of_the_notice(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)
    settings = owner.call(
        "firms_api", "UpdateSettings", body={"copy_client_emails_to": ["files@firm.example"]}
    )
    assert settings.status == 200, settings.body
    owner.toggle(account_id, email_id, login=True)

    deliver_notices(api)

    (copy,) = mail_to("files@firm.example")
    assert copy["Subject"].startswith("Copy: ")
    assert ADDRESS in text_of(copy)
