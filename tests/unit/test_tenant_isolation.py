"""Nothing of one firm can be read or changed from another (API.md: 404 "including
anything that belongs to another firm"; "a request that fails changes nothing").

The routes come from template.yaml, the requests from events/: a route added to the
template is checked here without anyone remembering to add it. Each id a request carries
(in its path, its query or its JSON body) is filled in from firm B, alone and together,
in a request signed by firm A; the same request with A's own ids is the control that
shows the probe reaches the route."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from crm.storage import keys, paging
from local.template import Template
from tests.support import ROOT, TEMPLATE, load_event
from tests.unit.conftest import Api, Staff, table_items

# The functions of firms, the directory and the Contacts section; every route of theirs
# behind the staff authorizer is probed (the notification and email-sync functions need
# objects made by their own event flows, and get probes of their own).
FUNCTIONS = ("firms_api", "directory_api", "access_api")
ID_KEYS = ("account_id", "contact_id", "email_id", "field_id", "staff_id")


@dataclass(frozen=True)
class Route:
    function: str  # folder name
    key: str  # "GET /v1/accounts/{account_id}"
    event: str  # events/<function>/<event>.json

    def __str__(self) -> str:
        return self.key


def _event_names(function: str) -> dict[str, str]:
    names = {}
    for path in sorted((ROOT / "events" / function).glob("*.json")):
        names[json.loads(path.read_text()).get("routeKey", "")] = path.stem
    return names


def _staff_routes() -> list[Route]:
    """Every route of FUNCTIONS behind the staff authorizer."""
    template = Template(TEMPLATE)
    routes = []
    for route in template.http_routes():
        function = template.function_name(route.function)
        if function in FUNCTIONS and route.authorizer == "StaffJwt":
            routes.append(Route(function, route.route_key, _event_names(function)[route.route_key]))
    return routes


ROUTES = _staff_routes()


def test_every_staff_route_is_probed() -> None:
    assert {r.function for r in ROUTES} == set(FUNCTIONS)
    assert len(ROUTES) >= 20  # the template's routes, not an empty list that checks nothing
    unknown = {
        r.key: name
        for r in ROUTES
        for name in re.findall(r"\{(\w+)\}", r.key)
        if name not in ID_KEYS
    }
    assert unknown == {}, "teach this test what these path parameters stand for"


# ------------------------------------------------------------------- two firms


@dataclass
class Firm:
    staff: Staff
    ids: dict[str, str]
    markers: set[str]  # what must never show in another firm's answers


def _set_up(api: Api, name: str) -> Firm:
    staff = api.new_firm(f"owner@{name}.example", f"Firm {name.upper()}")
    account_id = staff.account(f"Account of {name}")
    contact = staff.contact(
        f"client@{name}.example", f"other@{name}.example", first=f"Client{name}"
    )
    staff.link(account_id, contact["contact_id"])
    field = staff.call("directory_api", "CreateEmailField", body={"label": f"Label {name}"})
    invited = staff.invite_staff(f"staff@{name}.example")
    ids = {
        "account_id": account_id,
        "contact_id": contact["contact_id"],
        "email_id": contact["emails"][0]["email_id"],
        "field_id": field.body["field_id"],
        "staff_id": invited.body["staff_id"],
    }
    markers = {staff.firm_id, f"@{name}.example", f"Firm {name.upper()}", *ids.values()}
    return Firm(staff, ids, markers)


@pytest.fixture
def firms(api: Api) -> tuple[Firm, Firm]:
    a, b = _set_up(api, "a"), _set_up(api, "b")
    # B's data is not in its initial state: toggles, preferences, settings changed
    b.staff.toggle(b.ids["account_id"], b.ids["email_id"], login=True, notify=True)
    b.staff.call(
        "firms_api",
        "UpdateSettings",
        body={"copy_client_emails_to": ["copies@b.example"], "auto_save_attachments": True},
    )
    return a, b


def items_of(firm: Firm) -> list[dict[str, Any]]:
    """Every item of the table that belongs to the firm."""
    return [
        item
        for item in table_items()
        if firm.staff.firm_id in item["pk"]["S"]
        or item.get("firm_id", {}).get("S") == firm.staff.firm_id
    ]


def leaked(answer_body: Any, firm: Firm) -> set[str]:
    text = json.dumps(answer_body)
    return {marker for marker in firm.markers if marker in text}


# ---------------------------------------------------------------------- requests


def id_slots(route: Route) -> list[tuple[str, str]]:
    """(where, name) of every id the route's request carries."""
    event = load_event(route.function, route.event)
    slots = [("path", name) for name in re.findall(r"\{(\w+)\}", route.key)]
    slots += [("query", k) for k in (event.get("queryStringParameters") or {}) if k in ID_KEYS]
    try:
        body = json.loads(event.get("body") or "null")
    except ValueError:
        body = None
    if isinstance(body, dict):
        slots += [("body", k) for k in body if k in ID_KEYS]
    return slots


def request(route: Route, caller: Firm, owners: dict[tuple[str, str], Firm]) -> Any:
    """The route's canonical request signed by `caller`, each id slot taken from the
    firm `owners` names for it."""
    event = load_event(route.function, route.event)
    path = {name: owners[("path", name)].ids[name] for (where, name) in owners if where == "path"}
    kwargs: dict[str, Any] = {"path": path}
    query = dict(event.get("queryStringParameters") or {})
    for (where, name), firm in owners.items():
        if where == "query":
            query[name] = firm.ids[name]
    if query:
        kwargs["query"] = query
    body_ids = {name: firm.ids[name] for (where, name), firm in owners.items() if where == "body"}
    if body_ids:
        kwargs["body"] = {**json.loads(event["body"]), **body_ids}
    return caller.staff.call(route.function, route.event, **kwargs)


# ------------------------------------------------------------------------- tests


@pytest.mark.parametrize("route", [r for r in ROUTES if id_slots(r)], ids=str)
def test_another_firms_ids_are_404_and_change_nothing(firms, route: Route) -> None:
    a, b = firms
    slots = id_slots(route)
    variants = [dict.fromkeys(slots, b)]
    if len(slots) > 1:  # and each id alone from B, beside A's own
        variants += [{s: (b if s == alone else a) for s in slots} for alone in slots]
    before = table_items()

    for owners in variants:
        answer = request(route, a, owners)

        mixed = {f"{w}:{n}": ("B" if f is b else "A") for (w, n), f in owners.items()}
        assert answer.status == 404, (mixed, answer.body)
        assert answer.body["error"]["code"], answer.body
        assert not leaked(answer.body, b)
        assert table_items() == before, mixed

    b_before = items_of(b)
    control = request(route, a, dict.fromkeys(slots, a))

    assert control.status != 404 and control.status < 500, control.body
    assert not leaked(control.body, b), control.body
    assert items_of(b) == b_before


@pytest.mark.parametrize("route", [r for r in ROUTES if not id_slots(r)], ids=str)
def test_routes_without_ids_show_and_touch_nothing_of_another_firm(firms, route: Route) -> None:
    a, b = firms
    b_before = items_of(b)

    answer = request(route, a, {})

    assert answer.status < 400 or NOTHING_TO_DO.get(route.key) == answer.status, answer.body
    assert not leaked(answer.body, b), answer.body
    assert items_of(b) == b_before


# routes whose set-up leaves them nothing to do: they answer so, and still run
NOTHING_TO_DO = {"POST /v1/firm/verification": 409}  # the firms are verified already


def test_the_firm_audit_trail_shows_nothing_of_another_firm(firms) -> None:
    a, b = firms

    answer = a.staff.call("access_api", "Audit", query={})

    assert answer.status == 200, answer.body
    assert answer.body["items"]  # A's own firm-level entries are there
    assert not leaked(answer.body, b)


@pytest.mark.parametrize("route_event", ["CreateContact", "AddEmail"])
def test_another_firms_email_field_cannot_be_used(firms, route_event: str) -> None:
    a, b = firms
    email = {"address": "new@a.example", "field_id": b.ids["field_id"]}
    before = table_items()

    if route_event == "CreateContact":
        answer = a.staff.call(
            "directory_api", "CreateContact", body={"first_name": "New", "emails": [email]}
        )
    else:
        answer = a.staff.call(
            "directory_api", "AddEmail", path={"contact_id": a.ids["contact_id"]}, body=email
        )

    assert answer.status in (404, 422), answer.body
    assert not leaked(answer.body, b)
    assert table_items() == before


def test_a_cursor_cannot_lead_into_another_firm(firms) -> None:
    a, b = firms
    for n in range(3):
        b.staff.account(f"B account {n}")
    page = b.staff.call("directory_api", "ListAccounts")
    # a cursor pointing into B's partition, as B's own paging would produce it
    cursor = paging.encode(
        {
            "pk": {"S": keys.firm(b.staff.firm_id)},
            "sk": {"S": f"ACCOUNT#{page.body['items'][0]['account_id']}"},
        }
    )

    answer = a.staff.call("directory_api", "ListAccounts", query={"cursor": cursor})

    assert answer.status == 422, answer.body
    assert not leaked(answer.body, b)
