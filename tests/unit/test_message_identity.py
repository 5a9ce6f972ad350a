"""Message identity (issue 11): one message is one Message-ID and one content. Copies of
a message (other trace headers, another folder, a new UIDVALIDITY, a retried run) are
stored once; different messages that share a Message-ID are all kept, and thread by
their own In-Reply-To and References. Against Dovecot, and the digest on its own."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.storage import keys
from crm.storage.mail_items import MessageItem
from crm.sync import mail_ids, message_store, mime
from crm.sync.models import StoredMessage
from crm.sync.run import Limits
from tests.unit import test_email_sync
from tests.unit.test_email_sync import CLIENT, Firm, dropping_after

firm = test_email_sync.firm  # the fixture: a firm with a mailbox on Dovecot

DATE = "Mon, 05 Jan 2026 09:00:00 +0000"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def letter(
    subject: str,
    text: str,
    *,
    message_id: str,
    to: str,
    sender: str = CLIENT,
    date: str = DATE,
    cc: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    cte: str = "quoted-printable",
    html: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    """A message as its author's program writes it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(text, cte=cte)
    if html:
        message.add_alternative(html, subtype="html", cte=cte)
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="Aangifte 2025.pdf")  # fmt: skip
    return message.as_bytes()


def delivered(raw: bytes, *hops: str) -> bytes:
    """A copy as servers deliver it: their trace headers on top, each hop its own."""
    trace = "".join(
        f"Return-Path: <{CLIENT}>\nDelivered-To: office@{hop}\n"
        f"Received: from {hop} ({hop} [192.0.2.{n}]) by mx.firm.example with ESMTPS id "
        f"{n:04d}{hop}; {DATE}\nX-Spam-Status: No, score=-{n}.{len(hop)}\n"
        for n, hop in enumerate(hops, start=1)
    )
    return trace.encode() + raw


def stored(firm: Firm, message_id: str) -> StoredMessage:
    return message_store.get_message(firm.owner.firm_id, message_id)


def threads_by_subject(firm: Firm) -> dict[str, str]:
    return {i["subject"]: i["thread_id"] for i in firm.inbox()}


# ------------------------------------------------------------- against Dovecot


def test_copies_that_differ_only_in_trace_headers_and_folder_are_stored_once(
    firm: Firm,
) -> None:
    firm.connect()
    firm.enable()
    original = letter("Tax return", "Please find the return attached.",
                      message_id="<once@client.example>", to=firm.user.name, attachment=PDF)  # fmt: skip
    firm.user.append(delivered(original, "mx1.firm.example"))
    firm.user.append(delivered(original, "relay-7.backup.firm.example", "mx2.firm.example"))
    firm.user.append(original, folder="Sent")  # the author's own copy: no trace at all

    first = firm.sync()

    # each copy has another size: each is read once, to compare its content
    assert first.stored == 1 and first.bodies_fetched == 3
    (item,) = firm.inbox()
    assert [i["message_id"] for i in firm.tab()] == [item["message_id"]]
    assert len(stored(firm, item["message_id"]).locations) == 3

    firm.user.change_uidvalidity()
    firm.user.change_uidvalidity("Sent")
    again = firm.sync()

    # the same bytes under new UIDs: known by their stamps, no body read again
    assert again.outcome == "ok" and again.stored == 0 and again.bodies_fetched == 0
    assert [i["message_id"] for i in firm.inbox()] == [item["message_id"]]
    assert len(stored(firm, item["message_id"]).locations) == 6


def test_different_messages_under_one_message_id_are_all_kept(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    reused, to = "<invoice@billing.example>", firm.user.name
    first = letter("Invoice", "Invoice 1 is attached.", message_id=reused, to=to)
    longer = letter("Invoice", "Invoice 1 is attached, and the receipt.", message_id=reused,
                    to=to)  # fmt: skip
    # every header the same, and the same size: only the content tells them apart
    same_size = letter("Invoice", "Invoice 2 is attached.", message_id=reused, to=to)
    assert len(same_size) == len(first)
    firm.user.append_many([first, longer, same_size])
    firm.user.append(longer, folder="Sent")  # a copy of the second one

    report = firm.sync()

    assert report.stored == 3
    inbox = firm.inbox()
    ids = {i["message_id"] for i in inbox}
    assert len(ids) == 3 and {i["message_id"] for i in firm.tab()} == ids
    texts = {firm.message(i)["text"].strip(): i for i in ids}
    assert sorted(texts) == [
        "Invoice 1 is attached, and the receipt.",
        "Invoice 1 is attached.",
        "Invoice 2 is attached.",
    ]
    assert texts["Invoice 1 is attached."] == mail_ids.message_id(reused)  # the first keeps it
    locations = stored(firm, texts["Invoice 1 is attached, and the receipt."]).locations
    assert sorted(at.split("/")[-3] for at in locations) == ["INBOX", "Sent"]

    quiet = firm.sync()
    assert quiet.stored == 0 and quiet.bodies_fetched == 0 and len(firm.inbox()) == 3


def test_a_retried_run_and_a_uidvalidity_change_add_no_duplicates(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    to, messages = firm.user.name, []
    for n in range(6):
        messages.append(letter(f"Message {n}", f"Text {n}", message_id=f"<m{n}@client.example>",
                               to=to))  # fmt: skip
        if n in (1, 4):  # a second message under the same id
            messages.append(letter(f"Message {n} (bis)", f"Other text {n}",
                                   message_id=f"<m{n}@client.example>", to=to))  # fmt: skip
    firm.user.append_many(messages)
    small = Limits(envelope_batch=3, body_group_bytes=1)  # one body per FETCH

    cut = firm.sync(limits=small, connect=dropping_after(5))
    resumed = firm.sync(limits=small)

    assert cut.outcome == "error" and 0 < cut.stored < 8
    assert resumed.outcome == "ok" and cut.stored + resumed.stored == 8
    expected = sorted([f"Message {n}" for n in range(6)] + ["Message 1 (bis)", "Message 4 (bis)"])
    assert sorted(i["subject"] for i in firm.inbox()) == expected

    firm.user.change_uidvalidity()
    resynced = firm.sync()

    assert resynced.outcome == "ok" and resynced.stored == 0
    assert sorted(i["subject"] for i in firm.inbox()) == expected
    # the first message under each id is known by its stamp; the second ones are read
    # again and recognised by their content
    assert resynced.bodies_fetched == 2


def test_turning_sync_on_for_another_account_shows_both_messages_there(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    reused = "<1@localhost>"  # a mailer that gives every message the same id
    firm.user.append_many([
        letter("Reminder", "Your appointment is on Monday.", message_id=reused, to=firm.user.name),
        letter("Receipt", "We received your payment.", message_id=reused, to=firm.user.name),
    ])  # fmt: skip
    firm.sync()
    second = firm.owner.account("Smith Consulting", "business")
    firm.owner.link(second, firm.owner.section(firm.account_id)["contacts"][0]["contact_id"])

    history = firm.enable(second, firm.email_id)

    assert history["stored"] == 0
    assert sorted(i["subject"] for i in firm.tab(second)) == ["Receipt", "Reminder"]
    for item in firm.inbox():
        assert {a["account_id"] for a in item["accounts"]} == {firm.account_id, second}


def test_a_second_message_under_a_reused_id_threads_by_its_own_references(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    reused, office = "<1@localhost>", firm.user.name
    firm.user.append(letter("Question", "Can we meet?", message_id=reused, to=office))
    firm.sync()
    firm.user.append_many([
        letter("Newsletter", "News of the month.", message_id=reused, to=office),
        letter("Appointment", "Monday at ten?", message_id="<appt@client.example>", to=office),
        letter("Re: Appointment", "Monday is fine.", message_id=reused, to=office,
               in_reply_to="<appt@client.example>", references="<appt@client.example>"),
    ])  # fmt: skip
    firm.user.append(
        letter("Re: Question", "Yes, on Monday.", message_id="<re@firm.example>", sender=office,
               to=CLIENT, in_reply_to=reused, references=reused),
        folder="Sent",
    )  # fmt: skip

    report = firm.sync()

    assert report.stored == 4
    thread = threads_by_subject(firm)
    # what names the reused id goes to the message stored first under it
    assert thread["Re: Question"] == thread["Question"]
    # a second message without a parent starts a thread of its own
    assert thread["Newsletter"] not in (thread["Question"], thread["Appointment"])
    # one with a parent joins its parent's thread
    assert thread["Re: Appointment"] == thread["Appointment"] != thread["Question"]


def test_a_message_stored_before_digests_were_kept_is_known_by_its_id_and_date(
    firm: Firm,
) -> None:
    firm.connect()
    firm.enable()
    reused, office = "<1@localhost>", firm.user.name
    firm.user.append(letter("Reminder", "Your appointment is on Monday.", message_id=reused,
                            to=office))  # fmt: skip
    firm.sync()
    (item,) = firm.inbox()
    MessageItem(keys.mail(firm.owner.firm_id), f"MESSAGE#{item['message_id']}").update(
        actions=[MessageItem.digest.remove(), MessageItem.copies.remove()]
    )  # as the sync stored it before
    firm.user.change_uidvalidity()
    firm.user.append(letter("Receipt", "We received your payment.", message_id=reused,
                            to=office, date="Mon, 05 Jan 2026 10:00:00 +0000"))  # fmt: skip

    report = firm.sync()

    # the old message's copy is known by its Message-ID and date, without its body; the
    # new one under that id has another date: fetched, and kept beside it
    assert report.stored == 1 and report.bodies_fetched == 1
    assert sorted(i["subject"] for i in firm.inbox()) == ["Receipt", "Reminder"]


# ------------------------------------------------------------------ the digest

RECIPIENTS = "office@firm.example"
SUBJECT = "Steuer 2025: Unterlagen für Köln"


def original(**changes: object) -> bytes:
    fields: dict[str, object] = {
        "subject": SUBJECT,
        "text": "Guten Tag,\nanbei die Unterlagen für 2025.\nMit freundlichen Grüßen\n",
        "message_id": "<digest@client.example>",
        "to": RECIPIENTS,
        "cc": "tax@firm.example, Bob <bob@firm.example>",
        "attachment": PDF,
    }
    fields.update(changes)
    return letter(**fields)  # type: ignore[arg-type]


def digest(raw: bytes) -> str:
    parsed = mime.parse(BytesIO(raw))
    try:
        return mail_ids.digest_of(parsed)
    finally:
        parsed.close()


def _header(raw: bytes, name: str, value: str) -> bytes:
    """`raw` with header `name` (folded or not) replaced by `value` as given."""
    pattern = re.compile(rb"^" + name.encode() + rb":.*\n(?:[ \t].*\n)*", re.MULTILINE)
    assert pattern.search(raw), name
    return pattern.sub(f"{name}: {value}\n".encode(), raw, count=1)


SAME = {
    "trace headers of two hops on top": lambda: delivered(original(), "mx1.example", "mx2.example"),
    "CRLF line endings": lambda: original().replace(b"\n", b"\r\n"),
    "base64 instead of quoted-printable": lambda: original(cte="base64"),
    "8-bit instead of quoted-printable": lambda: original(cte="8bit"),
    "the subject as base64 encoded words": lambda: _header(
        original(), "Subject", f"=?utf-8?b?{base64.b64encode(SUBJECT.encode()).decode()}?="
    ),
    "the date in another zone, the same moment": lambda: original(
        date="Mon, 05 Jan 2026 10:00:00 +0100"
    ),
    "addresses in another case and order": lambda: original(
        cc="Bob <BOB@firm.example>, Tax <Tax@Firm.Example>"
    ),
    "the text wrapped again": lambda: original(
        text="Guten Tag, anbei die\nUnterlagen für 2025.  Mit freundlichen\nGrüßen"
    ),
    "a display name changed": lambda: original(to=f"Office <{RECIPIENTS}>"),
}

DIFFERENT = {
    "one word of the text": lambda: original(
        text="Guten Tag,\nanbei die Unterlagen für 2024.\nMit freundlichen Grüßen\n"
    ),
    "one byte of the attachment": lambda: original(attachment=PDF[:-1] + b"!"),
    "no attachment": lambda: original(attachment=None),
    "the date, a second later": lambda: original(date="Mon, 05 Jan 2026 09:00:01 +0000"),
    "the sender": lambda: original(sender="someone@else.example"),
    "the subject": lambda: original(subject=SUBJECT + " (2)"),
    "a Cc more": lambda: original(cc="tax@firm.example, bob@firm.example, eve@firm.example"),
    "the HTML": lambda: original(html="<p>Guten Tag</p>"),
}


@pytest.mark.parametrize("change", SAME)
def test_a_copy_changed_on_the_way_has_the_digest_of_the_original(change: str) -> None:
    assert digest(SAME[change]()) == digest(original())


@pytest.mark.parametrize("change", DIFFERENT)
def test_a_change_of_content_changes_the_digest(change: str) -> None:
    assert digest(DIFFERENT[change]()) != digest(original())


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None, database=None)
@given(
    lines=st.lists(_WORDS, min_size=1, max_size=6),
    cte=st.sampled_from(["quoted-printable", "base64", "8bit"]),
    hops=st.lists(st.sampled_from(["mx1.example", "relay.example.net", "a.b"]), max_size=3),
    crlf=st.booleans(),
)
def test_the_digest_holds_whatever_the_encoding_and_trace_and_sees_every_word(
    lines: list[str], cte: str, hops: list[str], crlf: bool
) -> None:
    text = "\n".join(lines) + "\n"
    if not text.split():
        text = "x\n"
    base = digest(original(text=text))

    copy = delivered(original(text=text, cte=cte), *hops)
    if crlf:
        copy = copy.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

    assert digest(copy) == base
    assert digest(original(text=text + "X")) != base


def test_a_stamp_is_the_same_for_the_same_bytes_and_another_for_another_size() -> None:
    envelope = {
        "rfc_message_id": "<a@b.example>",
        "in_reply_to": "",
        "date": datetime(2026, 1, 5, 9, tzinfo=UTC),
        "from_": (CLIENT,),
        "to": (RECIPIENTS,),
        "cc": (),
        "raw_subject": b"=?utf-8?q?Gr=C3=BC=C3=9Fe?=",
        "size": 2048,
    }
    stamp = mail_ids.copy_stamp(**envelope)  # type: ignore[arg-type]

    assert mail_ids.copy_stamp(**envelope) == stamp  # type: ignore[arg-type]
    assert mail_ids.copy_stamp(**{**envelope, "size": 2049}) != stamp  # type: ignore[arg-type]
    assert mail_ids.copy_stamp(**{**envelope, "cc": (CLIENT,)}) != stamp  # type: ignore[arg-type]


def test_a_second_messages_id_is_derived_from_the_first_and_its_content() -> None:
    first = mail_ids.message_id("<1@localhost>")

    one, other = mail_ids.variant_id(first, "d1"), mail_ids.variant_id(first, "d2")

    assert len({first, one, other}) == 3
    assert one == mail_ids.variant_id(first, "d1")  # the same on every run
    assert one.startswith("msg_") and len(one) == len(first)
