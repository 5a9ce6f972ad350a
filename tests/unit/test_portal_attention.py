"""The client portal inside an account (issue 12): the picker says what needs attention
(new documents and messages since the user last opened each account, in a bounded number
of reads), opening an account shows the firm's contact details, a message reads in full
for whom it was exchanged with only, the lists page with `limit`, and a download link
comes as JSON for a page that sends its token from script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from pynamodb.connection.base import Connection

from crm import clock
from crm.core import ids
from crm.core.directory import AccountRef
from crm.core.documents import StoredDocument
from crm.core.mail import Person
from crm.integrations.files import FileStore
from crm.settings import get_settings
from crm.storage import documents, firms
from crm.sync import bodies, message_store
from crm.sync.models import StoredMessage
from tests.support import Answer, http_event, invoke
from tests.unit.conftest import PASSWORD, Api, Staff, claims_of

ANN = "ann@home.example"
BOB = "bob@home.example"
FIRM = "desk@ledger.example"


@dataclass
class Client:
    """Ann, with LOGIN on two accounts of the firm (Bob shares the first)."""

    api: Api
    owner: Staff
    family: str
    business: str
    ann: dict[str, str]
    bob: dict[str, str]

    def store(self, account_id: str, subject: str, sender: str, to: list[str], **extra: Any) -> str:
        """A synced message on `account_id`, dated now, as the sync stores it; returns
        its id."""
        message_id = f"msg-{subject.replace(' ', '-').lower()}"
        message = StoredMessage(
            message_id=message_id,
            rfc_message_id=f"<{message_id}@client.example>",
            in_reply_to="",
            references=[],
            thread_id=message_id,
            subject=subject,
            from_=[Person(name="", address=sender)],
            to=[Person(name="", address=a) for a in to],
            cc=[],
            reply_to=[],
            date=clock.iso(),
            direction="outbound" if sender == FIRM else "inbound",
            source="imap",
            snippet=subject,
            text=extra.get("text", subject),
            html=extra.get("html", ""),
            body_key=None,
            raw_key=None,
            attachments=[],
            accounts=[AccountRef(account_id=account_id, name=self.name(account_id))],
            locations=[],
            problems=[],
            size=100,
            sent_by=None,
            synced_at=clock.iso(),
        )
        if extra.get("spill"):
            message = bodies.spill(FileStore(get_settings().documents_bucket), "x", message, 10)
        message_store.add_messages(self.owner.firm_id, [message], [])
        return message_id

    def document(self, account_id: str, name: str, message_id: str | None = None) -> str:
        document_id = ids.sortable_id("doc")
        documents.add(
            self.owner.firm_id,
            StoredDocument(
                document_id=document_id,
                account_id=account_id,
                name=name,
                size=10,
                content_type="application/pdf",
                source="email_attachment",
                message_id=message_id,
                created_at=clock.iso(),
                sha256=document_id,
                s3_key=documents.s3_key(self.owner.firm_id, account_id, document_id),
            ),
        )
        return document_id

    def name(self, account_id: str) -> str:
        return "Smith family" if account_id == self.family else "Smith Design Ltd"

    def portal(self, who: dict[str, str], route: str, **request: Any) -> Answer:
        return self.api.call("portal_api", route, claims=who, **request)

    def picker(self, who: dict[str, str]) -> dict[str, tuple[int, int]]:
        """Each account's (new_documents, new_messages), by name."""
        answer = self.portal(who, "PortalAccounts")
        assert answer.status == 200, answer.body
        return {a["name"]: (a["new_documents"], a["new_messages"]) for a in answer.body["items"]}

    def open(self, who: dict[str, str], account_id: str) -> Answer:
        answer = self.portal(who, "PortalAccount", path={"account_id": account_id})
        assert answer.status == 200, answer.body
        return answer

    def read(self, who: dict[str, str], account_id: str, message_id: str) -> Answer:
        """GET /v1/portal/accounts/{account_id}/messages/{message_id}: the list's sample
        event, one path segment further."""
        event = http_event(
            "portal_api", "PortalMessages", claims=who, path={"account_id": account_id}
        )
        route = f"{event['routeKey']}/{{message_id}}"
        event["routeKey"] = event["requestContext"]["routeKey"] = route
        event["rawPath"] = event["requestContext"]["http"]["path"] = (
            f"{event['rawPath']}/{message_id}"
        )
        event["pathParameters"] = {"account_id": account_id, "message_id": message_id}
        return invoke(self.api.module("portal_api"), event)


@pytest.fixture
def client(api: Api, owner: Staff) -> Client:
    family = owner.account("Smith family")
    business = owner.account("Smith Design Ltd", "business")
    ann = owner.contact(ANN, first="Ann")
    bob = owner.contact(BOB, first="Bob")
    owner.link(family, ann["contact_id"])
    owner.link(business, ann["contact_id"])
    owner.link(family, bob["contact_id"])
    ann_email = ann["emails"][0]["email_id"]
    assert owner.toggle(business, ann_email, login=True).status == 200
    owner.activate(family, ann_email)  # accepting links every account where LOGIN is on
    owner.activate(family, bob["emails"][0]["email_id"])
    claims = {}
    for address in (ANN, BOB):
        login = api.call("portal_api", "PortalLogin", body={"email": address, "password": PASSWORD})
        assert login.status == 200, login.body
        claims[address] = claims_of(login.body["token"])
    return Client(api, owner, family, business, claims[ANN], claims[BOB])


def count_dynamodb_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the DynamoDB operations PynamoDB sends from now on, by name."""
    calls: dict[str, int] = {}
    original = Connection.dispatch

    def dispatch(self: Connection, operation_name: str, operation_kwargs: Any) -> Any:
        calls[operation_name] = calls.get(operation_name, 0) + 1
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", dispatch)
    return calls


# -------------------------------------------------------------------- the picker


def test_the_picker_counts_what_arrived_on_each_account_until_the_user_opens_it(
    client: Client,
) -> None:
    to_ann = client.store(client.family, "Your return", FIRM, [ANN])
    client.store(client.family, "Invoice", FIRM, [ANN])
    client.document(client.family, "return.pdf", to_ann)
    client.document(client.family, "engagement.pdf")
    client.store(client.business, "VAT", FIRM, [ANN])

    before = client.picker(client.ann)
    client.open(client.ann, client.family)
    after = client.picker(client.ann)

    assert before == {"Smith family": (2, 2), "Smith Design Ltd": (0, 1)}
    assert after == {"Smith family": (0, 0), "Smith Design Ltd": (0, 1)}


def test_what_arrives_after_the_user_opened_an_account_counts_again(client: Client) -> None:
    client.store(client.family, "Old news", FIRM, [ANN])
    client.open(client.ann, client.family)
    clock.advance(60)

    later = client.store(client.family, "New letter", FIRM, [ANN])
    client.document(client.family, "letter.pdf", later)

    assert client.picker(client.ann)["Smith family"] == (1, 1)


def test_the_counts_leave_out_other_peoples_mail_and_the_documents_it_brought(
    client: Client,
) -> None:
    from_bob = client.store(client.family, "Bob's payslip", BOB, [FIRM])
    client.document(client.family, "payslip.pdf", from_bob)
    to_both = client.store(client.family, "To you both", FIRM, [BOB, "Ann@Home.Example"])
    client.document(client.family, "deed.pdf", to_both)

    assert client.picker(client.ann)["Smith family"] == (1, 1)
    assert client.picker(client.bob)["Smith family"] == (2, 2)


def test_each_user_has_their_own_last_opening(client: Client) -> None:
    client.store(client.family, "To you both", FIRM, [ANN, BOB])

    client.open(client.ann, client.family)

    assert client.picker(client.ann)["Smith family"] == (0, 0)
    assert client.picker(client.bob)["Smith family"] == (0, 1)


def test_the_picker_reads_a_few_items_per_account_however_much_arrived(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(105):
        client.store(client.family, f"Letter {n}", FIRM, [ANN])
    client.document(client.family, "a.pdf", "msg-letter-1")
    client.document(client.family, "b.pdf")

    calls = count_dynamodb_calls(monkeypatch)
    counts = client.picker(client.ann)

    assert counts["Smith family"] == (2, 100)  # counted up to 100
    # the user's partition; per account its mail and its documents; one batch read of
    # the addresses of the messages the new documents came from
    assert calls == {"Query": 1 + 2 * 2, "BatchGetItem": 1}


# ---------------------------------------------------------- inside an account


def test_opening_an_account_shows_the_firm_and_the_contact_details_it_set(
    client: Client,
) -> None:
    bare = client.open(client.ann, client.family).body["firm"]
    firms.update_settings(
        client.owner.firm_id,
        {"contact_email": "desk@ledger.example", "contact_phone": "+31 20 123 4567"},
        "staff:test",
    )

    firm = client.open(client.ann, client.family).body["firm"]

    assert bare == {
        "name": "Ledger & Co",
        "contact_email": None,
        "contact_phone": None,
        "address": None,
        "website": None,
    }
    assert firm["contact_email"] == "desk@ledger.example"
    assert firm["contact_phone"] == "+31 20 123 4567"
    assert firm["address"] is None


def test_a_message_reads_in_full_for_whom_it_was_exchanged_with_only(client: Client) -> None:
    to_ann = client.store(
        client.family, "Your return", FIRM, [ANN], text="See the figures.", html="<p>See</p>"
    )
    from_bob = client.store(client.family, "Bob's payslip", BOB, [FIRM])
    business = client.store(client.business, "VAT", FIRM, [ANN])

    own = client.read(client.ann, client.family, to_ann)
    someone_elses = client.read(client.ann, client.family, from_bob)
    other_account = client.read(client.ann, client.family, business)
    unknown = client.read(client.ann, client.family, "msg-nothing")
    no_access = client.read(client.bob, client.business, business)

    assert own.status == 200, own.body
    assert own.body["subject"] == "Your return"
    assert own.body["text"] == "See the figures."
    assert own.body["html"] == "<p>See</p>"
    assert own.body["accounts"] == [{"account_id": client.family, "name": "Smith family"}]
    assert someone_elses.status == other_account.status == unknown.status == 404
    assert someone_elses.body == other_account.body == unknown.body
    assert no_access.status == 404
    assert no_access.body["error"]["code"] == "no_access"


def test_a_message_too_large_for_its_item_reads_whole_from_the_bucket(client: Client) -> None:
    long_text = "A long letter. " * 40
    message_id = client.store(client.family, "Long", FIRM, [ANN], text=long_text, spill=True)

    answer = client.read(client.ann, client.family, message_id)

    assert answer.status == 200, answer.body
    assert answer.body["text"] == long_text


@pytest.mark.parametrize("route", ["PortalMessages", "PortalDocuments"])
@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_the_portal_lists_take_a_limit_of_1_to_100(client: Client, route: str, limit: str) -> None:
    answer = client.portal(
        client.ann, route, path={"account_id": client.family}, query={"limit": limit}
    )

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == ["limit"]


def test_the_portal_lists_page_with_limit_and_next_cursor(client: Client) -> None:
    for n in range(3):
        client.document(client.family, f"doc-{n}.pdf")
        client.store(client.family, f"Letter {n}", FIRM, [ANN])
        clock.advance(1)  # newest first: one second apart

    def pages(route: str, key: str) -> list[list[str]]:
        found, cursor = [], None
        while True:
            query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
            answer = client.portal(
                client.ann, route, path={"account_id": client.family}, query=query
            )
            assert answer.status == 200, answer.body
            found.append([item[key] for item in answer.body["items"]])
            cursor = answer.body["next_cursor"]
            if cursor is None:
                return found

    assert pages("PortalDocuments", "name") == [["doc-2.pdf", "doc-1.pdf"], ["doc-0.pdf"]]
    assert pages("PortalMessages", "subject") == [["Letter 2", "Letter 1"], ["Letter 0"]]


def test_a_download_link_comes_as_json_with_its_expiry_when_asked(client: Client) -> None:
    document_id = client.document(client.family, "return.pdf")
    path = {"account_id": client.family, "document_id": document_id}

    as_json = client.portal(
        client.ann, "PortalDocumentDownload", path=path, query={"redirect": "false"}
    )
    redirect = client.portal(client.ann, "PortalDocumentDownload", path=path)

    assert as_json.status == 200, as_json.body
    assert set(as_json.body) == {"url", "expires_at"}
    assert urlsplit(as_json.body["url"]).path.endswith(document_id)
    assert as_json.body["expires_at"] > clock.iso()
    assert as_json.headers["Cache-Control"] == "no-store"
    assert redirect.status == 302
