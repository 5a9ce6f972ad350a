"""Unit tests run every function in-process against moto's mock, with the resources of
template.yaml; nothing leaves the process."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from moto import mock_aws

from crm import clock
from crm.settings import get_settings
from tests.support import Answer, build_stack, http_event, invoke, load_function

PASSWORD = "correct horse battery staple"


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
    def new_firm(self, email: str = "owner@firm.example", name: str = "Ledger & Co") -> Staff:
        created = self.call(
            "firms_api",
            "CreateFirm",
            body={"firm_name": name, "owner_email": email, "owner_password": PASSWORD},
        )
        assert created.status == 201, created.body
        return self.login(email)

    def login(self, email: str, password: str = PASSWORD) -> Staff:
        answer = self.call("firms_api", "StaffLogin", body={"email": email, "password": password})
        assert answer.status == 200, answer.body
        return Staff(self, claims_of(answer.body["token"]))


class Staff:
    """A signed-in staff member: requests carry their token's claims."""

    def __init__(self, api: Api, claims: dict[str, str]) -> None:
        self.api = api
        self.claims = claims
        self.firm_id = claims["custom:firm_id"]

    def call(self, function: str, route: str, **request: Any) -> Answer:
        return self.api.call(function, route, claims=self.claims, **request)

    def account(self, name: str = "Smith family", type_: str = "family") -> str:
        answer = self.call("directory_api", "CreateAccount", body={"name": name, "type": type_})
        assert answer.status == 201, answer.body
        return str(answer.body["account_id"])

    def contact(self, *addresses: str, first: str = "Ann", last: str = "Smith") -> dict[str, Any]:
        answer = self.call(
            "directory_api",
            "CreateContact",
            body={"first_name": first, "last_name": last,
                  "emails": [{"address": a} for a in addresses]},
        )
        assert answer.status == 201, answer.body
        return dict(answer.body)

    def link(self, account_id: str, contact_id: str) -> None:
        answer = self.call(
            "directory_api", "LinkContact", path={"account_id": account_id},
            body={"contact_id": contact_id},
        )
        assert answer.status == 201, answer.body

    def section(self, account_id: str) -> dict[str, Any]:
        answer = self.call("toggles_api", "ContactsSection", path={"account_id": account_id})
        assert answer.status == 200, answer.body
        return dict(answer.body)

    def toggle(self, account_id: str, email_id: str, **changes: Any) -> Answer:
        return self.call(
            "toggles_api", "ChangeToggles",
            path={"account_id": account_id, "email_id": email_id}, body=changes,
        )


def claims_of(token: str) -> dict[str, str]:
    """The claims as API Gateway's JWT authorizer hands them to the function (strings)."""
    payload = token.split(".")[1]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {key: str(value) for key, value in data.items()}


@pytest.fixture
def api(aws: dict[str, str]) -> Api:
    return Api()


@pytest.fixture
def owner(api: Api) -> Staff:
    return api.new_firm()
