"""The email sync's pieces without AWS: the streaming MIME reader, the HTML sanitiser,
and the IMAP adapter (folders, batches over UID gaps, streamed bodies) against Dovecot
or a fake client."""

from __future__ import annotations

import base64
import quopri
import tracemalloc
from email.message import EmailMessage
from io import BytesIO
from typing import Any

import pytest

from crm.core.mail import Person
from crm.integrations import imap
from crm.sync import mime
from crm.sync.html import sanitise, to_text
from tests.dovecot import ImapUser

PARSED: list[mime.Parsed] = []


def parse(raw: bytes, **options: Any) -> mime.Parsed:
    parsed = mime.parse(BytesIO(raw), **options)
    PARSED.append(parsed)
    return parsed


@pytest.fixture(autouse=True)
def _close_parsed() -> Any:
    """Attachments are spooled temporary files: close what a test parsed."""
    yield
    while PARSED:
        PARSED.pop().close()


# ------------------------------------------------------------------------ MIME


def test_a_well_formed_message_gives_its_parts_people_and_ids() -> None:
    message = EmailMessage()
    message["From"] = "Ånn Smith <ann@client.example>"
    message["To"] = "office@firm.example, Bob <bob@firm.example>"
    message["Cc"] = "tax@firm.example"
    message["Subject"] = "Über die Steuer ✓"
    message["Message-ID"] = "<abc@client.example>"
    message["In-Reply-To"] = "<prev@firm.example>"
    message["References"] = "<root@client.example> <prev@firm.example>"
    message.set_content("Hello ünïcode\nSecond line\n")
    message.add_alternative("<p>Hello <b>there</b></p>", subtype="html")
    payload = bytes(range(256)) * 50
    message.add_attachment(
        payload, maintype="application", subtype="pdf", filename="Bilan 2025.pdf"
    )

    parsed = parse(message.as_bytes())

    assert parsed.subject == "Über die Steuer ✓"
    assert parsed.from_ == [Person(name="Ånn Smith", address="ann@client.example")]
    assert [p.address for p in parsed.to] == ["office@firm.example", "bob@firm.example"]
    assert [p.address for p in parsed.cc] == ["tax@firm.example"]
    assert parsed.message_id == "<abc@client.example>"
    assert parsed.in_reply_to == "<prev@firm.example>"
    assert parsed.references == ["<root@client.example>", "<prev@firm.example>"]
    assert parsed.text == "Hello ünïcode\nSecond line\n"
    assert parsed.html.strip() == "<p>Hello <b>there</b></p>"
    (attachment,) = parsed.attachments
    assert attachment.name == "Bilan 2025.pdf" and attachment.size == len(payload)
    assert attachment.file is not None and attachment.file.read() == payload
    assert parsed.problems == []


def test_charsets_are_honoured_and_wrong_or_unknown_ones_guessed() -> None:
    latin = (
        "From: =?ISO-8859-1?Q?Andr=E9?= <a@x.example>\r\nSubject: caf\xe9 cr\xe8me\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9\r\n"
    ).encode("latin-1")
    wrong = b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\ncaf\xc3\xa9\r\n"
    unknown = b"Subject: x\r\nContent-Type: text/plain; charset=klingon\r\n\r\ncaf\xe9\r\n"
    shift_jis = b"Subject: x\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n"
    shift_jis += "こんにちは".encode("shift_jis")

    assert parse(latin).text.strip() == "café"
    assert parse(latin).subject == "café crème"
    assert parse(latin).from_[0].name == "André"
    assert parse(wrong).text.strip() == "café" and parse(wrong).problems
    assert parse(unknown).text.strip() == "café" and "klingon" in parse(unknown).problems[0]
    assert parse(shift_jis).text == "こんにちは"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"no headers at all \x00\xff",
        b"Subject: no blank line\r\nthis is the body\r\n",
        b"Content-Type: multipart/mixed\r\n\r\nno boundary parameter\r\n",
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nunclosed",
        b'Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n',
        b'Content-Type: text/plain; charset="utf-8\r\nSubject: =?utf-8?B?####?=\r\n\r\nx',
        b'From: <<<@@@>>>, "unterminated\r\nTo: ;;;\r\nDate: Mon, 99 Foo 20x\r\n\r\nbody',
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@!!!===a",
        b"Content-Type: multipart/mixed; boundary=a\r\n\r\n"
        + b"--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" * 60,
        b"Subject: " + b"x" * 200_000 + b"\r\n\r\n" + b"y" * 200_000,
    ],
    ids=range(11),
)
def test_broken_mail_never_raises_and_is_shown_as_well_as_it_can(raw: bytes) -> None:
    parsed = parse(raw)

    assert isinstance(parsed.text, str)
    assert parsed.subject == parsed.subject.strip()


def test_a_broken_multipart_keeps_what_can_be_read_and_says_what_was_wrong() -> None:
    raw = (
        b"Subject: broken\r\nContent-Type: multipart/mixed; boundary=OUT\r\n\r\n"
        b"--OUT\r\nContent-Type: multipart/alternative; boundary=IN\r\n\r\n"
        b"--IN\r\nContent-Type: text/plain\r\n\r\ninner text\r\n"
        b'--OUT\r\nContent-Type: application/octet-stream; name="data.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\nAw!!QF\r\nBg\r\n"
    )  # the inner part is never closed, the outer neither; the base64 has junk

    parsed = parse(raw)

    assert parsed.text.strip() == "inner text"
    (attachment,) = parsed.attachments
    assert attachment.name == "data.bin"
    assert attachment.file is not None and attachment.file.read() == bytes([0, 1, 2, 3, 4, 5, 6])
    assert any("not closed" in p for p in parsed.problems)


def test_an_attachments_bytes_are_exact_whatever_its_encoding() -> None:
    payload = b"line one\r\nline two\r\n\r\n=ends with equals=\r\n\xff\x00"
    for encoding in ("base64", "quoted-printable"):
        body = (  # quoted-printable: CRLF line breaks are the encoding's own hard breaks
            base64.encodebytes(payload)
            if encoding == "base64"
            else quopri.encodestring(payload.replace(b"\r\n", b"\n"))
        )
        raw = (
            b"Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
            b"filename=\"f.bin\"\r\nContent-Transfer-Encoding: " + encoding.encode() + b"\r\n\r\n"
            + body.replace(b"\n", b"\r\n") + b"\r\n--zz--\r\n"
        )  # fmt: skip

        parsed = parse(raw)
        (attachment,) = parsed.attachments

        assert attachment.file is not None
        assert attachment.file.read() == payload, encoding
        parsed.close()


def test_inline_images_of_the_html_are_not_attachments_but_inline_files_with_a_name_are() -> None:
    message = EmailMessage()
    message["Subject"] = "logo"
    message.set_content("text")
    message.add_alternative('<img src="cid:logo1">', subtype="html")
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(b"PNG", maintype="image", subtype="png", cid="<logo1>")
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="shown.pdf",
                           disposition="inline")  # fmt: skip

    parsed = parse(message.as_bytes())

    assert [a.name for a in parsed.attachments] == ["shown.pdf"]


def test_attachment_names_are_made_safe() -> None:
    assert mime.safe_name("../../etc/passwd", "text/plain") == "passwd"
    assert mime.safe_name("C:\\Users\\x\\report.pdf", "application/pdf") == "report.pdf"
    assert mime.safe_name('a<b>:"c|d?.pdf', "application/pdf") == "a_b___c_d_.pdf"
    assert mime.safe_name("\x00\x1b[31m.pdf", "application/pdf") == "__[31m.pdf"
    assert mime.safe_name(".htaccess", "text/plain") == "htaccess"
    assert mime.safe_name("...", "application/pdf") == "attachment.pdf"
    assert mime.safe_name(None, "image/png") == "attachment.png"
    long = mime.safe_name("x" * 500 + ".pdf", "application/pdf")
    assert len(long) <= mime.NAME_LIMIT and long.endswith(".pdf")


def test_rfc2231_and_encoded_word_file_names_are_decoded() -> None:
    raw = (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''%C3%89tat%20financier.pdf\r\n\r\nx\r\n"
        b'--b\r\nContent-Type: application/pdf; name="=?utf-8?q?R=C3=A9sum=C3=A9.pdf?="\r\n\r\ny\r\n'
        b"--b--\r\n"
    )

    assert [a.name for a in parse(raw).attachments] == ["État financier.pdf", "Résumé.pdf"]


def test_attachments_over_the_limit_are_counted_and_hashed_but_not_kept() -> None:
    message = EmailMessage()
    message.set_content("see attached")
    message.add_attachment(b"A" * 5000, maintype="application", subtype="zip", filename="big.zip")

    (attachment,) = parse(message.as_bytes(), attachment_limit=1000).attachments
    (not_kept,) = parse(message.as_bytes(), keep_attachments=False).attachments

    assert attachment.too_large and attachment.file is None and attachment.size == 5000
    assert not_kept.file is None and not_kept.size == 5000 and not not_kept.too_large


def test_a_message_with_only_html_gets_its_text_from_it() -> None:
    raw = b"Content-Type: text/html\r\n\r\n<p>Dear Ann,</p><p>your <b>return</b></p><script>x()</script>"

    assert parse(raw).text == "Dear Ann,\n\nyour return"


# ------------------------------------------------------------------------- HTML


def test_the_sanitiser_keeps_the_layout_and_drops_what_runs_or_phones_home() -> None:
    dirty = (
        '<div onclick="x()"><p style="color:red">Hi <b>Ann</b></p>'
        "<script>alert(1)</script><style>p{}</style><!-- note -->"
        '<a href="https://firm.example/a?b=1&amp;c=2">ok</a>'
        '<a href="jav&#x09;ascript:alert(1)">bad</a><a href=" JavaScript:x">bad2</a>'
        '<img src="https://tracker.example/p.gif" alt="logo" onerror="x()">'
        "<iframe src=//evil></iframe><form><input name=q></form>"
        "<table border=1><tr><td colspan=2>cell</td></tr></table><ul><li>one<li>two</ul>"
        "<p>unclosed <i>italic"
    )

    clean = sanitise(dirty)

    for gone in ("script", "alert", "style", "onclick", "onerror", "tracker", "iframe",
                 "evil", "<input", "<form", "note", "javascript", "JavaScript"):  # fmt: skip
        assert gone not in clean, gone
    assert "<p>Hi <b>Ann</b></p>" in clean
    assert (
        '<a href="https://firm.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"' in clean
    )
    assert ">bad</a>" in clean and "[logo]" in clean
    assert '<td colspan="2">cell</td>' in clean
    assert clean.endswith("<p>unclosed <i>italic</i></p></div>")


def test_html_to_text() -> None:
    assert to_text("<p>a</p><p>b<br>c</p><style>x</style>") == "a\n\nb\nc"


# ------------------------------------------------------------- the IMAP adapter


class FakeImap:
    """Just enough of imaplib under a fake IMAPClient for the adapter's bookkeeping."""

    tagpre = b"TAG"

    def send(self, data: bytes) -> None:
        pass


class FakeClient:
    def __init__(self, folders: list[tuple[tuple[bytes, ...], bytes, str]]) -> None:
        self._imap = FakeImap()
        self.folders = folders
        self.calls: list[tuple[str, Any]] = []

    def list_folders(self) -> list[tuple[tuple[bytes, ...], bytes, str]]:
        return self.folders

    def login(self, user: str, _secret: str) -> None:
        self.calls.append(("login", user))

    def oauth2_login(self, user: str, _token: str) -> None:
        self.calls.append(("oauth2_login", user))

    def socket(self) -> Any:
        raise OSError("no socket")

    def logout(self) -> None:
        pass


@pytest.mark.parametrize(
    ("folders", "sent"),
    [
        ([((b"\\HasNoChildren",), b"/", "INBOX"), ((b"\\Sent",), b"/", "Gesendet")], "Gesendet"),
        ([((), b".", "INBOX"), ((), b".", "INBOX.Sent Items")], "INBOX.Sent Items"),
        ([((), b"/", "INBOX"), ((), b"/", "[Gmail]/Sent Mail")], "[Gmail]/Sent Mail"),
        ([((), b"/", "INBOX"), ((), b"/", "Archive")], None),
    ],
)
def test_the_sent_folder_is_found_by_its_flag_then_by_its_usual_names(folders, sent) -> None:
    session = imap.ImapSession(FakeClient(folders), imap.Server("localhost", 1, "none", "u"))

    found = session.folders()

    assert found.get("sent") == sent and found["inbox"] == "INBOX"


def test_xoauth2_logs_in_with_the_token() -> None:
    client = FakeClient([])
    server = imap.Server("localhost", 1, "ssl", "office@firm.example", auth_method="xoauth2")

    imap.connect(
        server, imap.Credential("ya29.token"), allow_loopback=True, client_factory=lambda *_: client
    )

    assert client.calls == [("oauth2_login", "office@firm.example")]
    assert "ya29" not in repr(imap.Credential("ya29.token"))


def test_plain_imap_is_only_for_loopback_hosts() -> None:
    assert imap.is_loopback("127.0.0.1") and imap.is_loopback("localhost")
    assert imap.is_loopback("[::1]") and imap.is_loopback("LOCALHOST.")
    assert not imap.is_loopback("imap.example.com") and not imap.is_loopback("10.0.0.1")


def _message(n: int, size: int = 0) -> bytes:
    message = EmailMessage()
    message["From"] = f"sender{n}@client.example"
    message["To"] = "office@firm.example"
    message["Subject"] = f"Message {n}"
    message["Message-ID"] = f"<m{n}@client.example>"
    message.set_content("x" * size or f"body {n}")
    return message.as_bytes()


def test_envelopes_come_in_bounded_batches_and_jump_over_expunged_uids(imap_user: ImapUser) -> None:
    uids = imap_user.append_many([_message(n) for n in range(30)])
    with imap_user.client() as client:  # a long run of expunged mail in the middle
        client.select_folder("INBOX")
        client.delete_messages(uids[3:27])
        client.expunge()
    server = imap.Server("127.0.0.1", imap_user.server.port, "none", imap_user.name)

    with imap.connect(server, imap.Credential(imap_user.password), allow_loopback=True) as session:
        status = session.select("INBOX")
        batches = list(session.envelopes(0, status.uidnext, batch=2))

    assert [[e.uid for e in b] for b in batches] == [[1, 2], [3], [28, 29], [30]]
    assert (
        batches[0][0].subject == "Message 0" and batches[0][0].message_id == "<m0@client.example>"
    )
    assert session.commands["UID SEARCH"] == 1  # one ESEARCH over the gap, not 12 fetches
    assert session.commands["UID FETCH"] == 5


def test_a_large_body_streams_in_chunks_and_never_sits_in_memory_whole(
    imap_user: ImapUser,
) -> None:
    message = EmailMessage()
    message["Subject"] = "big"
    message.set_content("see the scan")
    scan = bytes(range(256)) * (6 * 1024 * 4)  # 6 MB
    message.add_attachment(scan, maintype="application", subtype="pdf", filename="scan.pdf")
    raw = message.as_bytes()
    uid = imap_user.append(raw)
    del message, raw
    server = imap.Server("127.0.0.1", imap_user.server.port, "none", imap_user.name)
    chunk = 256 * 1024

    with imap.connect(server, imap.Credential(imap_user.password), allow_loopback=True) as session:
        status = session.select("INBOX")
        (envelope,) = session.envelopes_of([uid])
        tracemalloc.start()
        ((_, body),) = list(session.bodies([(uid, envelope.size)], chunk_bytes=chunk))
        assert body is not None
        parsed = mime.parse(body)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    assert status.exists == 1 and envelope.size > 8_000_000
    assert session.commands["UID FETCH"] == 1 + -(-envelope.size // chunk)
    (attachment,) = parsed.attachments
    assert attachment.file is not None and attachment.file.read() == scan
    parsed.close()
    assert peak < 4 * 1024 * 1024, (
        f"peak {peak / 1e6:.1f} MB for an {envelope.size / 1e6:.0f} MB message"
    )
