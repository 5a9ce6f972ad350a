"""The local runner itself: what it builds from template.yaml and how it serves it.

The product's own behaviour is tested elsewhere; here the functions are mostly replaced by
a spy on the stack's runtime, so each test sees exactly what API Gateway, EventBridge or
the scheduler would hand a function, and what the caller gets back.
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import jwt
import pytest
import requests
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from local import Stack, start_stack
from local.delivery import parse_rate
from local.gateway import HttpRoute, Router
from local.resources import aws_client
from local.runtime import load_handler
from local.template import FUNCTION_TYPES, CfnLoader, Template
from local.testing import ApiSession, Mailbox, cognito_tokens

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Template(ROOT / "template.yaml")  # read only: nothing resolved before the stack runs
ROUTES = TEMPLATE.http_routes()
FUNCTIONS = list(TEMPLATE.of_type(*FUNCTION_TYPES))
GATEWAY_NOT_FOUND = {"message": "Not Found"}
GATEWAY_UNAUTHORIZED = {"message": "Unauthorized"}
PASSWORD = "local-test-password-1"


# ----------------------------------------------------------------------------- helpers


@dataclass
class Spy:
    """Stands in for every function: records (logical id, event), answers with ``answer``."""

    answer: Callable[[str, Any], Any] = lambda _function, _event: {"statusCode": 200, "body": "{}"}
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(self, function: str, event: Any) -> Any:
        self.calls.append((function, event))
        return self.answer(function, event)


@pytest.fixture
def spy(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Spy:
    replacement = Spy()
    monkeypatch.setattr(stack.runtime, "invoke", replacement)
    return replacement


def _cognito(stack: Stack) -> Any:
    return aws_client("cognito-idp", stack.aws_endpoint)


@pytest.fixture(scope="module")
def tokens(stack: Stack) -> dict[str, dict[str, str]]:
    """An id and an access token per JWT authorizer, for a user of that authorizer's pool."""
    found = {}
    for name, authorizer in stack.template.authorizers().items():
        pool_id = authorizer.issuer.rsplit("/", 1)[-1]
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@runner-test.example"
        found[name] = cognito_tokens(
            stack.aws_endpoint, pool_id, authorizer.audience[0], email, PASSWORD
        )
    return found


def _sample_path(route: HttpRoute) -> str:
    return "/" + "/".join(
        "sample-id" if part.startswith("{") else part for part in route.path.strip("/").split("/")
    )


def _protected_route() -> HttpRoute:
    return next(route for route in ROUTES if route.authorizer)


def _route_with_parameter() -> HttpRoute:
    with_parameter = [route for route in ROUTES if "{" in route.path]
    return next((r for r in with_parameter if not r.authorizer), with_parameter[0])


def _headers_for(route: HttpRoute, tokens: dict[str, dict[str, str]]) -> dict[str, str]:
    if route.authorizer is None:
        return {}
    return {"Authorization": f"Bearer {tokens[route.authorizer]['id']}"}


# ------------------------------------------------------------------------------ routing


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_function_of_the_template_cold_starts(stack: Stack, logical_id: str) -> None:
    spec = stack.runtime.spec(logical_id)

    handler = load_handler(spec)

    assert callable(handler)


@pytest.mark.parametrize("route", ROUTES, ids=[route.route_key for route in ROUTES])
def test_every_route_of_the_template_reaches_its_function(
    api: ApiSession, spy: Spy, tokens: dict[str, dict[str, str]], route: HttpRoute
) -> None:
    response = api.request(route.method, _sample_path(route), headers=_headers_for(route, tokens))

    assert response.status_code == 200
    ((function, event),) = spy.calls
    assert function == route.function
    assert event["routeKey"] == route.route_key
    assert event["requestContext"]["routeKey"] == route.route_key
    names = [part[1:-1] for part in route.path.split("/") if part.startswith("{")]
    assert event.get("pathParameters", {}) == dict.fromkeys(names, "sample-id")
    assert ("authorizer" in event["requestContext"]) == (route.authorizer is not None)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.authorizer], ids=lambda r: r.route_key)
def test_a_protected_route_without_token_is_refused_by_the_gateway(
    api: ApiSession, spy: Spy, route: HttpRoute
) -> None:
    response = api.request(route.method, _sample_path(route))

    assert response.status_code == 401
    assert response.json() == GATEWAY_UNAUTHORIZED
    assert spy.calls == []


def test_an_unknown_route_answers_as_api_gateway_does(api: ApiSession, spy: Spy) -> None:
    known_path = ROUTES[0].path
    other_method = "DELETE" if ROUTES[0].method != "DELETE" else "PUT"
    assert not any(r.path == known_path and r.method == other_method for r in ROUTES)

    for response in (api.get("/v1/no-such-route"), api.request(other_method, known_path)):
        assert response.status_code == 404
        assert response.json() == GATEWAY_NOT_FOUND
    assert spy.calls == []


def test_route_selection_prefers_literal_then_parameter_then_greedy() -> None:
    routes = [
        HttpRoute("GET", "/v1/items/{proxy+}", "Greedy", None),
        HttpRoute("GET", "/v1/items/{item_id}", "Parameter", None),
        HttpRoute("GET", "/v1/items/special", "Literal", None),
        HttpRoute("ANY", "/v1/items/special", "AnyMethod", None),
        HttpRoute("ANY", "$default", "Default", None),
    ]
    router = Router(routes)

    def served_by(method: str, path: str) -> tuple[str, dict[str, str]]:
        match = router.match(method, path)
        assert match is not None
        return match[0].function, match[1]

    assert served_by("GET", "/v1/items/special") == ("Literal", {})
    assert served_by("POST", "/v1/items/special") == ("AnyMethod", {})
    assert served_by("GET", "/v1/items/a%20b") == ("Parameter", {"item_id": "a b"})
    assert served_by("GET", "/v1/items/a/b") == ("Greedy", {"proxy": "a/b"})
    assert served_by("GET", "/elsewhere") == ("Default", {})


# -------------------------------------------------------------------------- authorizers


def _forged(claims: dict[str, Any], key: Any) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


@pytest.fixture
def bad_tokens(stack: Stack, tokens: dict[str, dict[str, str]]) -> dict[str, str | None]:
    route = _protected_route()
    assert route.authorizer is not None
    authorizer = stack.template.authorizers()[route.authorizer]
    good = jwt.decode(tokens[route.authorizer]["id"], options={"verify_signature": False})
    moto_key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pool_id = authorizer.issuer.rsplit("/", 1)[-1]
    other_client = _cognito(stack).create_user_pool_client(
        UserPoolId=pool_id, ClientName="not-the-api", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    other_pools = [name for name in tokens if name != route.authorizer]
    found: dict[str, str | None] = {
        "missing": None,
        "garbage": "Bearer not-a-jwt",
        "expired": _forged({**good, "exp": int(time.time()) - 60}, moto_key),
        "signed by another key": _forged(good, stranger_key),
        "issued by another issuer": _forged({**good, "iss": authorizer.issuer + "x"}, moto_key),
        "for another client of the pool": _forged({**good, "aud": other_client}, moto_key),
    }
    for name in other_pools:
        found[f"from the {name} pool"] = tokens[name]["id"]
        found[f"access token from the {name} pool"] = tokens[name]["access"]
    return found


def test_the_jwt_authorizer_refuses_bad_tokens_without_calling_the_function(
    api: ApiSession, spy: Spy, bad_tokens: dict[str, str | None]
) -> None:
    route = _protected_route()
    assert any(name.startswith("from the") for name in bad_tokens), "a second pool is expected"

    for name, token in bad_tokens.items():
        headers = {"Authorization": token} if token else {}
        response = api.request(route.method, _sample_path(route), headers=headers)
        assert (response.status_code, response.json()) == (401, GATEWAY_UNAUTHORIZED), name
    assert spy.calls == []


@pytest.mark.parametrize("kind", ["id", "access"])
@pytest.mark.parametrize("prefix", ["Bearer ", ""])
def test_the_jwt_authorizer_passes_claims_as_api_gateway_does(
    stack: Stack,
    api: ApiSession,
    spy: Spy,
    tokens: dict[str, dict[str, str]],
    kind: str,
    prefix: str,
) -> None:
    route = _protected_route()
    assert route.authorizer is not None
    token = tokens[route.authorizer][kind]

    response = api.request(
        route.method, _sample_path(route), headers={"Authorization": prefix + token}
    )

    assert response.status_code == 200
    ((_, event),) = spy.calls
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    original = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == stack.template.authorizers()[route.authorizer].issuer
    assert claims["token_use"] == kind
    assert claims["exp"] == str(original["exp"])
    assert all(isinstance(value, str) for value in claims.values())


# ----------------------------------------------------------------- events and responses


def test_the_event_carries_the_request_as_api_gateway_sends_it(
    stack: Stack, spy: Spy, tokens: dict[str, dict[str, str]]
) -> None:
    route = _route_with_parameter()
    target = urlsplit(stack.api_url)
    connection = http.client.HTTPConnection(target.hostname or "", target.port)
    path = _sample_path(route).replace("sample-id", "a%20b", 1)
    connection.putrequest(route.method, f"{path}?tag=x&tag=y&empty=&q=caf%C3%A9")
    for name, value in [
        ("X-Repeated", "one"),
        ("X-Repeated", "two"),
        ("Cookie", "c1=v1; c2=v2"),
        ("User-Agent", "runner-test"),
        ("Content-Type", "application/octet-stream"),
        ("Content-Length", "3"),
        *_headers_for(route, tokens).items(),
    ]:
        connection.putheader(name, value)
    connection.endheaders(b"\x00\xff\x01")
    assert connection.getresponse().status == 200
    connection.close()

    ((_, event),) = spy.calls
    assert event["version"] == "2.0"
    assert event["rawPath"] == path
    assert event["rawQueryString"] == "tag=x&tag=y&empty=&q=caf%C3%A9"
    assert event["queryStringParameters"] == {"tag": "x,y", "empty": "", "q": "café"}
    assert event["headers"]["x-repeated"] == "one,two"
    assert event["headers"]["user-agent"] == "runner-test"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["c1=v1", "c2=v2"]
    assert event["pathParameters"][next(iter(event["pathParameters"]))] == "a b"
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xff\x01"
    context = event["requestContext"]
    assert context["http"] == {
        "method": route.method,
        "path": path,
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "runner-test",
    }
    assert context["stage"] == "$default"
    assert context["accountId"] == "123456789012"
    assert abs(context["timeEpoch"] / 1000 - time.time()) < 60
    assert {"apiId", "domainName", "requestId", "time"} <= set(context)


def test_a_json_body_arrives_as_text(
    api: ApiSession, spy: Spy, tokens: dict[str, dict[str, str]]
) -> None:
    route = next(r for r in ROUTES if r.method == "POST")

    api.post(_sample_path(route), json={"name": "Zoë"}, headers=_headers_for(route, tokens))

    ((_, event),) = spy.calls
    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"name": "Zoë"}


def test_the_response_is_mapped_as_api_gateway_maps_it(
    api: ApiSession, spy: Spy, tokens: dict[str, dict[str, str]]
) -> None:
    route = _protected_route()
    spy.answer = lambda _function, _event: {
        "statusCode": 201,
        "headers": {"X-Single": "1", "Content-Type": "application/octet-stream"},
        "multiValueHeaders": {"X-Multi": ["a", "b"]},
        "cookies": ["s=1; Path=/", "t=2"],
        "body": base64.b64encode(b"\x00binary").decode(),
        "isBase64Encoded": True,
    }

    response = api.request(route.method, _sample_path(route), headers=_headers_for(route, tokens))

    assert response.status_code == 201
    assert response.content == b"\x00binary"
    assert response.headers["X-Single"] == "1"
    assert response.raw.headers.getlist("X-Multi") == ["a", "b"]
    assert response.raw.headers.getlist("Set-Cookie") == ["s=1; Path=/", "t=2"]


def test_a_result_without_status_code_is_a_json_200(
    api: ApiSession, spy: Spy, tokens: dict[str, dict[str, str]]
) -> None:
    route = _protected_route()
    spy.answer = lambda _function, _event: {"hello": ["world"]}

    response = api.request(route.method, _sample_path(route), headers=_headers_for(route, tokens))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"hello": ["world"]}


def test_a_failing_function_answers_500_as_api_gateway_does(
    api: ApiSession, spy: Spy, tokens: dict[str, dict[str, str]]
) -> None:
    route = _protected_route()

    def fail(function: str, event: Any) -> Any:
        raise RuntimeError("boom")

    spy.answer = fail
    response = api.request(route.method, _sample_path(route), headers=_headers_for(route, tokens))

    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


# ---------------------------------------------------------------------- the local routes


def test_local_stack_describes_what_the_template_declares(api: ApiSession, stack: Stack) -> None:
    template = stack.template
    described = api.get("/_local/stack").json()

    assert described["api_url"] == stack.api_url
    assert described["aws_endpoint"] == stack.aws_endpoint
    assert described["functions"] == [
        template.function_name(logical_id)
        for logical_id in template.of_type("AWS::Serverless::Function")
    ]
    assert described["schedules"] == sorted(s.name for s in template.schedules())
    assert described["event_bus"] == template.outputs()["EventBusName"]
    assert set(described["tables"]) == set(template.of_type("AWS::DynamoDB::Table"))
    assert described["outputs"]["ApiUrl"] == stack.api_url


def test_resources_are_created_as_the_template_declares_them(stack: Stack) -> None:
    template = stack.template
    dynamodb = boto3.client("dynamodb", endpoint_url=stack.aws_endpoint)
    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        properties = resource["Properties"]
        table = dynamodb.describe_table(TableName=stack.resources[logical_id])["Table"]
        assert table["KeySchema"] == properties["KeySchema"]
        assert [index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])] == [
            index["IndexName"] for index in properties.get("GlobalSecondaryIndexes", [])
        ]
        ttl = dynamodb.describe_time_to_live(TableName=stack.resources[logical_id])
        if "TimeToLiveSpecification" in properties:
            assert (
                ttl["TimeToLiveDescription"]["AttributeName"]
                == (properties["TimeToLiveSpecification"]["AttributeName"])
            )
    cognito = _cognito(stack)
    for logical_id, resource in template.of_type("AWS::Cognito::UserPool").items():
        pool = cognito.describe_user_pool(UserPoolId=stack.resources[logical_id])["UserPool"]
        attributes = {attribute["Name"] for attribute in pool["SchemaAttributes"]}
        for declared in resource["Properties"].get("Schema", []):
            assert declared["Name"] in attributes or f"custom:{declared['Name']}" in attributes
        declared_names = resource["Properties"].get("UsernameAttributes", [])
        assert pool.get("UsernameAttributes", []) == declared_names
    identities = boto3.client("ses", endpoint_url=stack.aws_endpoint).list_identities()
    for logical_id in template.of_type("AWS::SES::EmailIdentity"):
        assert stack.resources[logical_id] in identities["Identities"]
    buckets = boto3.client("s3", endpoint_url=stack.aws_endpoint).list_buckets()["Buckets"]
    for logical_id in template.of_type("AWS::S3::Bucket"):
        assert stack.resources[logical_id] in {bucket["Name"] for bucket in buckets}


def _matching_event(pattern: dict[str, Any]) -> tuple[str, str]:
    """(source, detail type) that a simple rule pattern matches."""
    return pattern.get("source", ["runner.test"])[0], pattern["detail-type"][0]


def test_published_events_reach_the_functions_of_matching_rules(
    api: ApiSession, stack: Stack, spy: Spy
) -> None:
    rules = stack.template.rules()
    assert rules, "the template is expected to declare rules"
    assert stack.event_bus in {rule.bus for rule in rules}
    for rule in rules:
        source, detail_type = _matching_event(rule.pattern)
        probe = {"probe": uuid.uuid4().hex}

        response = api.post(
            "/_local/events",
            json={
                "detail_type": detail_type,
                "detail": probe,
                "source": source,
                "event_bus": rule.bus,
            },
        )

        assert response.status_code == 200
        assert response.json()["failed_entry_count"] == 0
        delivered = [(fn, event) for fn, event in spy.calls if event.get("detail") == probe]
        assert [function for function, _ in delivered] == [rule.function]
        event = delivered[0][1]
        assert (event["source"], event["detail-type"]) == (source, detail_type)
        assert event["account"] == "123456789012"
        assert {"id", "time", "region", "resources", "version"} <= set(event)


def test_events_that_match_no_rule_reach_no_function(api: ApiSession, spy: Spy) -> None:
    response = api.post(
        "/_local/events", json={"detail_type": "NothingListens", "detail": {"x": 1}}
    )

    assert response.status_code == 200
    assert spy.calls == []


def test_a_failing_event_is_retried_then_set_aside(api: ApiSession, stack: Stack, spy: Spy) -> None:
    rule = next(rule for rule in stack.template.rules() if rule.bus == stack.event_bus)
    source, detail_type = _matching_event(rule.pattern)
    probe = {"probe": uuid.uuid4().hex}

    def fail(function: str, event: Any) -> Any:
        raise RuntimeError("cannot handle this")

    spy.answer = fail
    api.post("/_local/events", json={"detail_type": detail_type, "detail": probe, "source": source})

    attempts = stack.runtime.pools[rule.function].spec.max_retry_attempts + 1
    assert [event["detail"] for _, event in spy.calls] == [probe] * attempts
    dead = api.get("/_local/dead-letters").json()["items"]
    assert [item["function"] for item in dead if item["event"]["detail"] == probe] == [
        rule.function
    ]


def test_local_events_validates_its_body(api: ApiSession) -> None:
    assert api.post("/_local/events", data=b"not json").status_code == 400
    assert api.post("/_local/events", json={"detail_type": "X"}).status_code == 422


def test_an_unknown_schedule_is_a_404(api: ApiSession) -> None:
    response = api.post("/_local/schedules/no-such-schedule")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_clock_route_moves_the_product_clock(api: ApiSession, stack: Stack) -> None:
    from crm import clock

    before = clock.now()
    try:
        response = api.post("/_local/clock", json={"advance_seconds": 3600})

        assert response.status_code == 200
        moved = (clock.now() - before).total_seconds()
        assert 3600 <= moved < 3660
        assert response.json()["now"] == clock.iso()
        assert api.post("/_local/clock", json={"advance_seconds": "soon"}).status_code == 422
    finally:
        clock.reset()


def test_local_mail_shows_what_was_sent(stack: Stack, mail: Mailbox) -> None:
    identity = stack.resources[next(iter(stack.template.of_type("AWS::SES::EmailIdentity")))]
    sender = identity if "@" in identity else f"sender@{identity}"
    message = EmailMessage()
    message["From"] = f"Runner Test <{sender}>"
    message["To"] = "to@runner-test.example"
    message["Cc"] = "Copy <cc@runner-test.example>"
    message["Subject"] = f"Grüße {uuid.uuid4().hex}"
    message["List-Unsubscribe"] = "<https://unsubscribe.example/x>"
    message.set_content("plain text ✓")
    message.add_alternative("<p>html ✓</p>", subtype="html")
    ses = boto3.client("ses", endpoint_url=stack.aws_endpoint)
    ses.send_raw_email(
        Destinations=[
            "to@runner-test.example",
            "cc@runner-test.example",
            "bcc@runner-test.example",
        ],
        RawMessage={"Data": message.as_bytes()},
    )
    simple_subject = f"simple {uuid.uuid4().hex}"
    boto3.client("sesv2", endpoint_url=stack.aws_endpoint).send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["simple@runner-test.example"]},
        Content={
            "Simple": {"Subject": {"Data": simple_subject}, "Body": {"Html": {"Data": "<b>hi</b>"}}}
        },
    )

    items = mail.all()
    raw, simple = (
        next(item for item in items if item["subject"] == message["Subject"]),
        next(item for item in items if item["subject"] == simple_subject),
    )
    assert items.index(raw) < items.index(simple)
    assert raw["to"] == ["to@runner-test.example"]
    assert raw["cc"] == ["cc@runner-test.example"]
    assert raw["bcc"] == ["bcc@runner-test.example"]
    assert raw["from"] == f"Runner Test <{sender}>"
    assert raw["text"].strip() == "plain text ✓"
    assert raw["html"].strip() == "<p>html ✓</p>"
    assert raw["headers"]["List-Unsubscribe"] == "<https://unsubscribe.example/x>"
    assert "multipart/alternative" in raw["raw"]
    assert simple["to"] == ["simple@runner-test.example"]
    assert simple["html"].strip() == "<b>hi</b>"
    assert mail.to("bcc@runner-test.example")[-1]["subject"] == message["Subject"]


# ------------------------------------------------------------- the template, in detail


def test_short_tags_load_as_their_long_forms() -> None:
    document = """
    a: !Ref Thing
    b: !GetAtt Thing.Arn
    c: !GetAtt Thing.Endpoint.Address
    d: !Sub ["${X}", {X: !Ref Y}]
    e: !Join [",", [!Select [0, !Split ["/", "a/b"]], !GetAZs ""]]
    f: !If [Cond, !Base64 x, !ImportValue Other]
    g: !Not [!Equals [!FindInMap [M, k, v], !Condition C]]
    """
    loaded = yaml.load(document, Loader=CfnLoader)  # noqa: S506 - a SafeLoader

    assert loaded["a"] == {"Ref": "Thing"}
    assert loaded["b"] == {"Fn::GetAtt": ["Thing", "Arn"]}
    assert loaded["c"] == {"Fn::GetAtt": ["Thing", "Endpoint.Address"]}
    assert loaded["d"] == {"Fn::Sub": ["${X}", {"X": {"Ref": "Y"}}]}
    assert loaded["e"]["Fn::Join"][1][0] == {"Fn::Select": [0, {"Fn::Split": ["/", "a/b"]}]}
    assert loaded["e"]["Fn::Join"][1][1] == {"Fn::GetAZs": ""}
    assert loaded["f"] == {"Fn::If": ["Cond", {"Fn::Base64": "x"}, {"Fn::ImportValue": "Other"}]}
    assert loaded["g"] == {
        "Fn::Not": [{"Fn::Equals": [{"Fn::FindInMap": ["M", "k", "v"]}, {"Condition": "C"}]}]
    }


def test_schedule_rates() -> None:
    assert parse_rate("rate(1 minute)") == 60
    assert parse_rate("rate(5 minutes)") == 300
    assert parse_rate("rate(2 hours)") == 7200
    assert parse_rate("rate(1 day)") == 86400
    assert parse_rate("cron(0/15 * * * ? *)") == 900


# A small template of our own, for what the product's template does not use (yet):
# schedules, SQS sources, {proxy+}, the implicit API, conditions, mappings, sibling modules.
MINI_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: test}
  PublicApiUrl: {Type: String, Default: https://example.invalid}
  Sizes: {Type: CommaDelimitedList, Default: "small,large"}
Conditions:
  IsTest: !Equals [!Ref Stage, test]
  IsProd: !Not [!Condition IsTest]
Mappings:
  Colours: {test: {primary: green}}
Globals:
  Function:
    Runtime: python3.12
    Handler: app.lambda_handler
    Timeout: 10
    Layers: [!Ref MiniLayer]
    Environment:
      Variables:
        MINI_TABLE: !Ref MiniTable
        MINI_TABLE_ARN: !GetAtt MiniTable.Arn
        MINI_GREETING: !Sub
          - "hello ${Who} in ${AWS::Region} from ${AWS::StackName}"
          - {Who: !Select [1, !Split [",", "a,world,c"]]}
        MINI_JOINED: !Join ["-", [!Ref Stage, !FindInMap [Colours, !Ref Stage, primary]]]
        MINI_SIZE: !Select [1, !Ref Sizes]
        MINI_MODE: !If [IsProd, prod, not-prod]
        MINI_ESCAPED: !Sub "${!Literal}-${Stage}"
        MINI_PUBLIC_URL: !Ref PublicApiUrl
        MINI_ABSENT: !If [IsProd, present, !Ref AWS::NoValue]
Resources:
  MiniLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layers/crm/}
  MiniTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
        - {AttributeName: lsk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      LocalSecondaryIndexes:
        - IndexName: by_lsk
          KeySchema:
            - {AttributeName: pk, KeyType: HASH}
            - {AttributeName: lsk, KeyType: RANGE}
          Projection: {ProjectionType: KEYS_ONLY}
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
  MiniQueue:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 5}
  ProdOnlyQueue:
    Type: AWS::SQS::Queue
    Condition: IsProd
  RecorderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/recorder/
      Events:
        Anything:
          Type: HttpApi
          Properties: {Method: ANY, Path: "/{proxy+}"}
        Published:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [mini.test]}
        Queued:
          Type: SQS
          Properties:
            Queue: !GetAtt MiniQueue.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
  FailingFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/failing/
      EventInvokeConfig: {MaximumRetryAttempts: 1}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt MiniDeadLetters.Arn}
      Events:
        Published:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [mini.failing]}
  MiniDeadLetters:
    Type: AWS::SQS::Queue
  OtherFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/other/
      Events:
        Other:
          Type: HttpApi
          Properties: {Method: GET, Path: /other}
  TickFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/tick/
      Events:
        Every:
          Type: Schedule
          Properties: {Schedule: rate(5 minutes)}
  NightlyFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/nightly/
      Events:
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 3 * * ? *)
            Input: '{"mode": "nightly"}'
"""

MINI_FUNCTION = """
import json
import os
import time
import uuid

import boto3

import helper

CONTAINER = str(uuid.uuid4())
table = boto3.resource("dynamodb").Table(os.environ["MINI_TABLE"])


def lambda_handler(event, context):
    if "requestContext" not in event:
        table.put_item(Item={"pk": helper.NAME, "sk": str(uuid.uuid4()), "event": json.dumps(event)})
        if helper.NAME == "failing":
            raise RuntimeError("this function always fails")
        return {"batchItemFailures": []}
    query = event.get("queryStringParameters") or {}
    time.sleep(float(query.get("sleep", 0)))
    answer = {
        "container": CONTAINER,
        "helper": helper.NAME,
        "env": {k: v for k, v in os.environ.items() if k.startswith("MINI_")},
        "event": event,
        "function_name": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
    }
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps(answer)}
"""


class TestOwnTemplate:
    """A second stack from MINI_TEMPLATE (moto's state is shared, the names are not)."""

    @pytest.fixture(scope="class")
    @classmethod
    def mini(cls, tmp_path_factory: pytest.TempPathFactory, stack: Stack) -> Iterator[Stack]:
        _ = stack  # started first, so that stopping this one gives it its environment back
        root = tmp_path_factory.mktemp("mini")
        (root / "template.yaml").write_text(MINI_TEMPLATE)
        (root / "layers").symlink_to(ROOT / "layers")
        for name in ("recorder", "other", "tick", "nightly", "failing"):
            folder = root / "functions" / name
            folder.mkdir(parents=True)
            (folder / "app.py").write_text(MINI_FUNCTION)
            (folder / "helper.py").write_text(f"NAME = {name!r}\n")
        running = start_stack(port=0, timers=False, template_path=root / "template.yaml")
        yield running
        running.stop()

    def recorded(self, mini: Stack, function: str) -> list[Any]:
        table = boto3.resource("dynamodb", endpoint_url=mini.aws_endpoint).Table(
            mini.resources["MiniTable"]
        )
        items = table.query(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": function}
        )["Items"]
        return [json.loads(str(item["event"])) for item in items]

    def test_intrinsics_resolve_into_the_environment(self, mini: Stack) -> None:
        answer = requests.get(f"{mini.api_url}/anything", timeout=30).json()

        assert answer["env"] == {
            "MINI_TABLE": "crm-local-MiniTable",
            "MINI_TABLE_ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/crm-local-MiniTable",
            "MINI_GREETING": "hello world in us-east-1 from crm-local",
            "MINI_JOINED": "test-green",
            "MINI_SIZE": "large",
            "MINI_MODE": "not-prod",
            "MINI_ESCAPED": "${Literal}-test",
            "MINI_PUBLIC_URL": mini.api_url,
        }
        assert answer["function_name"] == "crm-local-RecorderFunction"
        assert 0 < answer["remaining_ms"] <= 10_000

    def test_a_greedy_path_on_the_implicit_api_is_public(self, mini: Stack) -> None:
        answer = requests.post(f"{mini.api_url}/deep/er/path", timeout=30).json()

        assert answer["event"]["routeKey"] == "ANY /{proxy+}"
        assert answer["event"]["pathParameters"] == {"proxy": "deep/er/path"}
        assert "authorizer" not in answer["event"]["requestContext"]

    def test_each_function_imports_its_own_sibling_modules(self, mini: Stack) -> None:
        assert requests.get(f"{mini.api_url}/other", timeout=30).json()["helper"] == "other"
        assert requests.get(f"{mini.api_url}/x", timeout=30).json()["helper"] == "recorder"

    def test_concurrent_requests_run_in_separate_containers(self, mini: Stack) -> None:
        def call(_: int) -> str:
            response = requests.get(f"{mini.api_url}/slow?sleep=0.5", timeout=30)
            return str(response.json()["container"])

        with ThreadPoolExecutor(4) as pool:
            containers = list(pool.map(call, range(4)))

        assert len(set(containers)) == 4  # one request at a time per container

    def test_a_rule_on_the_default_bus_invokes_its_function(self, mini: Stack) -> None:
        assert mini.event_bus == "default"
        response = requests.post(
            f"{mini.api_url}/_local/events",
            json={"source": "mini.test", "detail_type": "Anything", "detail": {"n": 1}},
            timeout=30,
        )

        assert response.status_code == 200
        assert [e["detail"] for e in self.recorded(mini, "recorder") if "detail" in e] == [{"n": 1}]

    def test_an_event_the_function_fails_on_goes_to_its_dead_letter_queue(
        self, mini: Stack
    ) -> None:
        detail = {"probe": uuid.uuid4().hex}
        requests.post(
            f"{mini.api_url}/_local/events",
            json={"source": "mini.failing", "detail_type": "Anything", "detail": detail},
            timeout=30,
        )

        attempts = [e["detail"] for e in self.recorded(mini, "failing") if "detail" in e]
        assert attempts == [detail, detail]  # MaximumRetryAttempts: 1
        sqs = aws_client("sqs", mini.aws_endpoint)
        (message,) = sqs.receive_message(
            QueueUrl=mini.resources["MiniDeadLetters"], MessageAttributeNames=["All"]
        )["Messages"]
        assert json.loads(message["Body"])["detail"] == detail
        assert "always fails" in message["MessageAttributes"]["ErrorMessage"]["StringValue"]

    def test_an_sqs_source_invokes_its_function_with_records(self, mini: Stack) -> None:
        boto3.client("sqs", endpoint_url=mini.aws_endpoint).send_message(
            QueueUrl=mini.resources["MiniQueue"], MessageBody="queued body"
        )
        mini.wait_idle()

        batches = [e["Records"] for e in self.recorded(mini, "recorder") if "Records" in e]
        assert [[record["body"] for record in batch] for batch in batches] == [["queued body"]]
        assert batches[0][0]["eventSource"] == "aws:sqs"

    def test_schedules_run_on_demand(self, mini: Stack) -> None:
        described = requests.get(f"{mini.api_url}/_local/stack", timeout=30).json()
        assert described["schedules"] == ["nightly", "tick"]

        for name in described["schedules"]:
            response = requests.post(f"{mini.api_url}/_local/schedules/{name}", timeout=30)
            assert response.status_code == 200

        (tick,) = self.recorded(mini, "tick")
        assert tick["detail-type"] == "Scheduled Event"
        assert tick["source"] == "aws.events"
        assert self.recorded(mini, "nightly") == [{"mode": "nightly"}]

    def test_a_resource_whose_condition_is_false_is_not_created(self, mini: Stack) -> None:
        assert "MiniQueue" in mini.resources
        assert "ProdOnlyQueue" not in mini.resources

    def test_table_indexes_and_ttl_are_created(self, mini: Stack) -> None:
        dynamodb = boto3.client("dynamodb", endpoint_url=mini.aws_endpoint)
        table = dynamodb.describe_table(TableName=mini.resources["MiniTable"])["Table"]
        ttl = dynamodb.describe_time_to_live(TableName=mini.resources["MiniTable"])

        assert [index["IndexName"] for index in table["LocalSecondaryIndexes"]] == ["by_lsk"]
        assert ttl["TimeToLiveDescription"] == {
            "AttributeName": "expires",
            "TimeToLiveStatus": "ENABLED",
        }
