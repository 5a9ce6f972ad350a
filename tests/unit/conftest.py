"""Unit tests run every function in-process against moto's mock, with the resources of
template.yaml; nothing leaves the process."""

from __future__ import annotations

import base64
import copy
import email
import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from types import ModuleType
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from moto import mock_aws

import local.template
from crm import clock
from crm.core.events import Event
from crm.settings import get_settings
from crm.storage import outbox
from local.delivery import sqs_record
from tests.support import (
    Answer,
    Context,
    build_stack,
    http_event,
    invoke,
    load_event,
    load_function,
)

PASSWORD = "correct horse battery staple"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


@pytest.fixture(scope="session", autouse=True)
def _fast_moto() -> Iterator[None]:
    """Speed only, no behaviour: what every test would redo identically is done once per
    run: botocore's service models (one loader for every session, as moto resets boto3's
    default session and PynamoDB makes its own), boto3 clients and PynamoDB's botocore
    session, moto Cognito's fixed signing key (each new pool imports the same file), and
    the parsed template.yaml (handed out as copies)."""
    patcher = pytest.MonkeyPatch()
    patcher.setattr(
        botocore.session,
        "create_loader",
        functools.lru_cache(maxsize=None)(botocore.loaders.create_loader),
    )
    from moto.cognitoidp import models as cognito

    import_key = cognito.jwk.RSAKey.import_key
    keys: dict[str, Any] = {}

    def cached_import_key(value: Any, *args: Any, **kwargs: Any) -> Any:
        name = json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)
        if args or kwargs:
            return import_key(value, *args, **kwargs)
        if name not in keys:
            keys[name] = import_key(value)
        return keys[name]

    patcher.setattr(cognito.jwk.RSAKey, "import_key", cached_import_key)
    load_template = functools.lru_cache(maxsize=None)(local.template.load_template)
    patcher.setattr(
        local.template, "load_template", lambda path: copy.deepcopy(load_template(path))
    )
    # boto3 clients are stateless and thread-safe: one per service and region serves every
    # test (moto intercepts requests below the client, whichever mock is active). The
    # endpoint the environment names is part of the key: the local stack of
    # tests/integration (run in the same session) sets AWS_ENDPOINT_URL for its functions,
    # and a client made for the in-process mock would send them to AWS itself.
    clients: dict[tuple[str, ...], Any] = {}
    make_client: Any = boto3.client

    def cached_client(service_name: str, *args: Any, **kwargs: Any) -> Any:
        if args or set(kwargs) - {"region_name"}:
            return make_client(service_name, *args, **kwargs)
        endpoints = sorted(
            f"{k}={v}" for k, v in os.environ.items() if k.startswith("AWS_ENDPOINT_URL")
        )
        region = kwargs.get("region_name") or os.environ.get("AWS_REGION", "")
        key = (service_name, region, *endpoints)
        if key not in clients:
            clients[key] = make_client(service_name, **kwargs)
        return clients[key]

    patcher.setattr(boto3, "client", cached_client)
    import pynamodb.connection.base as pynamodb_base

    sessions = threading.local()  # botocore sessions are not thread-safe: one per thread

    def shared_session() -> Any:
        if getattr(sessions, "session", None) is None:
            sessions.session = botocore.session.get_session()
        return sessions.session

    patcher.setattr(pynamodb_base, "get_session", shared_session)
    yield
    patcher.undo()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A fresh moto world holding the template's resources, and the functions' env."""
    for name, value in {
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        env = build_stack()
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        clock.reset()
        yield env
    get_settings.cache_clear()
    clock.reset()


class Api:
    """Calls the API functions as the gateway would, by route name (events/)."""

    def __init__(self) -> None:
        self._modules: dict[str, ModuleType] = {}

    def module(self, function: str) -> ModuleType:
        if function not in self._modules:
            self._modules[function] = load_function(function)
        return self._modules[function]

    def call(self, function: str, route: str, **request: Any) -> Answer:
        return invoke(self.module(function), http_event(function, route, **request))

    # the usual set-up, in one call each
    def new_firm(
        self, email: str = "owner@firm.example", name: str = "Ledger & Co", *, verified: bool = True
    ) -> Staff:
        """A firm and its signed-in owner; `verified` (the default) also confirms the
        owner's address as the owner would: the emailed link's token, posted."""
        created = self.call(
            "firms_api",
            "CreateFirm",
            body={"firm_name": name, "owner_email": email, "owner_password": PASSWORD},
        )
        assert created.status == 201, created.body
        if verified:
            self.verify(created.body["firm_id"], email)
        return self.login(email)

    def deliver_verification(self, firm_id: str) -> dict[str, str]:
        """Invoke the invite function with the firm's newest FirmVerificationRequested
        event, as the bus would."""
        event = load_event("invite", "FirmVerificationRequested")
        event["detail"] = {"firm_id": firm_id, "verification_id": verification_id(firm_id)}
        result: dict[str, str] = self.module("invite").lambda_handler(event, Context())
        return result

    def verify(self, firm_id: str, owner_email: str) -> None:
        """The owner confirms the address with the token of the newest email."""
        assert self.deliver_verification(firm_id) == {"outcome": "sent"}
        token = verification_token_in(mail_to(owner_email)[-1])
        answer = self.call("firms_api", "VerifyFirm", body={"token": token})
        assert answer.status == 200, answer.body

    def login(self, email: str, password: str = PASSWORD) -> Staff:
        answer = self.call("firms_api", "StaffLogin", body={"email": email, "password": password})
        assert answer.status == 200, answer.body
        return Staff(self, claims_of(answer.body["token"]))

    # invitations: what EventBridge and the invitee would do
    def deliver(self, firm_id: str, invitation_id: str) -> dict[str, str]:
        """Invoke the invite function with the InvitationRequested event of one invitation
        (the bus's rule is not wired to Lambda in moto)."""
        result: dict[str, str] = self.module("invite").lambda_handler(
            invitation_event(firm_id, invitation_id), Context()
        )
        return result

    def deliver_requested(self, firm_id: str) -> list[str]:
        """Deliver the event of every invitation of the firm still waiting to be sent, as
        the bus would; returns their ids."""
        waiting = [
            item["invitation_id"]
            for item in invitation_items(firm_id)
            if item["status"] == "requested"
        ]
        for invitation_id in waiting:
            assert self.deliver(firm_id, invitation_id) == {"outcome": "sent"}
        return waiting

    # the sync: what SQS and Lambda would do with the sync queue
    def run_sync_queue(self) -> list[dict[str, Any]]:
        """Hand the sync queue's messages to the worker, five at a time as the event
        source does, until the queue is empty; the run reports of the firms synced. A
        message the worker reports as failed makes the test fail (none is expected)."""
        sqs = boto3.client("sqs", region_name=REGION)
        url = get_settings().sync_queue_url
        runs: list[dict[str, Any]] = []
        while True:
            got = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=5, MessageSystemAttributeNames=["All"]
            ).get("Messages", [])
            if not got:
                return runs
            answer = self.module("sync_worker").lambda_handler(
                {"Records": [sqs_record(m, url) for m in got]}, Context()
            )
            assert answer["batchItemFailures"] == [], answer
            for message in got:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            runs += answer["runs"]

    def read_invitation(self, token: str) -> Answer:
        return self.call("invitations_api", "GetInvitation", path={"token": token})

    def accept(self, token: str, password: str = PASSWORD) -> Answer:
        return self.call(
            "invitations_api",
            "AcceptInvitation",
            path={"token": token},
            body={"password": password},
        )


class Staff:
    """A signed-in staff member: requests carry their token's claims."""

    def __init__(self, api: Api, claims: dict[str, str]) -> None:
        self.api = api
        self.claims = claims
        self.firm_id = claims["custom:firm_id"]

    def call(self, function: str, route: str, **request: Any) -> Answer:
        return self.api.call(function, route, claims=self.claims, **request)

    def settings(self, **body: Any) -> None:
        """PATCH /v1/firm/settings with `body`, which must be taken."""
        answer = self.call("firms_api", "UpdateSettings", body=body)
        assert answer.status == 200, answer.body

    def contact_language(self, contact_id: str, language: str | None) -> None:
        """PATCH /v1/contacts/{contact_id} {"language": language}, which must be taken."""
        answer = self.call(
            "directory_api",
            "ChangeContact",
            path={"contact_id": contact_id},
            body={"language": language},
        )
        assert answer.status == 200, answer.body

    def account(self, name: str = "Smith family", type_: str = "family") -> str:
        answer = self.call("directory_api", "CreateAccount", body={"name": name, "type": type_})
        assert answer.status == 201, answer.body
        return str(answer.body["account_id"])

    def contact(self, *addresses: str, first: str = "Ann", last: str = "Smith") -> dict[str, Any]:
        answer = self.call(
            "directory_api",
            "CreateContact",
            body={
                "first_name": first,
                "last_name": last,
                "emails": [{"address": a} for a in addresses],
            },
        )
        assert answer.status == 201, answer.body
        return dict(answer.body)

    def link(self, account_id: str, contact_id: str) -> None:
        answer = self.call(
            "directory_api",
            "LinkContact",
            path={"account_id": account_id},
            body={"contact_id": contact_id},
        )
        assert answer.status == 201, answer.body

    def section(self, account_id: str) -> dict[str, Any]:
        answer = self.call("access_api", "ContactsSection", path={"account_id": account_id})
        assert answer.status == 200, answer.body
        return dict(answer.body)

    def toggle(self, account_id: str, email_id: str, **changes: Any) -> Answer:
        return self.call(
            "access_api",
            "ChangeToggles",
            path={"account_id": account_id, "email_id": email_id},
            body=changes,
        )

    def row(self, account_id: str, email_id: str) -> dict[str, Any]:
        """One ROW of the account's Contacts section (linked or unlinked)."""
        section = self.section(account_id)
        rows = [r for c in section["contacts"] for r in c["emails"]] + section["unlinked_emails"]
        found = [r for r in rows if r["email_id"] == email_id]
        assert len(found) == 1, section
        return dict(found[0])

    def invite_staff(
        self, email: str, role: str = "employee", manage_accounts: bool = False
    ) -> Answer:
        return self.call(
            "firms_api",
            "InviteStaff",
            body={"email": email, "role": role, "manage_accounts": manage_accounts},
        )

    def add_staff(self, email: str, role: str = "employee", manage_accounts: bool = False) -> Staff:
        """A staff member who was invited, accepted and signed in."""
        invited = self.invite_staff(email, role, manage_accounts)
        assert invited.status == 201, invited.body
        self.api.deliver_requested(self.firm_id)
        accepted = self.api.accept(token_in(mail_to(email)[-1]))
        assert accepted.status == 200, accepted.body
        return self.api.login(email)

    def send_invitation(self, account_id: str, email_id: str) -> str:
        """Turn LOGIN on with send_invitation, deliver the event, and return the token the
        invitee received."""
        answer = self.toggle(account_id, email_id, login=True, send_invitation=True)
        assert answer.status == 200, answer.body
        self.api.deliver_requested(self.firm_id)
        return token_in(mail_to(answer.body["address"])[-1])

    def activate(self, account_id: str, email_id: str) -> str:
        """Invite an address and accept as the client: the row's user is active. Returns
        the address."""
        token = self.send_invitation(account_id, email_id)
        accepted = self.api.accept(token)
        assert accepted.status == 200, accepted.body
        return str(self.row(account_id, email_id)["address"])


def claims_of(token: str) -> dict[str, str]:
    """The claims as API Gateway's JWT authorizer hands them to the function (strings)."""
    payload = token.split(".")[1]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {key: str(value) for key, value in data.items()}


def invitation_event(firm_id: str, invitation_id: str) -> dict[str, Any]:
    event = load_event("invite", "InvitationRequested")
    event["detail"] = {"firm_id": firm_id, "invitation_id": invitation_id}
    return event


def sent_mail() -> list[EmailMessage]:
    """Every message sent through moto's SES so far, oldest first, parsed."""
    from moto.ses.models import ses_backends

    return [
        email.message_from_string(m.raw_data, policy=policy.default)
        for m in ses_backends[ACCOUNT_ID][REGION].sent_messages
    ]


def mail_to(address: str) -> list[EmailMessage]:
    """The messages addressed to `address` (case-insensitive), oldest first."""
    wanted = address.casefold()
    return [m for m in sent_mail() if wanted in {a.addr_spec.casefold() for a in m["To"].addresses}]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None, "no text/plain part"
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None, "no text/html part"
    return str(part.get_content())


ACTIVATION_LINK = re.compile(r"(https?://\S+/activate\?token=([A-Za-z0-9_.-]+))")


def link_in(message: EmailMessage) -> str:
    found = ACTIVATION_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(1)


def token_in(message: EmailMessage) -> str:
    found = ACTIVATION_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(2)


VERIFICATION_LINK = re.compile(r"(https?://\S+/verify\?token=([A-Za-z0-9_.-]+))")


def verification_token_in(message: EmailMessage) -> str:
    found = VERIFICATION_LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(2)


def verification_id(firm_id: str) -> str:
    """The id of the firm's newest confirmation link: what its event carries."""
    answer = _dynamodb().get_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{firm_id}"}, "sk": {"S": "FIRM"}},
        ConsistentRead=True,
    )
    return str(answer["Item"]["verification_id"]["S"])


def _dynamodb() -> Any:
    return boto3.client("dynamodb", region_name=REGION)


def table_items() -> list[dict[str, Any]]:
    """Every item of the data table (as a Scan would answer it), in key order: to compare
    before and after. Read from moto's in-process backend: a Scan through the API would
    serialize every item and cost a noticeable share of the suite's time."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(get_settings().table_name)
    items = [json.loads(json.dumps(item.to_json()["Attributes"])) for item in table.all_items()]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def outbox_events(detail_type: str | None = None) -> list[Event]:
    """The events waiting in the outbox (crm.storage.outbox), oldest first: what the
    changes so far asked the bus to carry."""
    items = [i for i in table_items() if i.get("kind", {}).get("S") == outbox.KIND]
    items.sort(key=lambda i: i["created_at"]["S"])
    events = [outbox.event_of(item) for item in items]
    return [e for e in events if detail_type is None or e.detail_type == detail_type]


def invitation_items(firm_id: str) -> list[dict[str, Any]]:
    """The firm's invitations as stored (plain values), oldest id order."""
    answer = _dynamodb().query(
        TableName=get_settings().table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
        ExpressionAttributeValues={":pk": {"S": f"FIRM#{firm_id}"}, ":sk": {"S": "INVITATION#"}},
    )
    return [
        {name: next(iter(value.values())) for name, value in item.items()}
        for item in answer["Items"]
    ]


@pytest.fixture
def api(aws: dict[str, str]) -> Api:
    return Api()


@pytest.fixture
def owner(api: Api) -> Staff:
    return api.new_firm()
