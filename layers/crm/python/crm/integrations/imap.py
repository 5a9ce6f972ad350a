"""The firm's mailbox over IMAP (imapclient), in the terms the email sync needs.

- `connect()` resolves the host once and refuses it when any of its addresses is not a
  public one (private, loopback, link-local, unique-local, CGNAT, reserved, IPv4 inside
  IPv6...), then connects to the very address it checked (no second lookup: no DNS
  rebinding), naming the host for TLS (SNI, certificate). TLS (SSL or STARTTLS,
  certificates verified) or plain for local servers, then a password login or XOAUTH2
  (`auth_method`). Every refusal and every failure to connect is the same `Unreachable`,
  whose message tells nothing about the network; the real reason is logged here.
  A login refused is `LoginRefused`, trouble after connecting `ConnectionLost`.
- Folders are opened read-only (EXAMINE) and bodies fetched with BODY.PEEK, so syncing
  never marks mail as read.
- Envelopes come in bounded batches of UIDs; bodies in groups of bounded size, a message
  larger than one chunk in partial fetches (`BODY.PEEK[]<offset.length>`) written to a
  spooled temporary file: a 30 MB message never sits in memory whole.
- Every command sent is counted on the wire (`session.commands`), and every body fetched
  (`session.bodies_fetched`), so tests and the bench can hold the sync to its cost.

The client is injectable (`client_factory`), like the AWS adapters' boto3 clients.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import re
import socket
import ssl
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.header import decode_header, make_header
from io import BytesIO
from tempfile import SpooledTemporaryFile
from typing import IO, Any, Literal

from imapclient import IMAPClient  # type: ignore[import-untyped]
from imapclient.exceptions import IMAPClientError, LoginError  # type: ignore[import-untyped]

from crm.observability import logger

Security = Literal["ssl", "starttls", "none"]
AuthMethod = Literal["password", "xoauth2"]

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
ENVELOPE_BATCH = 500  # UIDs per envelope fetch
BODY_GROUP_BYTES = 4 * 1024 * 1024  # small bodies fetched together, up to this much
BODY_CHUNK_BYTES = 1024 * 1024  # larger bodies fetched in partial chunks of this size
SENT_FLAG = b"\\Sent"
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail")


# One message for every refusal and every failure to connect: what a caller reads must not
# tell a closed port from a filtered one, a private address from a timeout, or TLS trouble
# from either (a mailbox form must not become a scanner of networks).
UNREACHABLE = (
    "The mail server could not be reached. Check the server name, the port and the "
    "security setting."
)


SEARCH_ADDRESSES = 20  # addresses per SEARCH: a command line well under servers' limits


class MailboxError(Exception):
    """The mailbox could not be used; `code` names why, the message says it to a person."""

    code = "imap_error"


class Unreachable(MailboxError):
    code = "unreachable"


class NotAllowed(Unreachable):
    """The host resolves to an address the product must never connect to. Told apart
    only in our logs: to the caller it is `Unreachable`, with the same code and message."""


class LoginRefused(MailboxError):
    code = "auth_failed"


class ConnectionLost(MailboxError):
    code = "connection_lost"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: Security
    username: str
    auth_method: AuthMethod = "password"


@dataclass(frozen=True)
class Credential:
    """A password, or an OAuth2 access token for XOAUTH2. Never printed."""

    secret: str = field(repr=False)


@dataclass(frozen=True)
class FolderStatus:
    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(frozen=True)
class Envelope:
    """What the sync needs to decide about a message before fetching its body."""

    uid: int
    size: int
    message_id: str
    in_reply_to: str
    raw_subject: bytes  # decoded on demand: most envelopes are only matched
    date: datetime | None
    from_: tuple[str, ...]
    to: tuple[str, ...]
    cc: tuple[str, ...]

    @property
    def addresses(self) -> tuple[str, ...]:
        return self.from_ + self.to + self.cc

    @property
    def subject(self) -> str:
        return _text(self.raw_subject)


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (server, the address checked, connect timeout) -> a connected IMAPClient, before login
ClientFactory = Callable[[Server, str, float], Any]

# Never connected to, whatever `is_global` says (it calls some of these global, and CGNAT
# neither private nor global): these ranges reach the provider's or our own network.
_REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT (shared address space)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local: cloud metadata lives here
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/96",  # unspecified, loopback, IPv4-compatible (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo among them)
        "2001:db8::/32",
        "3fff::/20",  # documentation
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses: the only hosts plain IMAP may use."""
    name = _name(host)
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refusal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the product must not connect to this address, or None when it may: only
    public unicast addresses, and loopback when `allow_loopback` (the local stack's own
    IMAP server). An IPv4 address inside an IPv6 one (mapped, 6to4, NAT64) is judged as
    the IPv4 address it reaches."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return refusal(embedded, allow_loopback=allow_loopback)
    if address.is_loopback:
        return None if allow_loopback else "loopback"
    if any(address in network for network in _REFUSED_NETWORKS):
        return "reserved range"
    if not address.is_global or address.is_multicast:
        return "not a public address"
    return None


def check_host(host: str, port: int, *, allow_loopback: bool = False) -> list[str]:
    """Resolve the host once; every address it has must be one the product may reach
    (`refusal`), else `NotAllowed`. A name that does not resolve is `Unreachable`. The
    addresses returned are the ones to connect to: nothing is looked up again."""
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError, ValueError) as error:
        logger.warning(
            "mailbox host did not resolve",
            extra={"imap_host": host, "imap_port": port, "reason": _reason(error)},
        )
        raise Unreachable(UNREACHABLE) from error
    refused = {str(a): why for a in addresses if (why := refusal(a, allow_loopback=allow_loopback))}
    if refused or not addresses:
        logger.warning(
            "mailbox host refused before connecting",
            extra={"imap_host": host, "imap_port": port, "refused": refused},
        )
        raise NotAllowed(UNREACHABLE)
    return [str(a) for a in addresses]


def _name(host: str) -> str:
    """The host as typed, without brackets around an IPv6 literal or a final dot."""
    return host.strip().strip("[]").rstrip(".").lower()


def _resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses: a literal is itself and `localhost` is loopback (RFC 6761)
    without asking DNS; a name is asked once."""
    name = _name(host)
    try:
        return [ipaddress.ip_address(name)]
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return [ipaddress.IPv4Address("127.0.0.1")]
    found = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses = (ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]) for *_, sockaddr in found)
    return list(dict.fromkeys(addresses))


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _reason(error: BaseException) -> str:
    """What failed, for our logs (never a credential: none is in play before login)."""
    return f"{type(error).__name__}: {error}"


class _PinnedIMAP4(imaplib.IMAP4):
    """imaplib's client connected to one given address, while `host` stays the name the
    mailbox was given: TLS sends it (SNI) and checks the certificate against it, here and
    on STARTTLS."""

    def __init__(
        self, host: str, address: str, port: int, timeout: float | None, tls: ssl.SSLContext | None
    ) -> None:
        self._address = address
        self._connect_timeout = timeout
        self._tls = tls
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock = socket.create_connection(
            (self._address, self.port), timeout if timeout is not None else self._connect_timeout
        )
        if self._tls is None:
            return sock
        try:
            return self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


class _PinnedClient(IMAPClient):
    """IMAPClient over `_PinnedIMAP4`: connects to the address checked, never to a fresh
    lookup of the name."""

    def __init__(self, host: str, address: str, **options: Any) -> None:
        self._address = address
        super().__init__(host, **options)

    def _create_IMAP4(self) -> imaplib.IMAP4:  # IMAPClient names it so
        timeout = getattr(self._timeout, "connect", None)
        tls = self.ssl_context if self.ssl else None
        return _PinnedIMAP4(self.host, self._address, self.port, timeout, tls)


def _client(server: Server, address: str, timeout: float) -> Any:
    """A connected IMAPClient (TLS verified against the host's name), before login."""
    context = ssl.create_default_context()
    client = _PinnedClient(
        _name(server.host),
        address,
        port=server.port,
        ssl=server.security == "ssl",
        ssl_context=context,
        timeout=timeout,
    )
    if server.security == "starttls":
        try:
            client.starttls(context)
        except BaseException:
            with contextlib.suppress(OSError, IMAPClientError, imaplib.IMAP4.error):
                client.shutdown()
            raise
    return client


def _open(server: Server, addresses: Sequence[str], factory: ClientFactory, timeout: float) -> Any:
    """The first of the checked addresses that answers, within `timeout` in all; every
    failure is the same `Unreachable` to the caller and its real reason is logged."""
    deadline = time.monotonic() + timeout
    failure: BaseException | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            return factory(server, address, min(timeout, remaining))
        except (OSError, IMAPClientError, imaplib.IMAP4.error) as error:  # TLS, timeouts too
            failure = error
            logger.warning(
                "mailbox connection failed",
                extra={
                    "imap_host": server.host,
                    "imap_port": server.port,
                    "address": address,
                    "security": server.security,
                    "reason": _reason(error),
                },
            )
    raise Unreachable(UNREACHABLE) from failure


def connect(
    server: Server,
    credential: Credential,
    *,
    allow_loopback: bool = False,
    client_factory: ClientFactory | None = None,
    timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> ImapSession:
    """An open, logged-in session; close it with `close()` (or use `with`). The host is
    checked (`check_host`) before any socket is opened, on every connection."""
    addresses = check_host(server.host, server.port, allow_loopback=allow_loopback)
    client = _open(server, addresses, client_factory or _client, timeout)
    where = f"{server.host}:{server.port}"
    session = ImapSession(client, server)
    try:
        with contextlib.suppress(OSError):
            client.socket().settimeout(read_timeout)
        if server.auth_method == "xoauth2":
            client.oauth2_login(server.username, credential.secret)
        else:
            client.login(server.username, credential.secret)
    except LoginError as error:
        session.close()
        raise LoginRefused("The mail server refused this username and password.") from error
    except UnicodeEncodeError as error:
        session.close()
        raise LoginRefused("The mail server cannot take this username or password.") from error
    except (OSError, imaplib.IMAP4.abort) as error:
        session.close()
        raise ConnectionLost(f"The connection to {where} was lost during login.") from error
    return session


class ImapSession:
    def __init__(self, client: Any, server: Server) -> None:
        self._client = client
        self._client.normalise_times = False  # dates with their zone, not local and naive
        self.server = server
        self.commands: Counter[str] = Counter()
        self.bodies_fetched = 0
        self.body_bytes = 0
        self._count_commands()

    # ------------------------------------------------------------- plumbing

    def _count_commands(self) -> None:
        """Count every tagged command as it goes on the wire (imaplib's `send`)."""
        imap = self._client._imap
        prefix = bytes(imap.tagpre)
        send = imap.send
        counter = self.commands

        def counting_send(data: bytes) -> None:
            if data.startswith(prefix):
                words = data.split(b" ", 3)
                name = words[1].upper() if len(words) > 1 else b"?"
                if name == b"UID" and len(words) > 2:
                    name = b"UID " + words[2].upper()
                counter[name.rstrip(b"\r\n").decode("ascii", "replace")] += 1
            send(data)

        imap.send = counting_send

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Network trouble after login is a lost connection; a NO or BAD is an error."""
        try:
            yield
        except (OSError, imaplib.IMAP4.abort) as error:
            raise ConnectionLost(
                f"The connection to {self.server.host} was lost: {error}."
            ) from error
        except (IMAPClientError, imaplib.IMAP4.error) as error:
            raise MailboxError(f"The mail server answered with an error: {error}.") from error

    @property
    def command_count(self) -> int:
        return sum(self.commands.values())

    def close(self) -> None:
        try:
            self._client.logout()
        except (OSError, IMAPClientError, imaplib.IMAP4.error):
            with contextlib.suppress(OSError, IMAPClientError, imaplib.IMAP4.error):
                self._client.shutdown()

    def __enter__(self) -> ImapSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -------------------------------------------------------------- folders

    def folders(self) -> dict[str, str]:
        """The inbox and the sent folder: by the SPECIAL-USE flag \\Sent, else by the
        usual names. One LIST."""
        with self._guard():
            listed = self._client.list_folders()
        names = {str(name): tuple(flags) for flags, _, name in listed}
        found: dict[str, str] = {"inbox": "INBOX"}
        sent = next((n for n, flags in names.items() if SENT_FLAG in flags), None)
        if sent is None:
            lowered = {n.lower(): n for n in names}
            for candidate in SENT_NAMES:
                for prefix in ("", "INBOX.", "INBOX/"):
                    if (prefix + candidate).lower() in lowered:
                        sent = lowered[(prefix + candidate).lower()]
                        break
                if sent:
                    break
        if sent is not None:
            found["sent"] = sent
        return found

    def select(self, folder: str) -> FolderStatus:
        """Open a folder read-only (EXAMINE)."""
        with self._guard():
            answer = self._client.select_folder(folder, readonly=True)
        uidnext = answer.get(b"UIDNEXT")
        return FolderStatus(
            name=folder,
            uidvalidity=int(answer[b"UIDVALIDITY"]),
            uidnext=int(uidnext) if uidnext is not None else None,
            exists=int(answer.get(b"EXISTS", 0)),
        )

    # ------------------------------------------------------------ envelopes

    def envelopes(
        self, after_uid: int, uidnext: int | None, batch: int = ENVELOPE_BATCH
    ) -> Iterator[list[Envelope]]:
        """The envelopes of every message with a UID above `after_uid`, in UID order, a
        bounded batch of UIDs at a time. A run of UIDs with no message (expunged mail)
        is jumped over with one ESEARCH instead of empty fetches."""
        start = after_uid + 1
        while uidnext is None or start < uidnext:
            end = start + batch - 1 if uidnext is None else min(start + batch, uidnext) - 1
            found = self.envelopes_of(range(start, end + 1))
            if found:
                yield found
                start = end + 1
                continue
            following = self._first_uid_from(end + 1)
            if following is None or (uidnext is not None and following >= uidnext):
                return
            start = following

    def envelopes_of(self, uids: Sequence[int]) -> list[Envelope]:
        if not uids:
            return []
        with self._guard():
            fetched = self._client.fetch(list(uids), ["UID", "RFC822.SIZE", "ENVELOPE"])
        return [_envelope(uid, data) for uid, data in sorted(fetched.items())]

    def _first_uid_from(self, start: int) -> int | None:
        with self._guard():
            if self._client.has_capability("ESEARCH"):
                data = self._client._raw_command_untagged(
                    b"SEARCH",
                    [b"RETURN", b"(MIN)", b"UID", f"{start}:*".encode()],
                    response_name="ESEARCH",
                )
                found = re.search(rb"\bMIN (\d+)", b" ".join(d for d in data if d))
                first = int(found.group(1)) if found else None
            else:
                first = min(self._client.search(["UID", f"{start}:*"]), default=None)
        return first if first is not None and first >= start else None

    def search_address(self, address: str) -> list[int]:
        """UIDs of the selected folder's messages with `address` in From, To or Cc (the
        server matches substrings: the caller checks the envelope)."""
        criteria = ["OR", "FROM", address, "OR", "TO", address, "CC", address]
        charset = None if address.isascii() else "UTF-8"
        with self._guard():
            found = self._client.search(criteria, charset=charset)
        return sorted(int(uid) for uid in found)

    def search_addresses(self, addresses: Sequence[str], up_to: int) -> list[int]:
        """UIDs up to `up_to` of the selected folder's messages with one of `addresses`
        in From, To or Cc: one SEARCH per SEARCH_ADDRESSES addresses (an OR of them)."""
        found: set[int] = set()
        if up_to < 1:
            return []
        for start in range(0, len(addresses), SEARCH_ADDRESSES):
            chunk = addresses[start : start + SEARCH_ADDRESSES]
            terms: list[str] = []
            for address in chunk:
                terms += ["OR", "FROM", address, "OR", "TO", address, "CC", address]
            # IMAP's OR is binary and prefix: n criteria take n-1 ORs in front of them
            criteria = ["OR"] * (len(chunk) - 1) + terms
            charset = None if all(a.isascii() for a in chunk) else "UTF-8"
            with self._guard():
                uids = self._client.search(["UID", f"1:{up_to}", *criteria], charset=charset)
            found.update(int(uid) for uid in uids if int(uid) <= up_to)
        return sorted(found)

    # --------------------------------------------------------------- bodies

    def bodies(
        self,
        wanted: Sequence[tuple[int, int]],
        *,
        group_bytes: int = BODY_GROUP_BYTES,
        chunk_bytes: int = BODY_CHUNK_BYTES,
    ) -> Iterator[tuple[int, IO[bytes] | None]]:
        """(uid, the whole raw message) for each (uid, size) wanted, in order; None for
        a message that was expunged meanwhile. Small messages come several per FETCH;
        one larger than `chunk_bytes` comes in partial fetches into a spooled file."""
        group: list[int] = []
        group_size = 0
        for uid, size in wanted:
            if size > chunk_bytes:
                yield from self._fetch_group(group)
                group, group_size = [], 0
                yield uid, self._stream(uid, chunk_bytes)
                continue
            if group and group_size + size > group_bytes:
                yield from self._fetch_group(group)
                group, group_size = [], 0
            group.append(uid)
            group_size += size
        yield from self._fetch_group(group)

    def _fetch_group(self, uids: list[int]) -> Iterator[tuple[int, IO[bytes] | None]]:
        if not uids:
            return
        with self._guard():
            fetched = self._client.fetch(uids, ["BODY.PEEK[]"])
        for uid in uids:
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if raw is None:
                yield uid, None
                continue
            self.bodies_fetched += 1
            self.body_bytes += len(raw)
            yield uid, BytesIO(raw)

    def _stream(self, uid: int, chunk_bytes: int) -> IO[bytes] | None:
        spool: IO[bytes] = SpooledTemporaryFile(max_size=chunk_bytes)  # noqa: SIM115
        offset = 0
        while True:
            with self._guard():
                fetched = self._client.fetch([uid], [f"BODY.PEEK[]<{offset}.{chunk_bytes}>"])
            data = fetched.get(uid)
            if data is None:
                spool.close()
                return None
            chunk = next((v for k, v in data.items() if k.startswith(b"BODY[]")), b"") or b""
            spool.write(chunk)
            offset += len(chunk)
            if len(chunk) < chunk_bytes:
                break
        self.bodies_fetched += 1
        self.body_bytes += offset
        spool.seek(0)
        return spool


# ------------------------------------------------------------------- parsing


def _text(value: Any) -> str:
    """A header value from an envelope (bytes, maybe RFC 2047 encoded words) as text."""
    if value is None:
        return ""
    raw = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    try:
        return str(make_header(decode_header(raw)))
    except (LookupError, ValueError, UnicodeError):
        return raw


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)).strip()


def _addresses(found: Any) -> tuple[str, ...]:
    """Plain addresses; group markers (no host) are left out."""
    out = []
    for item in found or ():
        if item.mailbox is None or item.host is None:
            continue
        mailbox = item.mailbox.decode("utf-8", "replace")
        host = item.host.decode("utf-8", "replace")
        out.append(f"{mailbox}@{host}")
    return tuple(out)


def _envelope(uid: int, data: dict[bytes, Any]) -> Envelope:
    envelope = data.get(b"ENVELOPE")
    if envelope is None:
        return Envelope(uid, int(data.get(b"RFC822.SIZE", 0)), "", "", b"", None, (), (), ())
    date = envelope.date if isinstance(envelope.date, datetime) else None
    return Envelope(
        uid=uid,
        size=int(data.get(b"RFC822.SIZE", 0)),
        message_id=_plain(envelope.message_id),
        in_reply_to=_plain(envelope.in_reply_to),
        raw_subject=envelope.subject or b"",
        date=date,
        from_=_addresses(envelope.from_),
        to=_addresses(envelope.to),
        cc=_addresses(envelope.cc),
    )


def verify(
    server: Server,
    credential: Credential,
    *,
    allow_loopback: bool = False,
    client_factory: ClientFactory | None = None,
) -> dict[str, str]:
    """Connect, log in, find the folders, log out: what saving a mailbox checks first."""
    with connect(
        server, credential, allow_loopback=allow_loopback, client_factory=client_factory
    ) as session:
        return session.folders()
