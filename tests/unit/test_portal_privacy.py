"""Privacy of synced mail in the portal (issue 9, section 4): on a family or business
account, a portal user reads only the messages exchanged with their own address (From,
To or Cc), and only the documents saved from those messages; the firm's staff read all."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from crm import clock
from crm.core.directory import AccountRef
from crm.core.documents import StoredDocument
from crm.core.mail import Person
from crm.storage import documents, keys
from crm.sync import message_store, page_store
from crm.sync.models import StoredMessage
from tests.unit.conftest import PASSWORD, Api, Staff, claims_of

ANN = "ann@home.example"
BOB = "bob@home.example"
FIRM = "desk@ledger.example"
_MINUTES = itertools.count()


@dataclass
class Family:
    owner: Staff
    account_id: str
    name: str
    ann: dict[str, str]
    bob: dict[str, str]

    def store(self, subject: str, sender: str, to: list[str], cc: Sequence[str] = ()) -> str:
        """A synced message on this account (and on `Bob's business` too), as the sync
        stores it; returns its id."""
        message_id = f"msg-{subject.replace(' ', '-').lower()}"
        minute = next(_MINUTES)
        message_store.add_messages(
            self.owner.firm_id,
            [
                StoredMessage(
                    message_id=message_id,
                    rfc_message_id=f"<{message_id}@client.example>",
                    in_reply_to="",
                    references=[],
                    thread_id=message_id,
                    subject=subject,
                    from_=[Person(name="", address=sender)],
                    to=[Person(name="", address=a) for a in to],
                    cc=[Person(name="", address=a) for a in cc],
                    reply_to=[],
                    date=f"2026-01-05T09:{minute // 60:02d}:{minute % 60:02d}Z",
                    direction="outbound" if sender == FIRM else "inbound",
                    source="imap",
                    snippet=subject,
                    text=subject,
                    html="",
                    body_key=None,
                    raw_key=None,
                    attachments=[],
                    accounts=[
                        AccountRef(account_id=self.account_id, name=self.name),
                        AccountRef(account_id="acc_bobs_business", name="Bob's business"),
                    ],
                    locations=[],
                    problems=[],
                    size=100,
                    sent_by=None,
                    synced_at=clock.iso(),
                )
            ],
            [],
        )
        return message_id

    def document(self, name: str, message_id: str | None) -> str:
        document_id = f"doc-{name.replace(' ', '-').lower()}"
        documents.add(
            self.owner.firm_id,
            StoredDocument(
                document_id=document_id,
                account_id=self.account_id,
                name=name,
                size=10,
                content_type="application/pdf",
                source="email_attachment",
                message_id=message_id,
                created_at=clock.iso(),
                sha256=document_id,
                s3_key=documents.s3_key(self.owner.firm_id, self.account_id, document_id),
            ),
        )
        return document_id

    def portal(self, who: dict[str, str], route: str, **path: str) -> Any:
        return self.owner.api.call(
            "portal_api", route, claims=who, path={"account_id": self.account_id, **path}
        )

    def subjects(self, who: dict[str, str]) -> set[str]:
        answer = self.portal(who, "PortalMessages")
        assert answer.status == 200, answer.body
        return {m["subject"] for m in answer.body["items"]}


@pytest.fixture
def family(api: Api, owner: Staff) -> Family:
    """The Smith family's account with Ann and Bob on it, each with an active login."""
    account_id = owner.account("Smith family")
    claims = {}
    for first, address in (("Ann", ANN), ("Bob", BOB)):
        contact = owner.contact(address, first=first)
        owner.link(account_id, contact["contact_id"])
        owner.activate(account_id, contact["emails"][0]["email_id"])
        login = api.call("portal_api", "PortalLogin", body={"email": address, "password": PASSWORD})
        assert login.status == 200, login.body
        claims[address] = claims_of(login.body["token"])
    return Family(owner, account_id, "Smith family", claims[ANN], claims[BOB])


def test_each_person_on_a_family_account_reads_only_their_own_mail(family: Family) -> None:
    family.store("To Ann", FIRM, [ANN])
    family.store("From Bob", BOB, [FIRM])
    family.store("To Bob cc Ann", FIRM, [BOB], cc=["Ann@Home.Example"])
    family.store("About the house", FIRM, ["notary@else.example"])
    staff = family.owner.call("sync_api", "AccountMessages", path={"account_id": family.account_id})

    assert family.subjects(family.ann) == {"To Ann", "To Bob cc Ann"}
    assert family.subjects(family.bob) == {"From Bob", "To Bob cc Ann"}
    assert staff.status == 200, staff.body
    assert len(staff.body["items"]) == 4


def test_the_portal_names_no_other_account_a_message_is_shown_on(family: Family) -> None:
    family.store("To Ann", FIRM, [ANN])

    (item,) = family.portal(family.ann, "PortalMessages").body["items"]

    assert item["accounts"] == [{"account_id": family.account_id, "name": "Smith family"}]


def test_a_filtered_list_pages_newest_first_and_loses_nothing(family: Family) -> None:
    for n in range(7):
        family.store(f"Ann {n}", FIRM, [ANN])
        family.store(f"Bob {n}", BOB, [FIRM])
        family.store(f"Bob again {n}", FIRM, [BOB])
    partition = keys.account_mail(family.owner.firm_id, family.account_id)

    def every_page(**budget: int) -> list[list[str]]:
        pages, cursor = [], None
        while True:
            page = page_store.page_with(partition, ["ANN@home.example"], cursor, 3, **budget)
            pages.append([m.subject for m in page.items])
            cursor = page.next_cursor
            if cursor is None:
                return pages

    full = every_page(page_size=4, calls=10)
    short = every_page(page_size=2, calls=1)  # the read budget runs out: short pages

    newest_first = [f"Ann {n}" for n in reversed(range(7))]
    assert full == [newest_first[0:3], newest_first[3:6], newest_first[6:]]
    assert [s for page in short for s in page] == newest_first
    assert any(len(page) < 3 for page in short[:-1])


def test_a_cursor_from_the_portal_goes_on_where_the_page_ended(family: Family) -> None:
    family.store("To Ann", FIRM, [ANN])
    partition = keys.account_mail(family.owner.firm_id, family.account_id)
    first = page_store.page_with(partition, [ANN], None, 1)

    assert first.next_cursor is None  # the only entry was read: nothing more to ask for
    assert page_store.page_with(partition, [], None, 10).items == []


def test_documents_from_someone_elses_mail_are_neither_listed_nor_downloadable(
    family: Family,
) -> None:
    to_ann = family.store("To Ann", FIRM, [ANN])
    from_bob = family.store("From Bob", BOB, [FIRM])
    family.document("Ann's return", to_ann)
    bobs = family.document("Bob's payslip", from_bob)
    family.document("Engagement letter", None)

    listed = family.portal(family.ann, "PortalDocuments")
    theirs = family.portal(family.ann, "PortalDocumentDownload", document_id=bobs)
    own = family.portal(family.bob, "PortalDocumentDownload", document_id=bobs)

    assert listed.status == 200, listed.body
    assert {d["name"] for d in listed.body["items"]} == {"Ann's return", "Engagement letter"}
    assert theirs.status == 404, theirs.body
    assert own.status == 302, own.body
