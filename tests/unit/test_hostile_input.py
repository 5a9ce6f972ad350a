"""Hostile input (issue 9, section 3), where each rule lives: single-line names and event
titles, events known by (DetailType, event_id), composition errors as permanent
failures, signed links and cursors that cannot be forged into a 500, request bodies of
the wrong media type or shape, and the guards on every HTML answer."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest

from crm.errors import ValidationFailed
from crm.integrations.mailer import Mailer
from crm.notifications import links
from crm.notifications.fanout import FanOut
from crm.notifications.models import Notification
from crm.settings import get_settings
from crm.storage import keys, paging
from crm.text import PATTERN, control_character, is_single_line
from tests.support import Context
from tests.unit.conftest import Api, Staff, mail_to

CONTROL = ["\n", "\r", "\r\n", "\x00", "\t", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]
BIDI = ["\u202e", "\u2066"]
FINE = ["Ann", "Zoë O'Brien-Smith", "Müller & Söhne GmbH", "山田 太郎", "محمد", "Zero\u200dWidth"]


def bad_names() -> list[str]:
    return [f"Acme{c}Bcc: victim@example.com" for c in CONTROL + BIDI] + ["Acme\n", "\x00"]


# ---------------------------------------------------------------- the rule itself


@pytest.mark.parametrize("char", CONTROL + BIDI + ["\ud800"])
def test_control_characters_are_not_single_line(char: str) -> None:
    assert not is_single_line(f"a{char}b")
    assert control_character(f"a{char}b") == char[0]


@pytest.mark.parametrize("name", FINE)
def test_names_in_any_script_are_single_line(name: str) -> None:
    assert is_single_line(name)


def test_the_openapi_pattern_says_the_same() -> None:
    import re

    pattern = re.compile(PATTERN)
    for name in FINE:
        assert pattern.match(name)
    for char in CONTROL + BIDI:
        assert not pattern.match(f"a{char}b")


# ------------------------------------------------------------------ names: a 422


def _field_names(answer: Any) -> list[str]:
    return [f["name"] for f in answer.body["error"]["fields"]]


@pytest.mark.parametrize("name", bad_names())
def test_a_firm_name_with_a_control_character_is_a_422(api: Api, name: str) -> None:
    answer = api.call(
        "firms_api",
        "CreateFirm",
        body={
            "firm_name": name,
            "owner_email": "owner@firm.example",
            "owner_password": "correct horse battery staple",
        },
    )

    assert answer.status == 422, answer.body
    assert _field_names(answer) == ["firm_name"]
    assert "single line" in answer.body["error"]["fields"][0]["message"]


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("CreateAccount", {"name": "Smith\r\nfamily", "type": "family"}, "name"),
        ("CreateAccount", {"name": "Smith\u202efamily", "type": "family"}, "name"),
        ("CreateEmailField", {"label": "Work\nemail"}, "label"),
        ("CreateEmailField", {"label": "Work\temail"}, "label"),
        ("CreateContact", {"first_name": "Ann\x00", "last_name": "Smith"}, "first_name"),
        ("CreateContact", {"first_name": "Ann", "last_name": "Smith\n"}, "last_name"),
        (
            "CreateContact",
            {"first_name": "Ann", "emails": [{"address": "ann\x00x@client.example"}]},
            "emails.0.address",
        ),
    ],
)
def test_directory_names_with_control_characters_are_a_422(
    owner: Staff, route: str, body: dict[str, Any], field: str
) -> None:
    answer = owner.call("directory_api", route, body=body)

    assert answer.status == 422, answer.body
    assert _field_names(answer) == [field]


def test_names_without_control_characters_are_kept_as_written(owner: Staff) -> None:
    answer = owner.call(
        "directory_api", "CreateAccount", body={"name": FINE[2], "type": "business"}
    )

    assert answer.status == 201, answer.body
    assert answer.body["name"] == FINE[2]


def test_a_csv_row_with_a_control_character_in_a_name_is_reported_and_the_rest_kept(
    owner: Staff,
) -> None:
    text = (
        "first_name,last_name,email\r\n"
        "Ann,Smith,ann@client.example\r\n"
        '"Bob\nBcc: x",Jones,bob@client.example\r\n'
        "Cy,Ng\x00,cy@client.example\r\n"
    )

    answer = owner.call("directory_api", "ImportContacts", raw_body=text, content_type="text/csv")

    assert answer.status == 200, answer.body
    assert answer.body["created"] == 1
    errors = {e["row"]: e["message"] for e in answer.body["errors"]}
    assert set(errors) == {3, 4}
    assert errors[3].startswith("first_name: Must be a single line")
    assert errors[4].startswith("last_name: Must be a single line")


def test_a_csv_with_old_mac_line_ends_is_read(owner: Staff) -> None:
    text = "first_name,last_name,email\rAnn,Smith,ann@client.example\r"

    answer = owner.call("directory_api", "ImportContacts", raw_body=text, content_type="text/csv")

    assert answer.status == 200, answer.body
    assert (answer.body["created"], answer.body["errors"]) == (1, [])


def test_a_csv_cell_over_the_readers_limit_is_a_422(owner: Staff) -> None:
    text = 'first_name,last_name,email\r\n"' + "x" * 200_000 + '",Smith,ann@client.example\r\n'

    answer = owner.call("directory_api", "ImportContacts", raw_body=text, content_type="text/csv")

    assert answer.status == 422, answer.body
    assert _field_names(answer) == ["body"]


# ----------------------------------------------------- events: refused with the reason


def notify_event(detail: dict[str, Any], detail_type: str = "DocumentUploaded") -> dict[str, Any]:
    return {
        "version": "0",
        "id": "e0d0b0a0-0000-4000-8000-000000000001",
        "detail-type": detail_type,
        "source": "platform.test",
        "account": "123456789012",
        "time": "2026-11-27T10:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


def dead_letters() -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    found = sqs.receive_message(
        QueueUrl=get_settings().notifications_dead_letter_queue_url,
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    return list(found)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Your return\r\nBcc: victim@example.com"},
        {"title": "Invoice\x00 42"},
        {"title": "Invoice\u202e24"},
        {"event_id": "evt\n1"},
        {"due_date": "2026-12-01\n"},
        {"url": "https://portal.example.com/a b"},
    ],
)
def test_an_event_breaking_the_contract_is_refused_with_its_reason(
    api: Api, owner: Staff, change: dict[str, str]
) -> None:
    account_id, address = one_recipient(owner)
    detail = {
        "firm_id": owner.firm_id,
        "account_id": account_id,
        "event_id": "evt-1",
        "title": "A document",
        **change,
    }

    outcome = api.module("notify").lambda_handler(notify_event(detail), Context())

    assert outcome == {"outcome": "rejected"}
    assert mail_to(address) == []
    kept = dead_letters()
    assert len(kept) == 1
    reason = kept[0]["MessageAttributes"]["reason"]["StringValue"]
    assert next(iter(change)) in reason


# ------------------------------------------- (DetailType, event_id) is the identity


def one_recipient(owner: Staff, address: str = "ann@client.example") -> tuple[str, str]:
    account_id = owner.account()
    contact = owner.contact(address)
    owner.link(account_id, contact["contact_id"])
    owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)
    return account_id, address


def deliveries(owner: Staff, account_id: str) -> list[dict[str, Any]]:
    answer = owner.call("notifications_api", "Deliveries", path={"account_id": account_id})
    assert answer.status == 200, answer.body
    return list(answer.body["items"])


def test_two_kinds_of_events_with_the_same_event_id_both_reach_their_recipients(
    api: Api, owner: Staff
) -> None:
    account_id, address = one_recipient(owner)
    notify = api.module("notify")
    for detail_type, title in (("InvoiceIssued", "Invoice 42"), ("DocumentUploaded", "A file")):
        detail = {
            "firm_id": owner.firm_id,
            "account_id": account_id,
            "event_id": "shared-7",
            "title": title,
        }
        summary = notify.lambda_handler(notify_event(detail, detail_type), Context())
        assert summary["sent"] == 1, summary

    subjects = sorted(str(m["Subject"]) for m in mail_to(address))
    assert subjects == [
        "New document from Ledger & Co: A file",
        "New invoice from Ledger & Co: Invoice 42",
    ]
    logged = {(d["detail_type"], d["event_id"], d["status"]) for d in deliveries(owner, account_id)}
    assert logged == {
        ("InvoiceIssued", "shared-7", "sent"),
        ("DocumentUploaded", "shared-7", "sent"),
    }


def test_the_same_kind_and_id_again_sends_nothing_new(api: Api, owner: Staff) -> None:
    account_id, address = one_recipient(owner)
    notify = api.module("notify")
    detail = {"firm_id": owner.firm_id, "account_id": account_id, "event_id": "e-1", "title": "T"}

    notify.lambda_handler(notify_event(detail, "InvoiceIssued"), Context())
    notify.lambda_handler(notify_event({**detail, "title": "Changed"}, "InvoiceIssued"), Context())

    assert [str(m["Subject"]) for m in mail_to(address)] == ["New invoice from Ledger & Co: T"]


def test_the_delivery_key_carries_the_detail_type() -> None:
    assert keys.delivery("InvoiceIssued", "e-1", "Ann@X.example") != keys.delivery(
        "DocumentUploaded", "e-1", "ann@x.example"
    )
    assert keys.delivery("InvoiceIssued", "e-1", "Ann@X.example") == keys.delivery(
        "InvoiceIssued", "e-1", "ann@x.example"
    )


# ------------------------------------------- a composition error is a final failure


def _rename_firm_in_the_table(firm_id: str, name: str) -> None:
    """A name stored before names were checked (the routes refuse it now)."""
    boto3.client("dynamodb", region_name="us-east-1").update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": keys.firm(firm_id)}, "sk": {"S": keys.FIRM_META}},
        UpdateExpression="SET #n = :n",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": name}},
    )


def test_an_email_that_cannot_be_composed_is_failed_for_good_not_left_pending(
    owner: Staff,
) -> None:
    account_id, address = one_recipient(owner)
    _rename_firm_in_the_table(owner.firm_id, "Ledger\r\nBcc: victim@example.com")
    fan_out = FanOut(Mailer("no-reply@example.com"), lambda: b"k" * 32, "https://api.test")
    notification = Notification.of(
        "DocumentUploaded",
        {"firm_id": owner.firm_id, "account_id": account_id, "event_id": "e-9", "title": "T"},
    )

    summary = fan_out.deliver(notification)  # no RetryLater: nothing to retry
    again = fan_out.deliver(notification)  # a redelivery does not try again

    assert (summary.failed, again.failed, again.already_done) == (1, 0, 1)
    assert mail_to(address) == []
    [logged] = deliveries(owner, account_id)
    assert logged["status"] == "failed"
    assert logged["reason"].startswith("the email could not be composed")


# ------------------------------------------------------- signed links and cursors


@pytest.mark.parametrize("token", ["a.é", "é.a", "ü", "a.\u2028", ".", "a."])
def test_a_non_ascii_or_broken_link_token_verifies_to_nothing(token: str) -> None:
    assert links.verify(b"k" * 32, links.UNSUBSCRIBE, token) is None


@pytest.mark.parametrize(
    ("route", "method"),
    [
        ("UnsubscribePage", "GET"),
        ("Unsubscribe", "POST"),
        ("ActivationPage", "GET"),
        ("ActivationRequest", "POST"),
    ],
)
@pytest.mark.parametrize("token", ["a.é", "é", "a.\x00"])
def test_link_routes_answer_a_non_ascii_token_with_the_not_valid_page(
    api: Api, route: str, method: str, token: str
) -> None:
    answer = api.call("notifications_api", route, query={"token": token})

    assert answer.status == 404, answer.body
    assert "not valid" in answer.body


def _b64(document: Any) -> str:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


PARTITION = "FIRM#f1#AUDIT#-"
FORGED = [
    "not base64 at all!",
    "é",
    _b64(b"\xff\xfe"),
    _b64([1, 2]),
    _b64("text"),
    _b64({}),
    _b64({"pk": {"S": PARTITION}}),  # no sort key
    _b64({"pk": {"S": PARTITION}, "sk": {"S": "A"}, "extra": {"S": "x"}}),
    _b64({"pk": PARTITION, "sk": "A"}),  # untyped
    _b64({"pk": {"S": PARTITION}, "sk": {"N": "1"}}),
    _b64({"pk": {"S": PARTITION}, "sk": {"S": 5}}),
    _b64({"pk": {"S": PARTITION}, "sk": {"S": ""}}),
    _b64({"pk": {"S": PARTITION}, "sk": {"S": "A", "N": "1"}}),
    _b64({"pk": {"S": PARTITION}, "sk": {"S": "x" * 1025}}),
    _b64({"pk": {"S": "FIRM#other#AUDIT#-"}, "sk": {"S": "A"}}),
    _b64({"pk": {"S": PARTITION}, "sk": None}),
    _b64(b"[" * 1400),
]


@pytest.mark.parametrize("cursor", FORGED)
def test_a_forged_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        paging.decode(cursor, PARTITION)
    assert refused.value.fields[0].name == "cursor"


def test_a_cursor_outside_the_part_a_query_reads_is_refused() -> None:
    cursor = _b64({"pk": {"S": "FIRM#f1"}, "sk": {"S": "STAFF#1"}})

    with pytest.raises(ValidationFailed):
        paging.decode(cursor, "FIRM#f1", sort_prefix="ACCOUNT#")


def test_an_index_cursor_holds_the_tables_and_the_index_keys() -> None:
    key = {
        "pk": {"S": "P"},
        "sk": {"S": "S"},
        "gsi1pk": {"S": "FIRM#f1#THREAD#t"},
        "gsi1sk": {"S": "2026"},
    }

    assert paging.decode(_b64(key), "FIRM#f1#THREAD#t", key="gsi1pk") == key
    with pytest.raises(ValidationFailed):
        paging.decode(_b64({"pk": {"S": "FIRM#f1#THREAD#t"}, "sk": {"S": "S"}}), "P", "gsi1pk")


def test_a_cursor_the_store_made_reads_back() -> None:
    key = {"pk": {"S": PARTITION}, "sk": {"S": "2026-11-27T10:00:00Z#a1"}}

    assert paging.decode(paging.encode(key), PARTITION) == key


def _forged_for(partition: str) -> str:
    return _b64({"pk": {"S": partition}, "sk": {"S": "A"}, "evil": {"S": "x"}})


def test_every_staff_route_with_a_cursor_refuses_a_forged_one(owner: Staff) -> None:
    account_id = owner.account()
    firm = owner.firm_id
    routes = [
        ("directory_api", "ListAccounts", {}, keys.firm(firm)),
        ("access_api", "Audit", {}, keys.audit(firm, None)),
        ("notifications_api", "Deliveries", {"account_id": account_id}, None),
        ("sync_api", "Inbox", {}, keys.inbox(firm)),
        ("sync_api", "AccountMessages", {"account_id": account_id}, None),
        ("sync_api", "GetThread", {"thread_id": "thr_1"}, keys.thread(firm, "thr_1")),
        ("sync_api", "AccountDocuments", {"account_id": account_id}, None),
    ]
    for function, route, path, partition in routes:
        for cursor in [*FORGED[:6], _forged_for(partition or "x")]:
            answer = owner.call(function, route, path=path, query={"cursor": cursor})
            assert answer.status == 422, (route, cursor, answer.body)
            assert answer.body["error"]["fields"][0]["name"] == "cursor"


def test_a_path_parameter_too_long_to_name_anything_is_a_404(owner: Staff) -> None:
    """A key built from it would break DynamoDB's key size limit (a 500 on AWS)."""
    answer = owner.call("directory_api", "GetAccount", path={"account_id": "\u00e9" * 1500})

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"


def test_a_long_address_in_the_path_still_reaches_its_route(owner: Staff) -> None:
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"

    answer = owner.call("notifications_api", "ClearSuppression", path={"address": address})

    assert answer.status == 404, answer.body
    assert answer.body["error"]["message"] == "This address is not suppressed."


# ---------------------------------------------------- bodies: media type and shape


def test_a_json_route_answers_other_media_types_with_415(owner: Staff) -> None:
    body = json.dumps({"name": "Smith family", "type": "family"})
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/csv",
    ):
        answer = owner.call(
            "directory_api", "CreateAccount", raw_body=body, content_type=content_type
        )
        assert answer.status == 415, (content_type, answer.body)
        assert answer.body["error"]["code"] == "unsupported_media_type"


def test_a_form_cannot_stand_in_for_a_json_body(api: Api) -> None:
    """A cross-site form needs no CORS preflight: it must not pass for a login."""
    api.new_firm("owner@firm.example")

    answer = api.call(
        "firms_api",
        "StaffLogin",
        raw_body="email=owner%40firm.example&password=correct+horse+battery+staple",
        content_type="application/x-www-form-urlencoded",
    )

    assert answer.status == 415, answer.body


def test_json_with_a_charset_or_a_json_suffix_is_json(owner: Staff) -> None:
    for content_type in ("application/json; charset=utf-8", "application/vnd.api+json"):
        answer = owner.call(
            "directory_api",
            "CreateAccount",
            raw_body=json.dumps({"name": "Smith family", "type": "family"}),
            content_type=content_type,
        )
        assert answer.status == 201, (content_type, answer.body)


def test_the_csv_import_still_takes_csv(owner: Staff) -> None:
    answer = owner.call(
        "directory_api",
        "ImportContacts",
        raw_body="first_name,last_name,email\nAnn,Smith,ann@client.example\n",
        content_type="text/csv",
    )

    assert answer.status == 200, answer.body


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        ('{"name": "\\ud800", "type": "family"}', "not valid UTF-8"),
        ("[]", "JSON object"),
        ("not json", "JSON object"),
    ],
)
def test_a_json_body_that_cannot_be_a_request_model_is_a_400(
    owner: Staff, raw: str, message: str
) -> None:
    answer = owner.call("directory_api", "CreateAccount", raw_body=raw)

    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "bad_request"
    assert message in answer.body["error"]["message"]


def test_a_csv_body_that_is_not_utf8_is_a_400(owner: Staff) -> None:
    event_body = base64.b64encode(b"first_name,last_name,email\n\xff\xfe,x,y@z.example\n")
    from tests.support import http_event, invoke

    event = http_event(
        "directory_api",
        "ImportContacts",
        claims=owner.claims,
        raw_body=event_body.decode(),
        content_type="text/csv",
    )
    event["isBase64Encoded"] = True

    answer = invoke(owner.api.module("directory_api"), event)

    assert answer.status == 400, answer.body


# --------------------------------------------------------------- HTML answers


def _assert_guarded(headers: dict[str, str], *, full_policy: bool = True) -> None:
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    if full_policy:
        assert "default-src 'none'" in policy
        assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("function", "route", "token"),
    [
        ("notifications_api", "UnsubscribePage", "x"),
        ("notifications_api", "Unsubscribe", "x"),
        ("notifications_api", "ActivationPage", "x"),
        ("notifications_api", "ActivationRequest", "x"),
        ("invitations_api", "ActivatePage", "x"),
        ("firms_api", "VerifyPage", "x"),
    ],
)
def test_every_html_page_carries_the_frame_and_referrer_guards(
    api: Api, function: str, route: str, token: str
) -> None:
    answer = api.call(function, route, query={"token": token})

    assert answer.headers["Content-Type"].startswith("text/html")
    _assert_guarded(answer.headers)


def test_a_usable_link_page_is_guarded_too(api: Api, owner: Staff) -> None:
    account_id, _ = one_recipient(owner)
    row = owner.section(account_id)["contacts"][0]["emails"][0]
    target = {"f": owner.firm_id, "a": account_id, "e": row["email_id"]}
    secret = api.module("notifications_api").api.service().link_secret()
    token = links.sign(secret, links.UNSUBSCRIBE, {**target, "c": "invoices_and_payments"})

    answer = api.call("notifications_api", "UnsubscribePage", query={"token": token})

    assert answer.status == 200, answer.body
    _assert_guarded(answer.headers)
    assert "form-action 'self'" in answer.headers["Content-Security-Policy"]


def test_the_activation_page_may_call_the_api_and_nothing_else(api: Api, owner: Staff) -> None:
    account_id, _ = one_recipient(owner)
    row = owner.section(account_id)["contacts"][0]["emails"][0]
    token = owner.send_invitation(account_id, row["email_id"])

    answer = api.call("invitations_api", "ActivatePage", query={"token": token})

    assert answer.status == 200, answer.body
    _assert_guarded(answer.headers)
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'unsafe-inline'" in policy and "connect-src 'self' " in policy
    assert "form-action 'none'" in policy


def test_the_resolver_guards_an_html_answer_that_lacks_the_headers() -> None:
    from crm.http.resolver import guarded

    bare = guarded({"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": ""})
    own = guarded(
        {
            "statusCode": 200,
            "headers": {"content-type": "text/html", "content-security-policy": "img-src 'self';"},
            "body": "",
        }
    )
    json_answer = guarded({"statusCode": 200, "headers": {"Content-Type": "application/json"}})

    _assert_guarded(bare["headers"], full_policy=False)
    assert own["headers"]["content-security-policy"] == "img-src 'self'; frame-ancestors 'none'"
    assert json_answer["headers"] == {"Content-Type": "application/json"}


def test_the_swagger_ui_cannot_be_framed(api: Api) -> None:
    answer = api.call("api_docs", "SwaggerUi")

    assert answer.status == 200
    _assert_guarded(answer.headers, full_policy=False)
