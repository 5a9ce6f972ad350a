"""Required kinds go out whatever the switches say and never carry an unsubscribe link;
a firm may lock categories so that its clients cannot change them (issue 14)."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest

from crm.core.categories import CATEGORIES, REQUIRED_KINDS, required_in
from tests.unit.conftest import Api, Staff, html_of, mail_to, text_of
from tests.unit.test_access_restored import active_then_off, deliver_notices
from tests.unit.test_notification_emails import detail, invoices_off, notify

ADDRESS = "ann@client.example"
LIST_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post", "List-Id")


def recipient(owner: Staff, address: str = ADDRESS) -> tuple[str, str]:
    """An account with one address, NOTIFY on."""
    account_id = owner.account()
    contact = owner.contact(address)
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    assert owner.toggle(account_id, email_id, notify=True).status == 200
    return account_id, email_id


def lock(owner: Staff, *categories: str) -> dict[str, Any]:
    answer = owner.call("firms_api", "UpdateSettings", body={"locked_categories": categories})
    assert answer.status == 200, answer.body
    return dict(answer.body)


def preferences(owner: Staff, account_id: str, email_id: str) -> dict[str, Any]:
    answer = owner.call(
        "access_api", "GetPreferences", path={"account_id": account_id, "email_id": email_id}
    )
    assert answer.status == 200, answer.body
    return dict(answer.body)


def assert_no_unsubscribe(message: EmailMessage) -> None:
    for header in LIST_HEADERS:
        assert message[header] is None, header
    assert "/v1/unsubscribe" not in text_of(message)
    assert "/v1/unsubscribe" not in html_of(message)


def unsubscribe_link(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<") and "/v1/unsubscribe?token=" in header, header
    return header.strip("<>").split("token=", 1)[1]


def post_unsubscribe(api: Api, token: str) -> Any:
    return api.call(
        "notifications_api",
        "Unsubscribe",
        query={"token": token},
        raw_body="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


# ------------------------------------------------------------------ required kinds


def test_the_required_kinds_are_named_in_one_place() -> None:
    assert set(REQUIRED_KINDS) == {
        "PaymentConfirmed",
        "InvitationRequested",
        "AccessRestored",
        "NewDeviceSignIn",
        "PasswordResetRequested",
    }
    assert required_in("invoices_and_payments") == ["PaymentConfirmed"]
    assert [c for c in CATEGORIES if required_in(c)] == ["invoices_and_payments"]


def rules(staff: Staff) -> dict[str, Any]:
    answer = staff.call("access_api", "NotificationRules")
    assert answer.status == 200, answer.body
    return dict(answer.body)


def test_the_preferences_answer_is_the_category_switches_and_nothing_else(owner: Staff) -> None:
    account_id, email_id = recipient(owner)
    lock(owner, "proposals")

    assert preferences(owner, account_id, email_id) == dict.fromkeys(CATEGORIES, True)


def test_the_rules_say_which_kinds_are_always_sent_and_what_the_firm_locked(
    owner: Staff,
) -> None:
    body = rules(owner)

    assert {"detail_type": "PaymentConfirmed", "category": "invoices_and_payments"} in body[
        "required"
    ]
    assert {r["detail_type"] for r in body["required"]} == set(REQUIRED_KINDS)
    assert body["locked_categories"] == []
    lock(owner, "proposals", "organizers")
    assert rules(owner)["locked_categories"] == ["proposals", "organizers"]


def test_any_staff_member_reads_the_rules(owner: Staff) -> None:
    lock(owner, "proposals")
    employee = owner.add_staff("emma@firm.example")

    assert rules(employee)["locked_categories"] == ["proposals"]


def test_a_payment_confirmation_is_sent_while_its_category_is_off_and_unlocked(
    api: Api, owner: Staff
) -> None:
    account_id, _ = invoices_off(owner, ADDRESS)

    paid = notify(api, "PaymentConfirmed", detail(owner, account_id, "p-1"))
    issued = notify(api, "InvoiceIssued", detail(owner, account_id, "i-1"))

    assert (paid["sent"], issued["sent"], issued["skipped"]) == (1, 0, 1)
    (message,) = mail_to(ADDRESS)
    assert_no_unsubscribe(message)
    assert "always sends this email" in text_of(message)


def test_a_payment_confirmation_has_no_unsubscribe_in_a_locked_category_either(
    api: Api, owner: Staff
) -> None:
    account_id, _ = recipient(owner)
    lock(owner, "invoices_and_payments")

    assert notify(api, "PaymentConfirmed", detail(owner, account_id, "p-2"))["sent"] == 1

    (message,) = mail_to(ADDRESS)
    assert_no_unsubscribe(message)
    assert "always sends this email" in text_of(message)  # required, not "managed"


def test_an_invitation_carries_no_unsubscribe(owner: Staff) -> None:
    account_id, email_id = recipient(owner)

    owner.send_invitation(account_id, email_id)

    (invitation,) = mail_to(ADDRESS)
    assert "/activate?token=" in text_of(invitation)
    assert_no_unsubscribe(invitation)


def test_the_access_restored_notice_carries_no_unsubscribe(api: Api, owner: Staff) -> None:
    account_id, email_id = active_then_off(owner)  # to ann@home.example
    before = len(mail_to("ann@home.example"))
    owner.toggle(account_id, email_id, login=True)

    assert deliver_notices(api) == [{"outcome": "sent"}]

    (notice,) = mail_to("ann@home.example")[before:]
    assert_no_unsubscribe(notice)


def test_the_new_device_notice_carries_no_unsubscribe() -> None:
    from crm.core.devices import Device, KnownDevice, Place
    from crm.i18n import localizer
    from crm.portal.device_notice import new_device_mail

    device = KnownDevice(
        sub="sub-1",
        device_id="d-1",
        device=Device(browser="Firefox", system="Linux"),
        username=ADDRESS,
        first_seen_at="2026-12-02T08:00:00Z",
        last_seen_at="2026-12-02T08:00:00Z",
        place=Place(country="NL"),
    )
    for language in ("en", "nl"):
        mail = new_device_mail(
            device, "Ledger & Co", "https://api.test/x", words=localizer(language)
        )
        assert not set(mail.headers) & set(LIST_HEADERS)
        assert "/v1/unsubscribe" not in mail.text and "/v1/unsubscribe" not in mail.html


def test_the_unsubscribe_page_of_invoices_says_payment_confirmations_still_arrive(
    api: Api, owner: Staff
) -> None:
    account_id, _ = recipient(owner)
    notify(api, "InvoiceIssued", detail(owner, account_id, "i-2"))
    notify(api, "DocumentUploaded", detail(owner, account_id, "d-2"))
    invoice, document = mail_to(ADDRESS)

    invoices = api.call(
        "notifications_api", "UnsubscribePage", query={"token": unsubscribe_link(invoice)}
    )
    documents = api.call(
        "notifications_api", "UnsubscribePage", query={"token": unsubscribe_link(document)}
    )

    assert invoices.status == documents.status == 200
    assert "Confirmations of payments you made still arrive" in invoices.body
    assert "Confirmations of payments" not in documents.body


# -------------------------------------------------------------------- firm locks


def test_the_firm_locks_categories_and_reads_them_back(owner: Staff) -> None:
    assert owner.call("firms_api", "GetSettings").body["locked_categories"] == []

    changed = lock(owner, "proposals", "documents_uploads", "proposals")

    assert changed["locked_categories"] == ["documents_uploads", "proposals"]  # catalog order
    assert owner.call("firms_api", "GetSettings").body["locked_categories"] == [
        "documents_uploads",
        "proposals",
    ]


def test_an_unknown_category_is_422_and_changes_nothing(owner: Staff) -> None:
    lock(owner, "proposals")

    answer = owner.call(
        "firms_api", "UpdateSettings", body={"locked_categories": ["proposals", "newsletters"]}
    )

    assert answer.status == 422, answer.body
    assert owner.call("firms_api", "GetSettings").body["locked_categories"] == ["proposals"]


@pytest.mark.parametrize("manage_accounts", [False, True])
def test_an_employee_cannot_lock(owner: Staff, manage_accounts: bool) -> None:
    employee = owner.add_staff("emma@firm.example", manage_accounts=manage_accounts)

    answer = employee.call("firms_api", "UpdateSettings", body={"locked_categories": ["proposals"]})

    assert answer.status == 403, answer.body
    assert owner.call("firms_api", "GetSettings").body["locked_categories"] == []


def test_an_admin_may_lock(owner: Staff) -> None:
    admin = owner.add_staff("adam@firm.example", role="admin")

    assert lock(admin, "organizers")["locked_categories"] == ["organizers"]


def test_a_locked_categorys_email_has_no_unsubscribe_and_says_the_firm_manages_it(
    api: Api, owner: Staff
) -> None:
    account_id, _ = recipient(owner)
    lock(owner, "documents_uploads")

    assert notify(api, "DocumentUploaded", detail(owner, account_id, "d-3"))["sent"] == 1
    assert notify(api, "ProposalSent", detail(owner, account_id, "s-3"))["sent"] == 1

    document, proposal = mail_to(ADDRESS)
    assert_no_unsubscribe(document)
    assert "Ledger & Co manages these emails for Smith family" in text_of(document)
    assert "Ledger &amp; Co manages these emails" in html_of(document)
    assert proposal["List-Unsubscribe"] is not None  # another category keeps its link


def test_an_older_link_of_a_locked_category_changes_nothing(api: Api, owner: Staff) -> None:
    account_id, email_id = recipient(owner)
    notify(api, "DocumentUploaded", detail(owner, account_id, "d-4"))
    token = unsubscribe_link(mail_to(ADDRESS)[0])  # sent before the lock
    lock(owner, "documents_uploads")

    page = api.call("notifications_api", "UnsubscribePage", query={"token": token})
    posted = post_unsubscribe(api, token)

    assert page.status == 200 and posted.status == 409
    for answer in (page, posted):
        assert "Your accountant manages the emails about" in answer.body
        assert "Nothing was changed" in answer.body
        assert "<form" not in answer.body  # nothing to post
    assert preferences(owner, account_id, email_id)["documents_uploads"] is True
    assert owner.row(account_id, email_id)["unsubscribed_categories"] == []


def test_the_locked_page_is_in_the_clients_language(api: Api, owner: Staff) -> None:
    account_id, _ = recipient(owner)
    owner.settings(language="nl")
    notify(api, "DocumentUploaded", detail(owner, account_id, "d-5"))
    lock(owner, "documents_uploads")

    posted = post_unsubscribe(api, unsubscribe_link(mail_to(ADDRESS)[0]))

    assert posted.status == 409
    assert "Uw accountant beheert de e-mails over" in posted.body


def test_staff_still_change_a_locked_category(owner: Staff) -> None:
    account_id, email_id = recipient(owner)
    lock(owner, "proposals")

    answer = owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"proposals": False},
    )

    assert answer.status == 200, answer.body
    assert answer.body == {**dict.fromkeys(CATEGORIES, True), "proposals": False}


def test_unlocking_brings_the_header_and_the_unsubscribe_back(api: Api, owner: Staff) -> None:
    account_id, email_id = recipient(owner)
    lock(owner, "documents_uploads")
    notify(api, "DocumentUploaded", detail(owner, account_id, "d-6"))
    lock(owner)  # [] unlocks all

    notify(api, "DocumentUploaded", detail(owner, account_id, "d-7"))
    locked, unlocked = mail_to(ADDRESS)
    posted = post_unsubscribe(api, unsubscribe_link(unlocked))

    assert locked["List-Unsubscribe"] is None
    assert unlocked["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert posted.status == 200, posted.body
    assert preferences(owner, account_id, email_id)["documents_uploads"] is False
