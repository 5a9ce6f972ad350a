"""DynamoDB calls per request, for every route of the foundation (issue 2).

Each route is called once, on in-process moto holding the template's resources, after
the set-up it needs; the botocore hook counts the calls of that one request. Counts are
deterministic: the same code makes the same calls whatever the machine.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

from bench.counting import CallCounter
from bench.stack import in_process
from tests.support import http_event, invoke, load_function

PASSWORD = "correct horse battery staple"


@dataclass
class Row:
    route: str
    dynamodb: int
    reads: int
    writes: int
    detail: str
    budget: str = ""


WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


class Bench:
    def __init__(self, counter: CallCounter) -> None:
        self.counter = counter
        self.modules: dict[str, Any] = {}
        self.claims: dict[str, str] = {}
        self.rows: list[Row] = []

    def fn(self, name: str) -> Any:
        if name not in self.modules:
            self.modules[name] = load_function(name)
        return self.modules[name]

    def call(
        self,
        function: str,
        route: str,
        *,
        measure: str = "",
        budget: str = "",
        public: bool = False,
        **request: Any,
    ) -> Any:
        claims = None if public else self.claims
        event = http_event(function, route, claims=claims, **request)
        self.counter.reset()
        answer = invoke(self.fn(function), event)
        if answer.status >= 400:
            raise RuntimeError(f"{route}: {answer.status} {answer.body}")
        if measure:
            ops = self.counter.of("dynamodb")
            writes = sum(n for op, n in ops.items() if op in WRITES)
            self.rows.append(
                Row(
                    measure,
                    sum(ops.values()),
                    sum(ops.values()) - writes,
                    writes,
                    ", ".join(f"{op} {n}" for op, n in sorted(ops.items())),
                    budget,
                )
            )
        return answer.body


def _claims(token: str) -> dict[str, str]:
    part = token.split(".")[1]
    data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return {k: str(v) for k, v in data.items()}


def run() -> list[Row]:
    with in_process() as counter:
        b = Bench(counter)
        body = {
            "firm_name": "Bench & Co",
            "owner_email": "owner@bench.example",
            "owner_password": PASSWORD,
        }
        created = b.call(
            "firms_api", "CreateFirm", public=True, body=body, measure="POST /v1/firms"
        )
        verify_owner(b, created["firm_id"], "owner@bench.example")
        login = b.call(
            "firms_api",
            "StaffLogin",
            public=True,
            measure="POST /v1/staff/login",
            body={"email": "owner@bench.example", "password": PASSWORD},
        )
        b.claims = _claims(login["token"])
        b.call(
            "firms_api",
            "InviteStaff",
            measure="POST /v1/staff",
            body={"email": "new@bench.example", "role": "employee"},
        )
        b.call("firms_api", "ListStaff", measure="GET /v1/staff")
        b.call("firms_api", "GetSettings", measure="GET /v1/firm/settings")
        b.call(
            "firms_api",
            "UpdateSettings",
            measure="PATCH /v1/firm/settings",
            body={"auto_save_attachments": True},
        )
        account = b.call(
            "directory_api",
            "CreateAccount",
            measure="POST /v1/accounts",
            body={"name": "Big family", "type": "family"},
        )["account_id"]
        b.call("directory_api", "ListAccounts", measure="GET /v1/accounts")
        b.call(
            "directory_api",
            "GetAccount",
            measure="GET /v1/accounts/{id}",
            path={"account_id": account},
        )
        field = b.call(
            "directory_api",
            "CreateEmailField",
            measure="POST /v1/email-fields",
            body={"label": "Work email"},
        )["field_id"]
        b.call("directory_api", "ListEmailFields", measure="GET /v1/email-fields")
        contacts = []
        for i in range(10):  # 10 contacts, 30 addresses
            emails = [
                {"address": f"p{i}@home.example"},
                {"address": f"p{i}@work.example", "field_id": field},
                {"address": f"p{i}@other.example"},
            ]
            contacts.append(
                b.call(
                    "directory_api",
                    "CreateContact",
                    body={"first_name": f"P{i}", "last_name": "Bench", "emails": emails},
                    measure="POST /v1/contacts (3 addresses)" if i == 0 else "",
                )
            )
        for i, contact in enumerate(contacts):
            b.call(
                "directory_api",
                "LinkContact",
                path={"account_id": account},
                body={"contact_id": contact["contact_id"]},
                measure="POST /v1/accounts/{id}/contacts (3 addresses)" if i == 0 else "",
            )
        first = contacts[0]
        email_id = first["emails"][0]["email_id"]
        b.call(
            "directory_api",
            "GetContact",
            measure="GET /v1/contacts/{id}",
            path={"contact_id": first["contact_id"]},
        )
        added = b.call(
            "directory_api",
            "AddEmail",
            measure="POST /v1/contacts/{id}/emails",
            path={"contact_id": first["contact_id"]},
            body={"address": "p0@extra.example"},
        )
        b.call(
            "directory_api",
            "ChangeEmail",
            measure="PATCH /v1/contacts/{id}/emails/{id}",
            path={"contact_id": first["contact_id"], "email_id": added["email_id"]},
            body={"address": "p0@changed.example"},
        )
        b.call(
            "directory_api",
            "RemoveEmail",
            measure="DELETE /v1/contacts/{id}/emails/{id}",
            path={"contact_id": first["contact_id"], "email_id": added["email_id"]},
        )
        csv = "first_name,last_name,email\n" + "".join(
            f"C{i},Csv,c{i}@csv.example\n" for i in range(50)
        )
        b.call(
            "directory_api",
            "ImportContacts",
            measure="POST /v1/contacts/import (50 rows)",
            raw_body=csv,
            content_type="text/csv",
        )
        b.call(
            "access_api",
            "ContactsSection",
            path={"account_id": account},
            measure="GET /v1/accounts/{id}/contacts (10 contacts, 30 addresses)",
            budget="<= 3",
        )
        row = {"account_id": account, "email_id": email_id}
        b.call(
            "access_api",
            "ChangeToggles",
            path=row,
            body={"notify": True},
            measure="PATCH /v1/accounts/{id}/emails/{id} (a toggle)",
            budget="1 read, 1 write",
        )
        b.call(
            "access_api",
            "ChangeToggles",
            path=row,
            body={"login": True, "send_invitation": True},
            measure="PATCH ... (LOGIN on with invitation)",
            budget="<= 2, + 2 for the sending rule (firm, day's count)",
        )
        b.call(
            "access_api",
            "SendInvitation",
            path=row,
            measure="POST /v1/accounts/{id}/emails/{id}/invitation",
        )
        accept_and_portal(b, account)
        b.call("access_api", "GetPreferences", path=row, measure="GET .../notification-preferences")
        b.call(
            "access_api",
            "PutPreferences",
            path=row,
            body={"proposals": False},
            measure="PUT .../notification-preferences",
            budget="1 read, 1 write",
        )
        b.call(
            "access_api",
            "Audit",
            query={"account_id": account},
            measure="GET /v1/audit?account_id=",
        )
        b.call(
            "directory_api",
            "UnlinkContact",
            path={"account_id": account, "contact_id": contacts[1]["contact_id"]},
            measure="DELETE /v1/accounts/{id}/contacts/{id} (3 addresses)",
        )
        return b.rows


def verify_owner(b: Bench, firm_id: str, owner: str) -> None:
    """The confirmation email (the invite function), its token posted (measured)."""
    import re

    import boto3
    from moto.ses.models import ses_backends

    from tests.support import Context

    firm = boto3.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"pk": {"S": f"FIRM#{firm_id}"}, "sk": {"S": "FIRM"}},
        ConsistentRead=True,
    )["Item"]
    b.fn("invite").lambda_handler(
        {
            "detail-type": "FirmVerificationRequested",
            "detail": {"firm_id": firm_id, "verification_id": firm["verification_id"]["S"]},
        },
        Context(),
    )
    sent = ses_backends["123456789012"]["us-east-1"].sent_messages
    raw = [m.raw_data for m in sent if owner in m.destinations][-1]
    token = re.findall(r"verify\?token=([A-Za-z0-9._-]+)", str(raw))[-1]
    b.call(
        "firms_api",
        "VerifyFirm",
        public=True,
        body={"token": token},
        measure="POST /v1/firms/verify",
    )


def accept_and_portal(b: Bench, account: str) -> None:
    """Send the invitation (the invite function), accept it, open the portal."""
    import re

    import boto3
    from moto.ses.models import ses_backends

    from tests.support import Context

    table = os.environ["TABLE_NAME"]
    firm_id = b.claims["custom:firm_id"]
    found = boto3.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
        FilterExpression="#st = :r",
        ExpressionAttributeNames={"#st": "status"},
        ExpressionAttributeValues={
            ":p": {"S": f"FIRM#{firm_id}"},
            ":s": {"S": "INVITATION#"},
            ":r": {"S": "requested"},
        },
    )["Items"]
    for item in found:
        b.fn("invite").lambda_handler(
            {"detail": {"firm_id": firm_id, "invitation_id": item["invitation_id"]["S"]}},
            Context(),
        )
    sent = ses_backends["123456789012"]["us-east-1"].sent_messages
    raw = [m.raw_data for m in sent if "p0@home.example" in m.destinations][-1]
    token = re.findall(r"activate\?token=([A-Za-z0-9._-]+)", str(raw))[-1]
    b.call(
        "invitations_api",
        "AcceptInvitation",
        public=True,
        path={"token": token},
        body={"password": PASSWORD},
        measure="POST /v1/invitations/{token}/accept (new user)",
        budget="<= 3 (+ Cognito)",
    )
    b.rows[-1].detail += f"; Cognito {b.counter.total('cognito-idp')}"
    session = b.call(
        "portal_api",
        "PortalLogin",
        public=True,
        measure="POST /v1/portal/login",
        body={"email": "p0@home.example", "password": PASSWORD},
    )
    portal = _claims(session["token"])
    staff, b.claims = b.claims, portal
    b.call(
        "portal_api",
        "PortalAccount",
        path={"account_id": account},
        measure="GET /v1/portal/accounts/{id} (the access check)",
        budget="<= 1 read",
    )
    b.call("portal_api", "PortalAccounts", measure="GET /v1/portal/accounts")
    b.claims = staff


def report(rows: list[Row]) -> str:
    lines = [
        "| route | DynamoDB calls | reads | writes | calls | budget |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    lines += [
        f"| `{r.route}` | {r.dynamodb} | {r.reads} | {r.writes} | {r.detail} | {r.budget} |"
        for r in rows
    ]
    return "\n".join(lines)
