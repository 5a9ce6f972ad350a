"""Roles (API.md, "Roles"): owner and admin may do everything; an employee may read
everything in the firm, and may change contacts, links, toggles and preferences only with
manage_accounts; staff and firm settings are the owner's and admins' alone.

The routes come from template.yaml and their requests from events/, with ids of objects
made fresh for each request, so a route added to the template is checked here too."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from local.template import Template
from tests.support import ROOT, TEMPLATE, load_event
from tests.unit.conftest import Answer, Staff, table_items

ACCOUNT_FUNCTIONS = ("directory_api", "access_api")  # accounts, contacts, links, toggles
FUNCTIONS = ("firms_api", *ACCOUNT_FUNCTIONS)
ADMIN_ONLY = {"POST /v1/staff", "PATCH /v1/firm/settings"}


@dataclass(frozen=True)
class Route:
    function: str
    key: str
    event: str

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]


def _routes() -> list[Route]:
    template = Template(TEMPLATE)
    routes = []
    for route in template.http_routes():
        function = template.function_name(route.function)
        if function not in FUNCTIONS or route.authorizer != "StaffJwt":
            continue
        events = {
            json.loads(p.read_text())["routeKey"]: p.stem
            for p in (ROOT / "events" / function).glob("*.json")
        }
        routes.append(Route(function, route.route_key, events[route.route_key]))
    return routes


ROUTES = _routes()
ACCOUNT_WRITES = [r for r in ROUTES if r.function in ACCOUNT_FUNCTIONS and r.method != "GET"]
READS = [r for r in ROUTES if r.method == "GET"]
ADMIN_WRITES = [r for r in ROUTES if r.key in ADMIN_ONLY]


def test_the_routes_are_read_from_the_template() -> None:
    assert {r.key for r in ADMIN_WRITES} == ADMIN_ONLY
    assert len(ACCOUNT_WRITES) >= 10 and len(READS) >= 8


_counter = iter(range(10**6))


def fresh_ids(owner: Staff, account_id: str) -> dict[str, str]:
    """Objects the owner makes for one request: a contact linked to the account with
    LOGIN on for its first address, and another contact not linked."""
    n = next(_counter)
    linked = owner.contact(f"x{n}@home.example", f"x{n}@other.example", first=f"X{n}")
    owner.link(account_id, linked["contact_id"])
    email_id = linked["emails"][0]["email_id"]
    assert owner.toggle(account_id, email_id, login=True).status == 200
    loose = owner.contact(f"y{n}@home.example", first=f"Y{n}")
    return {
        "account_id": account_id,
        "contact_id": linked["contact_id"],
        "email_id": email_id,
        "loose_contact_id": loose["contact_id"],
    }


def request_for(route: Route, ids: dict[str, str]) -> dict[str, Any]:
    """The route's canonical request (events/) with these ids."""
    event = load_event(route.function, route.event)
    request: dict[str, Any] = {
        "path": {name: ids[name] for name in re.findall(r"\{(\w+)\}", route.key)}
    }
    query = event.get("queryStringParameters") or {}
    if query:
        request["query"] = {k: ids.get(k, v) for k, v in query.items()}
    try:
        body = json.loads(event.get("body") or "null")
    except ValueError:
        body = None
    if isinstance(body, dict) and "contact_id" in body:
        request["body"] = {**body, "contact_id": ids["loose_contact_id"]}
    return request


def attempt(
    owner: Staff, caller: Staff, account_id: str, routes: list[Route], check_unchanged: bool = False
) -> dict[str, tuple[Answer, bool]]:
    """Each route called once by `caller` (writes on objects made for them alone): its
    answer, and, when asked, whether the table stayed the same."""
    shared: dict[str, str] = {}
    results = {}
    for route in routes:
        if route.method == "GET":
            shared = shared or fresh_ids(owner, account_id)
            ids = shared
        else:
            ids = fresh_ids(owner, account_id)
        before = table_items() if check_unchanged else None
        answer = caller.call(route.function, route.event, **request_for(route, ids))
        results[route.key] = (answer, not check_unchanged or table_items() == before)
    return results


@pytest.fixture
def account_id(owner: Staff) -> str:
    return owner.account()


# ------------------------------------------------------------------------- tests


def test_an_employee_without_manage_accounts_may_change_nothing(owner: Staff, account_id) -> None:
    employee = owner.add_staff("emp@firm.example", role="employee", manage_accounts=False)

    results = attempt(
        owner, employee, account_id, ACCOUNT_WRITES + ADMIN_WRITES, check_unchanged=True
    )

    wrong = {key: (a.status, a.body) for key, (a, _) in results.items() if a.status != 403}
    changed = [key for key, (_, same) in results.items() if not same]
    assert wrong == {}
    assert changed == []


def test_an_employee_without_manage_accounts_reads_everything(owner: Staff, account_id) -> None:
    employee = owner.add_staff("emp@firm.example", role="employee", manage_accounts=False)

    results = attempt(owner, employee, account_id, READS)

    wrong = {key: (a.status, a.body) for key, (a, _) in results.items() if a.status != 200}
    assert wrong == {}


def test_an_employee_with_manage_accounts_changes_accounts_but_not_staff_or_settings(
    owner: Staff, account_id
) -> None:
    employee = owner.add_staff("mgr@firm.example", role="employee", manage_accounts=True)

    allowed = attempt(owner, employee, account_id, ACCOUNT_WRITES)
    denied = attempt(owner, employee, account_id, ADMIN_WRITES, check_unchanged=True)

    refused = {key: (a.status, a.body) for key, (a, _) in allowed.items() if a.status >= 300}
    assert refused == {}
    wrong = {key: (a.status, a.body) for key, (a, _) in denied.items() if a.status != 403}
    assert wrong == {}
    assert all(same for _, same in denied.values())


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_owner_and_admin_may_do_everything(owner: Staff, account_id, role: str) -> None:
    caller = owner if role == "owner" else owner.add_staff("adm@firm.example", role="admin")

    results = attempt(owner, caller, account_id, ACCOUNT_WRITES + ADMIN_WRITES + READS)

    refused = {key: (a.status, a.body) for key, (a, _) in results.items() if a.status >= 300}
    assert refused == {}


def test_a_token_without_staff_claims_is_401(api, owner: Staff) -> None:
    """A portal user's token (no firm, no role) is no staff token."""
    claims = {"sub": "portal-user", "email": "ann@home.example", "token_use": "id"}

    answer = api.call("directory_api", "ListAccounts", claims=claims)

    assert answer.status == 401, answer.body
