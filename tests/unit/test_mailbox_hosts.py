"""The mailbox is never a probe of the private network (issue 9, section 3).

Every refusal and every failure to connect answers one and the same 422, and a refused
host is refused before any socket is opened: these tests replace the resolver and the
socket's connect functions with stubs, so no packet leaves the process. Where a
connection is wanted, it goes to a stub that records the address and refuses.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from crm import runtime
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretStore
from crm.settings import get_settings
from crm.sync.engine import SyncEngine
from tests.dovecot import ImapUser
from tests.support import Answer
from tests.unit.conftest import Staff, table_items

PUBLIC_NAME = "imap.firm-mail.example"
PUBLIC_IP = "93.184.216.34"  # never reached: the connect function is a stub that refuses
UNSPECIFIED = "0.0.0.0"  # noqa: S104 - a host to refuse, never bound

REFUSED_HOSTS = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "127.0.0.1",  # loopback, without the local stack's allowance
    "localhost",
    "169.254.169.254",  # cloud metadata
    "::1",
    "[::1]",
    "fd00::1",  # unique-local
    "fe80::1",  # link-local
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    UNSPECIFIED,
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",  # multicast
    "255.255.255.255",
    "198.18.0.1",
    "intranet.firm.example",  # a name that resolves to a private address
    "split.firm.example",  # one public address and one private: refused all the same
    "no-such-host.example",  # a name that does not resolve
]
RESOLVES = {
    "intranet.firm.example": ["10.1.2.3"],
    "split.firm.example": [PUBLIC_IP, "192.168.0.10"],
    PUBLIC_NAME: [PUBLIC_IP],
}


def _addrinfo(addresses: list[str], port: int) -> list[tuple[Any, ...]]:
    return [
        (
            socket.AF_INET6 if ":" in a else socket.AF_INET,
            socket.SOCK_STREAM,
            socket.IPPROTO_TCP,
            "",
            (a, port, 0, 0) if ":" in a else (a, port),
        )
        for a in addresses
    ]


class Network:
    """The process's view of the network during a test: a stub resolver and connect
    functions that record what they are asked; none of them sends anything."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lookups: list[str] = []
        self.connects: list[Any] = []
        self.connect_error: BaseException = ConnectionRefusedError(111, "Connection refused")
        self.connected_to: socket.socket | None = None  # what a connect returns, if any
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", self.create_connection)
        monkeypatch.setattr(socket.socket, "connect", self.forbidden_connect)
        monkeypatch.setattr(socket.socket, "connect_ex", self.forbidden_connect)

    def getaddrinfo(self, host: str, port: Any, *_args: Any, **_kwargs: Any) -> list[Any]:
        self.lookups.append(host)
        if host not in RESOLVES:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return _addrinfo(RESOLVES[host], int(port))

    def create_connection(self, address: Any, *_args: Any, **_kwargs: Any) -> Any:
        self.connects.append(address)
        if self.connected_to is not None:
            return self.connected_to
        raise self.connect_error

    def forbidden_connect(self, _sock: Any, address: Any) -> Any:
        self.connects.append(address)
        raise AssertionError(f"a socket connected to {address!r}")


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    return Network(monkeypatch)


def put_mailbox(owner: Staff, host: str, security: str = "ssl", port: int = 993) -> Answer:
    return owner.call(
        "sync_api",
        "PutMailbox",
        body={
            "imap_host": host,
            "imap_port": port,
            "username": "office@firm.example",
            "password": "mailbox-password",
            "security": security,
        },
    )


# ------------------------------------------------------------- the rule itself


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.169.254", UNSPECIFIED,
     "100.64.0.1", "100.127.255.254", "192.0.2.1", "198.51.100.1", "203.0.113.9", "240.0.0.1",
     "224.0.0.251", "::", "::1", "fd00::1", "fc00::1", "fe80::1", "fec0::1", "ff02::1",
     "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::a00:1", "64:ff9b::a9fe:a9fe",
     "64:ff9b:1::1", "2002:c0a8:101::1", "2001:db8::1", "2001::1", "100::1"],
)  # fmt: skip
def test_addresses_that_are_not_public_are_refused(address: str) -> None:
    assert imap.refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", [PUBLIC_IP, "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert imap.refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True),
     ("10.0.0.1", False), ("192.168.1.1", False), ("fd00::1", False), ("169.254.169.254", False),
     (UNSPECIFIED, False)],
)  # fmt: skip
def test_the_local_allowance_opens_loopback_and_nothing_else(address: str, allowed: bool) -> None:
    found = imap.refusal(ipaddress.ip_address(address), allow_loopback=True)

    assert (found is None) is allowed


# ------------------------------------------------------- PUT /v1/firm/mailbox


def test_every_refused_host_gets_the_same_422_before_any_socket_is_opened(
    owner: Staff, network: Network
) -> None:
    before = table_items()

    answers = {host: put_mailbox(owner, host) for host in REFUSED_HOSTS}

    assert network.connects == []
    assert {a.status for a in answers.values()} == {422}
    bodies = {repr(a.body) for a in answers.values()}
    assert len(bodies) == 1, bodies  # code, message and field: identical for every host
    error = next(iter(answers.values())).body["error"]
    assert error["code"] == "mailbox_unreachable"
    assert error["message"] == imap.UNREACHABLE
    assert table_items() == before
    # literals and localhost are never sent to the resolver; a name is asked once
    assert sorted(network.lookups) == sorted(
        ["intranet.firm.example", "split.firm.example", "no-such-host.example"]
    )


def test_plain_imap_to_loopback_is_refused_too_when_deployed(
    owner: Staff, network: Network
) -> None:
    answer = put_mailbox(owner, "127.0.0.1", security="none", port=143)

    assert answer.status == 422 and answer.body["error"]["message"] == imap.UNREACHABLE
    assert network.connects == []


@pytest.mark.parametrize(
    "failure",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        OSError(113, "No route to host"),
        ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
        ssl.SSLCertVerificationError(1, "certificate verify failed: self-signed certificate"),
    ],
    ids=["refused", "timeout", "no-route", "wrong-version", "certificate"],
)
def test_every_failure_to_connect_reads_the_same_as_a_refused_host(
    owner: Staff, network: Network, failure: BaseException
) -> None:
    network.connect_error = failure

    failed = put_mailbox(owner, PUBLIC_NAME)
    refused = put_mailbox(owner, "10.0.0.1")

    assert failed.status == refused.status == 422
    assert failed.body == refused.body
    assert network.connects == [(PUBLIC_IP, 993)]  # the stub refused; nothing was sent


def test_a_public_host_is_connected_by_the_address_checked_not_by_its_name(
    owner: Staff, network: Network
) -> None:
    answer = put_mailbox(owner, PUBLIC_NAME)

    assert answer.status == 422
    assert network.lookups == [PUBLIC_NAME]  # one lookup: no second one to rebind
    assert network.connects == [(PUBLIC_IP, 993)]


def test_tls_names_the_host_while_the_socket_goes_to_the_checked_address(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    left, right = socket.socketpair()  # a local pair: no network at all
    network.connected_to = left
    names: list[str | None] = []

    def wrap_socket(context: Any, sock: Any, server_hostname: str | None = None, **_: Any) -> Any:
        names.append(server_hostname)
        raise ssl.SSLCertVerificationError(1, "certificate verify failed")

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", wrap_socket)
    server = imap.Server(PUBLIC_NAME, 993, "ssl", "office@firm.example")

    with pytest.raises(imap.Unreachable) as refused:
        imap.connect(server, imap.Credential("x"))

    left.close()
    right.close()
    assert str(refused.value) == imap.UNREACHABLE
    assert network.connects == [(PUBLIC_IP, 993)]
    assert names == [PUBLIC_NAME]


def test_starttls_names_the_host_too(network: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = socket.socketpair()
    network.connected_to = left
    names: list[str | None] = []

    def wrap_socket(context: Any, sock: Any, server_hostname: str | None = None, **_: Any) -> Any:
        names.append(server_hostname)
        raise ssl.SSLCertVerificationError(1, "certificate verify failed")

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", wrap_socket)
    speaker = threading.Thread(target=_imap_server_offering_starttls, args=(right,), daemon=True)
    speaker.start()
    server = imap.Server(PUBLIC_NAME, 143, "starttls", "office@firm.example")

    with pytest.raises(imap.Unreachable):
        imap.connect(server, imap.Credential("x"), timeout=5)

    speaker.join(5)
    right.close()
    assert network.connects == [(PUBLIC_IP, 143)]
    assert names == [PUBLIC_NAME]


def _imap_server_offering_starttls(end: socket.socket) -> None:
    """Just enough IMAP on one end of a socket pair for a client to ask for STARTTLS."""
    answers: dict[str, Callable[[str], bytes]] = {
        "CAPABILITY": lambda tag: f"* CAPABILITY IMAP4rev1 STARTTLS\r\n{tag} OK done\r\n".encode(),
        "STARTTLS": lambda tag: f"{tag} OK begin TLS\r\n".encode(),
    }
    end.sendall(b"* OK ready\r\n")
    reader = end.makefile("rb")
    for line in reader:
        tag, _, rest = line.decode().strip().partition(" ")
        command = rest.split(" ", 1)[0].upper()
        if command not in answers:
            return
        end.sendall(answers[command](tag))
        if command == "STARTTLS":
            return


# ------------------------------------------------------------ the scheduled sync


@pytest.fixture
def connected(owner: Staff, imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> Staff:
    """A firm whose mailbox was saved on the local Dovecot (loopback, allowed here)."""
    monkeypatch.setenv("MAILBOX_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    runtime.start()
    answer = owner.call(
        "sync_api",
        "PutMailbox",
        body={
            "imap_host": "127.0.0.1",
            "imap_port": imap_user.server.port,
            "username": imap_user.name,
            "password": imap_user.password,
            "security": "none",
        },
    )
    assert answer.status == 200, answer.body
    return owner


def engine(*, allow_loopback: bool) -> SyncEngine:
    settings = get_settings()
    return SyncEngine(
        secrets=SecretStore(),
        files=FileStore(settings.documents_bucket),
        mailer=Mailer(settings.mail_from_address),
        allow_loopback=allow_loopback,
    )


def mailbox_state(owner: Staff) -> dict[str, Any]:
    answer = owner.call("sync_api", "GetMailbox")
    assert answer.status == 200, answer.body
    return dict(answer.body)


def test_a_stored_mailbox_whose_name_now_resolves_to_a_private_address_is_refused(
    connected: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("dynamodb").update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{connected.firm_id}"}, "sk": {"S": "MAILBOX"}},
        UpdateExpression="SET imap_host = :h",
        ExpressionAttributeValues={":h": {"S": "intranet.firm.example"}},
    )
    network = Network(monkeypatch)

    report = engine(allow_loopback=True).sync_firm(connected.firm_id)

    assert report.outcome == "error" and report.error_code == "unreachable"
    assert network.lookups == ["intranet.firm.example"] and network.connects == []
    state = mailbox_state(connected)
    assert state["last_error_code"] == "unreachable" and state["last_error"] == imap.UNREACHABLE


def test_the_sync_refuses_loopback_without_the_local_allowance(
    connected: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = Network(monkeypatch)

    report = engine(allow_loopback=False).sync_firm(connected.firm_id)

    assert report.outcome == "error" and report.error_code == "unreachable"
    assert network.connects == []
    assert mailbox_state(connected)["last_error"] == imap.UNREACHABLE


def test_the_local_allowance_still_syncs_the_local_dovecot(connected: Staff) -> None:
    report = engine(allow_loopback=True).sync_firm(connected.firm_id)

    assert report.outcome == "ok", report


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "office@firm.example\r\nA1 DELETE INBOX"),
        ("password", "secret\r\nA1 DELETE INBOX"),
        ("password", "secret\x00"),
    ],
)
def test_a_line_break_in_the_mailbox_login_is_a_422_before_any_socket(
    owner: Staff, network: Network, field: str, value: str
) -> None:
    body = {
        "imap_host": "203.0.113.10",
        "imap_port": 993,
        "username": "office@firm.example",
        "password": "mailbox-password",
        "security": "ssl",
        field: value,
    }
    before = table_items()

    answer = owner.call("sync_api", "PutMailbox", body=body)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == [field]
    assert value not in repr(answer.body)  # a password is never echoed
    assert network.connects == []
    assert table_items() == before
