"""Accounts, email fields, contacts and their addresses, CSV import and links
(API.md, "Accounts, contacts, addresses")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import Staff, table_items


def create_contact(staff: Staff, *emails: dict[str, Any], first: str = "Ann", last: str = "Smith"):
    return staff.call(
        "directory_api",
        "CreateContact",
        body={"first_name": first, "last_name": last, "emails": list(emails)},
    )


def get_contact(staff: Staff, contact_id: str):
    return staff.call("directory_api", "GetContact", path={"contact_id": contact_id})


def add_email(staff: Staff, contact_id: str, **body: Any):
    return staff.call("directory_api", "AddEmail", path={"contact_id": contact_id}, body=body)


def change_email(staff: Staff, contact_id: str, email_id: str, **body: Any):
    return staff.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": contact_id, "email_id": email_id},
        body=body,
    )


def remove_email(staff: Staff, contact_id: str, email_id: str):
    return staff.call(
        "directory_api", "RemoveEmail", path={"contact_id": contact_id, "email_id": email_id}
    )


def link(staff: Staff, account_id: str, contact_id: str):
    return staff.call(
        "directory_api",
        "LinkContact",
        path={"account_id": account_id},
        body={"contact_id": contact_id},
    )


def unlink(staff: Staff, account_id: str, contact_id: str):
    return staff.call(
        "directory_api", "UnlinkContact", path={"account_id": account_id, "contact_id": contact_id}
    )


def new_field(staff: Staff, label: str) -> str:
    answer = staff.call("directory_api", "CreateEmailField", body={"label": label})
    assert answer.status == 201, answer.body
    return str(answer.body["field_id"])


def import_csv(staff: Staff, text: str, content_type: str = "text/csv", language: str = "en"):
    return staff.call(
        "directory_api",
        "ImportContacts",
        raw_body=text,
        content_type=content_type,
        headers={"accept-language": language},
    )


def stored_contacts(firm_id: str) -> dict[str, dict[str, Any]]:
    """The firm's contacts as stored, by first name: {first_name: {address: label}}."""
    found: dict[str, dict[str, Any]] = {}
    for item in table_items():
        if item["pk"]["S"] == f"FIRM#{firm_id}" and item["sk"]["S"].startswith("CONTACT#"):
            emails = {
                e["M"]["address"]["S"]: e["M"]["label"]["S"]
                for e in item.get("emails", {}).get("L", [])
            }
            found[item["first_name"]["S"]] = {"last_name": item["last_name"]["S"], "emails": emails}
    return found


def section_addresses(staff: Staff, account_id: str) -> dict[str, list[str]]:
    """{contact_id: [address, ...]} of the Contacts section."""
    return {
        c["contact_id"]: [r["address"] for r in c["emails"]]
        for c in staff.section(account_id)["contacts"]
    }


# ---------------------------------------------------------------------- accounts


def test_an_account_is_created_listed_and_read(owner: Staff) -> None:
    created = owner.call(
        "directory_api", "CreateAccount", body={"name": "Jones LLC", "type": "business"}
    )

    assert created.status == 201, created.body
    assert created.body["name"] == "Jones LLC" and created.body["type"] == "business"
    account_id = created.body["account_id"]
    listed = owner.call("directory_api", "ListAccounts")
    assert listed.status == 200
    assert [a["account_id"] for a in listed.body["items"]] == [account_id]
    read = owner.call("directory_api", "GetAccount", path={"account_id": account_id})
    assert read.status == 200
    assert read.body["account_id"] == account_id
    assert read.body["name"] == "Jones LLC" and read.body["type"] == "business"


@pytest.mark.parametrize("type_", ["individual", "family", "business"])
def test_every_account_type_is_accepted(owner: Staff, type_: str) -> None:
    answer = owner.call("directory_api", "CreateAccount", body={"name": "X", "type": type_})

    assert answer.status == 201, answer.body


def test_an_unknown_account_type_is_422(owner: Staff) -> None:
    answer = owner.call("directory_api", "CreateAccount", body={"name": "X", "type": "trust"})

    assert answer.status == 422, answer.body
    assert {f["name"] for f in answer.body["error"]["fields"]} == {"type"}
    assert owner.call("directory_api", "ListAccounts").body["items"] == []


def test_a_too_long_account_name_is_422(owner: Staff) -> None:
    answer = owner.call(
        "directory_api", "CreateAccount", body={"name": "x" * 201, "type": "family"}
    )

    assert answer.status == 422, answer.body
    assert {f["name"] for f in answer.body["error"]["fields"]} == {"name"}
    assert owner.call("directory_api", "ListAccounts").body["items"] == []


def test_an_unknown_account_is_404(owner: Staff) -> None:
    answer = owner.call(
        "directory_api", "GetAccount", path={"account_id": "acc_0123456789abcdef0123456789abcdef"}
    )

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"]


# ------------------------------------------------------------------ email fields


def test_every_firm_starts_with_the_email_field(owner: Staff) -> None:
    answer = owner.call("directory_api", "ListEmailFields")

    assert answer.status == 200
    assert [f["label"] for f in answer.body["items"]] == ["Email"]


def test_an_email_field_is_added(owner: Staff) -> None:
    answer = owner.call("directory_api", "CreateEmailField", body={"label": "Work email"})

    assert answer.status == 201, answer.body
    assert answer.body["label"] == "Work email" and answer.body["field_id"]
    listed = owner.call("directory_api", "ListEmailFields").body["items"]
    assert sorted(f["label"] for f in listed) == ["Email", "Work email"]
    assert answer.body in listed


@pytest.mark.parametrize("again", ["Work email", "Email"])
def test_an_email_field_label_twice_is_409(owner: Staff, again: str) -> None:
    new_field(owner, "Work email")

    answer = owner.call("directory_api", "CreateEmailField", body={"label": again})

    assert answer.status == 409, answer.body
    assert len(owner.call("directory_api", "ListEmailFields").body["items"]) == 2


# ---------------------------------------------------------------------- contacts


def test_a_contact_has_several_addresses_in_several_fields(owner: Staff) -> None:
    work = new_field(owner, "Work email")

    answer = create_contact(
        owner, {"address": "ann@home.example"}, {"address": "ann@work.example", "field_id": work}
    )

    assert answer.status == 201, answer.body
    emails = answer.body["emails"]
    assert [(e["address"], e["label"]) for e in emails] == [
        ("ann@home.example", "Email"),
        ("ann@work.example", "Work email"),
    ]
    assert emails[1]["field_id"] == work
    assert all(e["email_id"] for e in emails) and emails[0]["email_id"] != emails[1]["email_id"]
    read = get_contact(owner, answer.body["contact_id"])
    assert read.status == 200
    assert read.body["emails"] == emails
    assert read.body["first_name"] == "Ann" and read.body["last_name"] == "Smith"


def test_an_address_without_field_id_belongs_to_the_email_field(owner: Staff) -> None:
    email_field = owner.call("directory_api", "ListEmailFields").body["items"][0]

    answer = create_contact(owner, {"address": "ann@home.example"})

    assert answer.body["emails"][0]["field_id"] == email_field["field_id"]
    assert answer.body["emails"][0]["label"] == "Email"


def test_an_unknown_field_id_is_422_and_creates_nothing(owner: Staff) -> None:
    answer = create_contact(owner, {"address": "ann@home.example", "field_id": "fld_nope"})

    assert answer.status == 422, answer.body
    assert any("field_id" in f["name"] for f in answer.body["error"]["fields"])
    assert stored_contacts(owner.firm_id) == {}


@pytest.mark.parametrize("second", ["ann@home.example", "ANN@Home.Example"])
def test_the_same_address_twice_on_one_contact_is_409(owner: Staff, second: str) -> None:
    answer = create_contact(owner, {"address": "ann@home.example"}, {"address": second})

    assert answer.status == 409, answer.body
    assert stored_contacts(owner.firm_id) == {}


def test_the_same_address_on_two_contacts_is_fine(owner: Staff) -> None:
    create_contact(owner, {"address": "shared@home.example"})

    answer = create_contact(owner, {"address": "shared@home.example"}, first="Bob")

    assert answer.status == 201, answer.body


def test_an_address_is_stored_as_given(owner: Staff) -> None:
    answer = create_contact(owner, {"address": "Ann.Smith@Home.Example"})

    assert answer.body["emails"][0]["address"] == "Ann.Smith@Home.Example"
    read = get_contact(owner, answer.body["contact_id"])
    assert read.body["emails"][0]["address"] == "Ann.Smith@Home.Example"


def test_a_bad_address_is_422(owner: Staff) -> None:
    answer = create_contact(owner, {"address": "ann.home.example"})

    assert answer.status == 422, answer.body
    assert stored_contacts(owner.firm_id) == {}


def test_an_unknown_contact_is_404(owner: Staff) -> None:
    answer = get_contact(owner, "con_0123456789abcdef0123456789abcdef")

    assert answer.status == 404, answer.body


# -------------------------------------------------------- a contact's addresses


def test_an_address_is_added_to_a_contact(owner: Staff) -> None:
    work = new_field(owner, "Work email")
    contact = owner.contact("ann@home.example")

    answer = add_email(owner, contact["contact_id"], address="Ann@Work.Example", field_id=work)

    assert answer.status == 201, answer.body
    assert answer.body["address"] == "Ann@Work.Example"
    assert answer.body["label"] == "Work email" and answer.body["field_id"] == work
    emails = get_contact(owner, contact["contact_id"]).body["emails"]
    assert [e["address"] for e in emails] == ["ann@home.example", "Ann@Work.Example"]
    assert emails[1] == answer.body


@pytest.mark.parametrize("again", ["ann@home.example", "Ann@HOME.example"])
def test_adding_an_address_the_contact_has_is_409(owner: Staff, again: str) -> None:
    contact = owner.contact("ann@home.example")

    answer = add_email(owner, contact["contact_id"], address=again)

    assert answer.status == 409, answer.body
    assert len(get_contact(owner, contact["contact_id"]).body["emails"]) == 1


def test_an_address_is_changed(owner: Staff) -> None:
    contact = owner.contact("ann@home.example", "ann@work.example")
    email_id = contact["emails"][0]["email_id"]

    answer = change_email(owner, contact["contact_id"], email_id, address="ann@new.example")

    assert answer.status == 200, answer.body
    assert answer.body["address"] == "ann@new.example" and answer.body["email_id"] == email_id
    emails = get_contact(owner, contact["contact_id"]).body["emails"]
    assert [e["address"] for e in emails] == ["ann@new.example", "ann@work.example"]


def test_an_address_is_moved_to_another_field(owner: Staff) -> None:
    work = new_field(owner, "Work email")
    contact = owner.contact("ann@home.example")
    email_id = contact["emails"][0]["email_id"]

    answer = change_email(owner, contact["contact_id"], email_id, field_id=work)

    assert answer.status == 200, answer.body
    assert answer.body["address"] == "ann@home.example"
    assert answer.body["field_id"] == work and answer.body["label"] == "Work email"


def test_changing_an_address_to_another_one_of_the_contact_is_409(owner: Staff) -> None:
    contact = owner.contact("ann@home.example", "ann@work.example")
    email_id = contact["emails"][0]["email_id"]

    answer = change_email(owner, contact["contact_id"], email_id, address="ANN@work.example")

    assert answer.status == 409, answer.body
    emails = get_contact(owner, contact["contact_id"]).body["emails"]
    assert [e["address"] for e in emails] == ["ann@home.example", "ann@work.example"]


def test_changing_or_removing_an_unknown_address_is_404(owner: Staff) -> None:
    contact = owner.contact("ann@home.example")
    unknown = "eml_0123456789abcdef0123456789abcdef"

    changed = change_email(owner, contact["contact_id"], unknown, address="x@home.example")
    removed = remove_email(owner, contact["contact_id"], unknown)

    assert changed.status == 404, changed.body
    assert removed.status == 404, removed.body


def test_an_address_is_removed(owner: Staff) -> None:
    contact = owner.contact("ann@home.example", "ann@work.example")
    email_id = contact["emails"][0]["email_id"]

    answer = remove_email(owner, contact["contact_id"], email_id)

    assert answer.status == 204, answer.body
    emails = get_contact(owner, contact["contact_id"]).body["emails"]
    assert [e["address"] for e in emails] == ["ann@work.example"]
    assert remove_email(owner, contact["contact_id"], email_id).status == 404


# ------------------------------------------------------------------------ import


def test_an_import_keeps_good_rows_and_reports_bad_ones_by_spreadsheet_row(owner: Staff) -> None:
    new_field(owner, "Work email")
    text = (
        "first_name,last_name,email,Work email\n"  # row 1
        "Ann,Smith,ann@home.example,ann@work.example\n"  # row 2: good
        "Bob,Jones,not-an-address,\n"  # row 3: bad address
        ",Nobody,nobody@home.example,\n"  # row 4: no first name
        "Cid,Lee,cid@home.example,\n"  # row 5: good
    )

    answer = import_csv(owner, text)

    assert answer.status == 200, answer.body
    assert answer.body["created"] == 2
    assert [e["row"] for e in answer.body["errors"]] == [3, 4]
    assert all(e["message"] for e in answer.body["errors"])
    assert stored_contacts(owner.firm_id) == {
        "Ann": {
            "last_name": "Smith",
            "emails": {"ann@home.example": "Email", "ann@work.example": "Work email"},
        },
        "Cid": {"last_name": "Lee", "emails": {"cid@home.example": "Email"}},
    }


def test_an_imports_row_errors_are_in_the_readers_language(owner: Staff) -> None:
    text = (
        "first_name,last_name,email\n"
        "Bob,Jones,not-an-address\n"  # row 2
        ",Nobody,nobody@home.example\n"  # row 3
        "Ann,Smith,ann@home.example,extra\n"  # row 4
    )

    english = import_csv(owner, text).body["errors"]
    dutch = import_csv(owner, text, language="nl-NL").body["errors"]

    assert [e["message"] for e in english] == [
        "Not a valid email address: not-an-address.",
        "first_name is required.",
        "This row has more cells than the header.",
    ]
    assert [e["message"] for e in dutch] == [
        "Geen geldig e-mailadres: not-an-address.",
        "first_name is verplicht.",
        "Deze rij heeft meer cellen dan de kopregel.",
    ]


def test_a_refused_import_file_says_why_in_the_readers_language(owner: Staff) -> None:
    text = "first_name,last_name,email,Fax\nAnn,Smith,ann@home.example,123\n"

    answer = import_csv(owner, text, language="nl")

    assert answer.status == 422, answer.body
    (field,) = answer.body["error"]["fields"]
    assert field == {
        "name": "header",
        "message": "Deze kolommen zijn geen e-mailvelden van het kantoor: Fax.",
    }


def test_an_import_with_an_unknown_column_is_422_and_creates_nothing(owner: Staff) -> None:
    text = "first_name,last_name,email,Fax\nAnn,Smith,ann@home.example,123\n"

    answer = import_csv(owner, text)

    assert answer.status == 422, answer.body
    assert "Fax" in str(answer.body["error"])
    assert stored_contacts(owner.firm_id) == {}


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_an_import_that_is_not_csv_is_400(owner: Staff, content_type: str) -> None:
    answer = import_csv(
        owner, "first_name,last_name,email\nAnn,Smith,ann@home.example\n", content_type=content_type
    )

    assert answer.status == 400, answer.body
    assert stored_contacts(owner.firm_id) == {}


def test_an_import_row_with_the_same_address_twice_is_reported(owner: Staff) -> None:
    new_field(owner, "Work email")
    text = (
        "first_name,last_name,email,Work email\n"
        "Ann,Smith,ann@home.example,ANN@home.example\n"
        "Bob,Jones,bob@home.example,\n"
    )

    answer = import_csv(owner, text)

    assert answer.status == 200, answer.body
    assert answer.body["created"] == 1
    assert [e["row"] for e in answer.body["errors"]] == [2]
    assert set(stored_contacts(owner.firm_id)) == {"Bob"}


# ------------------------------------------------------------------------- links


def test_a_contact_is_linked_and_unlinked(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")

    linked = link(owner, account_id, contact["contact_id"])

    assert linked.status == 201, linked.body
    assert linked.body["account_id"] == account_id
    assert linked.body["contact_id"] == contact["contact_id"]
    assert get_contact(owner, contact["contact_id"]).body["account_ids"] == [account_id]

    unlinked = unlink(owner, account_id, contact["contact_id"])

    assert unlinked.status == 204, unlinked.body
    assert get_contact(owner, contact["contact_id"]).body["account_ids"] == []
    assert owner.section(account_id)["contacts"] == []


def test_linking_twice_is_409(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")
    link(owner, account_id, contact["contact_id"])

    answer = link(owner, account_id, contact["contact_id"])

    assert answer.status == 409, answer.body
    assert section_addresses(owner, account_id) == {contact["contact_id"]: ["ann@home.example"]}


def test_unlinking_a_contact_that_is_not_linked_is_404(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")

    never_linked = unlink(owner, account_id, contact["contact_id"])
    unknown = unlink(owner, account_id, "con_0123456789abcdef0123456789abcdef")

    assert never_linked.status == 404, never_linked.body
    assert unknown.status == 404, unknown.body


def test_linking_an_unknown_contact_or_to_an_unknown_account_is_404(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")

    no_contact = link(owner, account_id, "con_0123456789abcdef0123456789abcdef")
    no_account = link(owner, "acc_0123456789abcdef0123456789abcdef", contact["contact_id"])

    assert no_contact.status == 404, no_contact.body
    assert no_account.status == 404, no_account.body
    assert get_contact(owner, contact["contact_id"]).body["account_ids"] == []


def test_linking_puts_a_row_per_address_in_the_contacts_section(owner: Staff) -> None:
    account_id = owner.account()
    ann = owner.contact("ann@home.example", "ann@work.example")
    bob = owner.contact("bob@home.example", first="Bob", last="Adams")

    owner.link(account_id, ann["contact_id"])
    owner.link(account_id, bob["contact_id"])

    section = owner.section(account_id)
    assert section_addresses(owner, account_id) == {
        ann["contact_id"]: ["ann@home.example", "ann@work.example"],
        bob["contact_id"]: ["bob@home.example"],
    }
    rows = [r for c in section["contacts"] for r in c["emails"]]
    assert {r["email_id"] for r in rows} == {e["email_id"] for e in ann["emails"] + bob["emails"]}
    assert all(r["login"] is r["notify"] is r["email_sync"] is False for r in rows)
    assert all(r["login_status"] == "off" for r in rows)


def test_adding_an_address_to_a_linked_contact_adds_a_row(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    contact = owner.contact("ann@home.example")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])

    added = add_email(owner, contact["contact_id"], address="ann@work.example")

    assert added.status == 201, added.body
    for account_id in (first, second):
        assert section_addresses(owner, account_id) == {
            contact["contact_id"]: ["ann@home.example", "ann@work.example"]
        }
        assert owner.row(account_id, added.body["email_id"])["login_status"] == "off"


def test_removing_an_address_of_a_linked_contact_removes_its_row(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example", "ann@work.example")
    owner.link(account_id, contact["contact_id"])

    remove_email(owner, contact["contact_id"], contact["emails"][0]["email_id"])

    assert section_addresses(owner, account_id) == {contact["contact_id"]: ["ann@work.example"]}
    assert owner.section(account_id)["unlinked_emails"] == []


def test_unlinking_removes_the_contacts_rows_from_that_account_only(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    contact = owner.contact("ann@home.example", "ann@work.example")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])

    unlink(owner, first, contact["contact_id"])

    assert owner.section(first) == {"contacts": [], "unlinked_emails": [], "nobody_notified": True}
    assert section_addresses(owner, second) == {
        contact["contact_id"]: ["ann@home.example", "ann@work.example"]
    }


def test_a_changed_address_shows_in_the_section_of_every_linked_account(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    contact = owner.contact("ann@home.example")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])

    change_email(
        owner, contact["contact_id"], contact["emails"][0]["email_id"], address="ann@new.example"
    )

    for account_id in (first, second):
        assert section_addresses(owner, account_id) == {contact["contact_id"]: ["ann@new.example"]}
