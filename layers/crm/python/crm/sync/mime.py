"""Reading a raw message as a stream: headers, text, HTML and attachments.

The standard library's parser holds a whole message in memory, several times over for a
large attachment. Here the message is read line by line from a (spooled) file: headers
go to the standard library (any charset, RFC 2047 and 2231), bodies are decoded as they
stream (base64, quoted-printable) into bounded sinks, and attachments into spooled
temporary files that are hashed on the way. Memory stays a few lines and a few
megabytes of text, whatever the size of the message.

Mail in the wild is often broken: a multipart without its closing boundary, a boundary
that is never declared, bad base64, an unknown or wrong charset, 8-bit headers. Each is
read as well as it can be and noted in `problems`; nothing here raises on bad input.
"""

from __future__ import annotations

import binascii
import codecs
import contextlib
import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import errors as email_errors
from email.header import decode_header, make_header
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32
from email.utils import collapse_rfc2231_value, getaddresses, parsedate_to_datetime
from tempfile import SpooledTemporaryFile
from typing import IO

from crm.core.mail import Person
from crm.sync.html import to_text

MAX_LINE = 64 * 1024  # longer lines are read in pieces
MAX_HEADER_BYTES = 512 * 1024
TEXT_LIMIT = 2 * 1024 * 1024  # bytes of text and of HTML kept per message
SPOOL_BYTES = 1024 * 1024  # an attachment past this goes to a temporary file on disk
MAX_DEPTH = 30
MAX_PARTS = 1000
NAME_LIMIT = 150

_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_B64_ALPHABET = re.compile(rb"[^A-Za-z0-9+/=]")
_HEADER_ERRORS = (
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    LookupError,
    email_errors.MessageError,
)


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int
    sha256: str
    file: IO[bytes] | None  # the decoded bytes, when kept
    too_large: bool = False


@dataclass
class Parsed:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    from_: list[Person] = field(default_factory=list)
    to: list[Person] = field(default_factory=list)
    cc: list[Person] = field(default_factory=list)
    reply_to: list[Person] = field(default_factory=list)
    text: str = ""
    html: str = ""  # as sent: sanitise before showing
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def close(self) -> None:
        for attachment in self.attachments:
            if attachment.file is not None:
                attachment.file.close()


# ------------------------------------------------------------------- reading


class _Lines:
    """Lines of a binary stream, none longer than MAX_LINE; knows whether the current
    piece starts a line (only those can be boundaries)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.at_start = True  # the next piece starts a line
        self.starts_line = True  # the piece just read started a line
        self._pushed: bytes | None = None

    def read(self) -> bytes:
        if self._pushed is not None:
            line, self._pushed = self._pushed, None
            self.starts_line = True
            return line
        line = self.raw.readline(MAX_LINE)
        self.starts_line = self.at_start
        self.at_start = line.endswith(b"\n")
        return line

    def push(self, line: bytes) -> None:
        self._pushed = line


class _TextSink:
    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit
        self.truncated = False

    def write(self, data: bytes) -> None:
        room = self.limit - self.size
        if room <= 0:
            self.truncated = self.truncated or bool(data)
            return
        self.parts.append(data[:room])
        self.size += min(len(data), room)
        self.truncated = self.truncated or len(data) > room

    def value(self) -> bytes:
        return b"".join(self.parts)


class _FileSink:
    """Hashes and counts everything; keeps it in a spooled file up to `limit` bytes."""

    def __init__(self, keep: bool, limit: int) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.limit = limit
        self.file: IO[bytes] | None = (
            SpooledTemporaryFile(max_size=SPOOL_BYTES) if keep else None  # noqa: SIM115
        )
        self.too_large = False

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self.digest.update(data)
        if self.file is not None and self.size > self.limit:
            self.file.close()
            self.file = None
            self.too_large = True
        if self.file is not None:
            self.file.write(data)


class _Decoder:
    """Content-Transfer-Encoding, decoded line by line into a sink."""

    def __init__(self, encoding: str, sink: _TextSink | _FileSink, problems: list[str]) -> None:
        self.encoding = encoding if encoding in ("base64", "quoted-printable") else "identity"
        self.sink = sink
        self.problems = problems
        self._pending = b""
        self._bad = False

    def feed(self, line: bytes) -> None:
        if self.encoding == "base64":
            self._pending += _B64_ALPHABET.sub(b"", line)
            usable = len(self._pending) - len(self._pending) % 4
            if usable:
                self._base64(self._pending[:usable])
                self._pending = self._pending[usable:]
        elif self.encoding == "quoted-printable":
            self.sink.write(binascii.a2b_qp(line))
        else:
            self.sink.write(line)

    def _base64(self, data: bytes) -> None:
        try:
            self.sink.write(binascii.a2b_base64(data))
        except binascii.Error:
            self._bad = True
            for start in range(0, len(data), 4):  # keep every quad that still decodes
                with contextlib.suppress(binascii.Error):
                    self.sink.write(binascii.a2b_base64(data[start : start + 4]))

    def finish(self) -> None:
        if self.encoding == "base64" and self._pending.strip(b"="):
            tail = self._pending.rstrip(b"=")
            self._base64(tail + b"=" * (-len(tail) % 4))
        if self._bad:
            self.problems.append("A part had base64 errors; what could be decoded is shown.")


# ------------------------------------------------------------------ headers


def _header_block(lines: _Lines) -> bytes:
    """The header lines of a message or part, up to and without the blank line. A line
    that cannot be a header ends them (a missing blank line)."""
    block: list[bytes] = []
    size = 0
    while True:
        line = lines.read()
        if not line or line in (b"\r\n", b"\n"):
            break
        is_continuation = line[:1] in (b" ", b"\t") and bool(block)
        if not is_continuation and not _HEADER_LINE.match(line):
            lines.push(line)
            break
        size += len(line)
        if size <= MAX_HEADER_BYTES:
            block.append(line)
    return b"".join(block)


def _parse_headers(block: bytes) -> Message:
    """Headers as a Message (the compat32 policy: values as sent, parsed only on demand
    and cheaply); 8-bit headers read as UTF-8, else as Windows-1252."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = block.decode("cp1252", "replace")
    return HeaderParser(policy=compat32).parsestr(text + "\n")


def _raw_header(headers: Message, name: str) -> str:
    value = headers.get(name)
    return "" if value is None else str(value)


def _decoded(value: str) -> str:
    """RFC 2047 encoded words decoded, whitespace collapsed; kept as is when broken."""
    if "=?" in value:
        with contextlib.suppress(*_HEADER_ERRORS):
            value = str(make_header(decode_header(value)))
    return " ".join(value.split())


def _header(headers: Message, name: str) -> str:
    return _decoded(_raw_header(headers, name))


def _people(headers: Message, name: str) -> list[Person]:
    raw = " ".join(str(v) for v in headers.get_all(name, []))
    if not raw.strip():
        return []
    try:
        pairs = getaddresses([raw])
    except _HEADER_ERRORS:
        return []
    return [Person(name=_decoded(n), address=a) for n, a in pairs if "@" in a]


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value)


def _date(headers: Message) -> datetime | None:
    raw = _raw_header(headers, "Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _content_type(headers: Message) -> str:
    try:
        return headers.get_content_type()
    except _HEADER_ERRORS:
        return "text/plain"


def _param(headers: Message, name: str, header: str = "content-type") -> str | None:
    try:
        value = headers.get_param(name, header=header)
    except _HEADER_ERRORS:
        return None
    if value is None:
        return None
    try:
        return _decoded(str(collapse_rfc2231_value(value)))
    except _HEADER_ERRORS:
        return None


def _filename(headers: Message) -> str | None:
    return _param(headers, "filename", "content-disposition") or _param(headers, "name")


def _disposition(headers: Message) -> str | None:
    try:
        return headers.get_content_disposition()
    except _HEADER_ERRORS:
        return None


def decode_text(data: bytes, charset: str | None, problems: list[str]) -> str:
    """Text in its declared charset; an unknown or wrong one falls back to UTF-8, then
    Windows-1252, then Latin-1 (which never fails)."""
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            problems.append(f"Unknown charset {charset!r}; the text was guessed.")
        else:
            try:
                return data.decode(charset)
            except (UnicodeDecodeError, ValueError):
                problems.append(f"The text was not valid {charset}; it was guessed.")
    for guess in ("utf-8", "cp1252"):
        try:
            return data.decode(guess)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# -------------------------------------------------------------------- names


def safe_name(name: str | None, content_type: str) -> str:
    """A file name that is safe anywhere: no path, no control or reserved characters,
    not hidden, not too long, with an extension when one can be guessed."""
    raw = unicodedata.normalize("NFC", name or "")
    raw = re.split(r"[\\/]", raw)[-1]
    cleaned = "".join(
        "_" if ch in '<>:"|?*' or unicodedata.category(ch)[0] == "C" else ch for ch in raw
    )
    cleaned = " ".join(cleaned.split()).strip(" .")
    if not cleaned:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        cleaned = f"attachment{extension}"
    if len(cleaned) > NAME_LIMIT:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: NAME_LIMIT - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            cleaned = cleaned[:NAME_LIMIT]
    return cleaned


# ------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, raw: IO[bytes], keep_attachments: bool, attachment_limit: int) -> None:
        self.lines = _Lines(raw)
        self.keep = keep_attachments
        self.limit = attachment_limit
        self.result = Parsed()
        self.text = _TextSink(TEXT_LIMIT)
        self.html = _TextSink(TEXT_LIMIT)
        self.text_charset: str | None = None
        self.html_charset: str | None = None
        self.parts = 0

    @property
    def problems(self) -> list[str]:
        return self.result.problems

    def run(self) -> Parsed:
        headers = _parse_headers(_header_block(self.lines))
        result = self.result
        result.subject = _header(headers, "Subject")
        result.message_id = next(iter(_ids(_raw_header(headers, "Message-ID"))), "")
        if not result.message_id:
            result.message_id = _raw_header(headers, "Message-ID").strip()
        result.in_reply_to = next(iter(_ids(_raw_header(headers, "In-Reply-To"))), "")
        result.references = _ids(_raw_header(headers, "References"))
        result.date = _date(headers)
        result.from_ = _people(headers, "From")
        result.to = _people(headers, "To")
        result.cc = _people(headers, "Cc")
        result.reply_to = _people(headers, "Reply-To")
        self._part(headers, [], 0, None)
        text = decode_text(self.text.value(), self.text_charset, self.problems)
        result.text = text.replace("\r\n", "\n")
        result.html = decode_text(self.html.value(), self.html_charset, self.problems)
        if self.text.truncated or self.html.truncated:
            self.problems.append("The text was too long and was cut.")
        if not result.text.strip() and result.html:
            result.text = to_text(result.html)
        result.problems = list(dict.fromkeys(self.problems))
        return result

    def _is_boundary(self, line: bytes, stack: list[bytes]) -> bool:
        if not self.lines.starts_line or not line.startswith(b"--"):
            return False
        core = line.rstrip(b" \t\r\n")
        return any(core in (b"--" + b, b"--" + b + b"--") for b in stack)

    def _skip(self, stack: list[bytes]) -> bytes | None:
        """Read until a boundary of `stack` (returned) or the end (None)."""
        while True:
            line = self.lines.read()
            if not line:
                return None
            if stack and self._is_boundary(line, stack):
                return line

    def _part(
        self, headers: Message, stack: list[bytes], depth: int, parent: str | None
    ) -> bytes | None:
        self.parts += 1
        content_type = _content_type(headers)
        if content_type.startswith("multipart/"):
            boundary = _param(headers, "boundary")
            if boundary and depth < MAX_DEPTH and self.parts < MAX_PARTS:
                return self._multipart(
                    content_type, boundary.encode("utf-8", "replace"), stack, depth
                )
            self.problems.append("A multipart part had no usable boundary; it is shown as text.")
            headers = _parse_headers(b"Content-Type: text/plain\r\n")
        return self._leaf(headers, stack, parent)

    def _multipart(
        self, content_type: str, boundary: bytes, outer: list[bytes], depth: int
    ) -> bytes | None:
        stack = [*outer, boundary]
        end = self._skip(stack)  # the preamble
        while True:
            if end is None:
                self.problems.append("The message ends before its last part was closed.")
                return None
            core = end.rstrip(b" \t\r\n")
            if core not in (b"--" + boundary, b"--" + boundary + b"--"):
                self.problems.append("A multipart part was not closed.")
                return end  # an enclosing part's boundary: the caller goes on from it
            if core == b"--" + boundary + b"--":
                return self._skip(outer)  # closed: the epilogue runs to the outer boundary
            part_headers = _parse_headers(_header_block(self.lines))
            end = self._part(part_headers, stack, depth + 1, content_type)

    def _leaf(self, headers: Message, stack: list[bytes], parent: str | None) -> bytes | None:
        content_type = _content_type(headers)
        disposition = _disposition(headers)
        name = _filename(headers)
        charset = _param(headers, "charset")
        encoding = _header(headers, "Content-Transfer-Encoding").lower().strip()
        sink: _TextSink | _FileSink | None
        attachment: tuple[str, str] | None = None
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not name:
            sink = self.text if content_type == "text/plain" else self.html
            if sink.size:
                sink.write(b"\n\n" if content_type == "text/plain" else b"<hr>")
            if content_type == "text/plain":
                self.text_charset = self.text_charset or charset
            else:
                self.html_charset = self.html_charset or charset
        elif (
            parent == "multipart/related"
            and disposition != "attachment"
            and headers.get("Content-ID") is not None
        ):
            sink = None  # an image the HTML shows inline (a logo): not an attachment
        else:
            if content_type == "message/rfc822" and not name:
                name = "message.eml"
            attachment = (safe_name(name, content_type), content_type)
            sink = _FileSink(self.keep, self.limit)
        decoder = _Decoder(encoding, sink, self.problems) if sink is not None else None
        pending: bytes | None = None
        while True:
            line = self.lines.read()
            if not line:
                end = None
                break
            if self._is_boundary(line, stack):
                end = line
                break
            if pending is not None and decoder is not None:
                decoder.feed(pending)
            pending = line
        if pending is not None and decoder is not None:
            decoder.feed(pending.rstrip(b"\r\n") if end is not None else pending)
        if decoder is not None:
            decoder.finish()
        if attachment is not None and isinstance(sink, _FileSink):
            if sink.file is not None:
                sink.file.seek(0)
            self.result.attachments.append(
                Attachment(
                    name=attachment[0],
                    content_type=attachment[1],
                    size=sink.size,
                    sha256=sink.digest.hexdigest(),
                    file=sink.file,
                    too_large=sink.too_large,
                )
            )
        return end


def parse(
    raw: IO[bytes],
    *,
    keep_attachments: bool = True,
    attachment_limit: int = 25 * 1024 * 1024,
    on_fault: Callable[[Exception], None] | None = None,
) -> Parsed:
    """Read a raw message (a seekable binary file). Never raises on what the message
    holds: a fault of this parser itself is reported to `on_fault` and the message is
    shown as plain text."""
    raw.seek(0)
    try:
        return _Parser(raw, keep_attachments, attachment_limit).run()
    except Exception as fault:  # a bug of ours must not stop the sync at this message
        if on_fault is not None:
            on_fault(fault)
        raw.seek(0)
        text = raw.read(TEXT_LIMIT).decode("utf-8", "replace")
        return Parsed(text=text, problems=["This message could not be read as MIME."])
