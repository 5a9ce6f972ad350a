"""Throttles (crm.throttle): wrong passwords per address and per client address, and
invitation emails per recipient, counted in fixed windows in DynamoDB; over the limit a
429 `rate_limited` with Retry-After (issue 9, section 3)."""

from __future__ import annotations

from typing import Any

import pytest

from crm import clock, runtime
from crm.errors import InvalidCredentials, RateLimited
from crm.limits import throttle
from crm.settings import get_settings
from crm.storage import counters
from tests.support import Answer, http_event, invoke
from tests.unit.conftest import PASSWORD, Api, Staff, table_items

WINDOW = 15 * 60
CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"


@pytest.fixture
def table(aws: dict[str, str]) -> None:
    runtime.start()


@pytest.fixture
def settings_of(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Change a setting for the rest of the test (the throttle reads them per request)."""

    def change(**values: Any) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), str(value))
        get_settings.cache_clear()

    return change


def from_client(api: Api, function: str, route: str, client: str, **request: Any) -> Answer:
    event = http_event(function, route, **request)
    event["requestContext"]["http"]["sourceIp"] = client
    return invoke(api.module(function), event)


def staff_login(api: Api, email: str, password: str, client: str = CLIENT) -> Answer:
    body = {"email": email, "password": password}
    return from_client(api, "firms_api", "StaffLogin", client, body=body)


def portal_login(api: Api, email: str, password: str, client: str = CLIENT) -> Answer:
    body = {"email": email, "password": password}
    return from_client(api, "portal_api", "PortalLogin", client, body=body)


def assert_throttled(answer: Answer, within: int = WINDOW) -> None:
    assert answer.status == 429, answer.body
    assert answer.body["error"]["code"] == "rate_limited"
    assert set(answer.body["error"]) == {"code", "message"}
    assert 1 <= int(answer.headers["Retry-After"]) <= within


def start_of_window(seconds: int = WINDOW) -> None:
    """Move the product's clock to the start of a window: a test's steps stay in one."""
    now = int(clock.now().timestamp())
    clock.advance(seconds - now % seconds)


# -------------------------------------------------------------- the counters


def test_a_counter_takes_up_to_its_limit_then_refuses_until_the_next_window(table) -> None:
    assert [counters.take("t#a", 0, 3, 99) for _ in range(4)] == [True, True, True, False]
    assert counters.count("t#a", 0) == 3
    assert counters.take("t#a", 60, 3, 99)  # another window, another item
    assert counters.count("t#b", 0) == 0


def test_giving_back_uncounts_and_the_last_one_leaves_no_item(table) -> None:
    before = table_items()
    counters.take("t#a", 0, 3, 99)
    counters.take("t#a", 0, 3, 99)

    counters.give_back("t#a", 0)
    assert counters.count("t#a", 0) == 1
    counters.give_back("t#a", 0)
    counters.give_back("t#a", 0)  # never below zero

    assert counters.count("t#a", 0) == 0
    assert table_items() == before


def test_clearing_forgets_the_window(table) -> None:
    counters.take("t#a", 0, 3, 99)
    counters.clear("t#a", 0)
    counters.clear("t#a", 0)

    assert counters.count("t#a", 0) == 0


# ------------------------------------------------------------------ the rule

LIMIT = throttle.Limit("test_address", 3, WINDOW, clear_on_success=True)
CLIENTS = throttle.Limit("test_client", 10, WINDOW)


def attempt(outcome: BaseException | None) -> None:
    with throttle.password_attempt([(LIMIT, "ann@client.example"), (CLIENTS, CLIENT)]):
        if outcome is not None:
            raise outcome


def counts() -> tuple[int, int]:
    start, _ = LIMIT.window()
    return (
        counters.count(LIMIT.counter("ann@client.example"), start),
        counters.count(CLIENTS.counter(CLIENT), start),
    )


def test_wrong_passwords_count_and_the_next_attempt_is_refused_with_the_time_left(table) -> None:
    start_of_window()
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            attempt(InvalidCredentials())
    clock.advance(100)

    with pytest.raises(RateLimited) as refused:
        attempt(None)  # even the right password: a guess must not be confirmed

    assert WINDOW - 110 <= (refused.value.retry_after or 0) <= WINDOW - 100  # real time runs on
    assert counts() == (3, 3)  # the refused attempt took nothing


def test_a_right_password_clears_the_address_and_does_not_count_for_the_client(table) -> None:
    start_of_window()
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            attempt(InvalidCredentials())

    attempt(None)

    assert counts() == (0, 2)


def test_an_attempt_that_fails_otherwise_counts_nothing(table) -> None:
    with pytest.raises(RuntimeError):
        attempt(RuntimeError("Cognito is down"))

    assert counts() == (0, 0)


def test_after_the_window_the_address_may_try_again(table) -> None:
    start_of_window()
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            attempt(InvalidCredentials())

    clock.advance(WINDOW)

    attempt(None)


def test_a_full_client_counter_refuses_any_address_and_gives_back_the_address_place(
    table,
) -> None:
    start_of_window()
    for n in range(10):
        with (
            pytest.raises(InvalidCredentials),
            throttle.password_attempt([(LIMIT, f"user{n}@client.example"), (CLIENTS, CLIENT)]),
        ):
            raise InvalidCredentials()

    with (
        pytest.raises(RateLimited),
        throttle.password_attempt([(LIMIT, "new@client.example"), (CLIENTS, CLIENT)]),
    ):
        pass

    start, _ = LIMIT.window()
    assert counters.count(LIMIT.counter("new@client.example"), start) == 0


@pytest.mark.parametrize(
    ("source", "counted_as"),
    [
        ("203.0.113.10", "203.0.113.10"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.10", "203.0.113.10"),
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_a_client_is_counted_by_its_address_and_an_ipv6_client_by_its_64(
    source: str, counted_as: str
) -> None:
    assert throttle.client_key(source) == counted_as


def test_an_address_is_counted_whatever_its_case_and_never_stored(table) -> None:
    start_of_window()
    for address in ("Ann@Client.example", "ann@client.EXAMPLE ", "ANN@CLIENT.EXAMPLE"):
        with pytest.raises(InvalidCredentials), throttle.staff_login(address, CLIENT):
            raise InvalidCredentials()

    found = [i for i in table_items() if i["pk"]["S"].startswith("THROTTLE#")]
    assert sorted(int(i["hits"]["N"]) for i in found) == [3, 3]  # one address, one client
    assert "ann@client.example" not in repr(found).lower()


# -------------------------------------------------------------- over the API


def test_the_sixth_wrong_staff_login_for_one_address_is_429_with_retry_after(
    api: Api, owner: Staff
) -> None:
    start_of_window()
    wrong = [staff_login(api, "owner@firm.example", "wrong password") for _ in range(5)]

    sixth = staff_login(api, "owner@firm.example", "wrong password")
    right = staff_login(api, "owner@firm.example", PASSWORD)

    assert [a.status for a in wrong] == [401] * 5
    assert_throttled(sixth)
    assert_throttled(right)  # locked for everyone until the window ends...
    assert staff_login(api, "other@firm.example", "wrong password").status == 401
    clock.advance(WINDOW)
    assert staff_login(api, "owner@firm.example", PASSWORD).status == 200  # ... and no longer


def test_a_successful_staff_login_starts_the_count_afresh(api: Api, owner: Staff) -> None:
    start_of_window()
    for _ in range(4):
        assert staff_login(api, "owner@firm.example", "wrong password").status == 401
    assert staff_login(api, "owner@firm.example", PASSWORD).status == 200

    again = [staff_login(api, "owner@firm.example", "wrong password") for _ in range(5)]

    assert [a.status for a in again] == [401] * 5


def test_the_sixth_wrong_portal_login_for_one_address_is_429(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@client.example")
    owner.link(account_id, contact["contact_id"])
    address = owner.activate(account_id, contact["emails"][0]["email_id"])
    start_of_window()

    wrong = [portal_login(api, address, "wrong password") for _ in range(5)]
    sixth = portal_login(api, address, PASSWORD)

    assert [a.status for a in wrong] == [401] * 5
    assert_throttled(sixth)
    assert staff_login(api, address, "wrong password").status == 401  # the staff pool apart
    clock.advance(WINDOW)
    assert portal_login(api, address, PASSWORD).status == 200


def test_wrong_passwords_from_one_client_are_limited_across_addresses(
    api: Api, aws, settings_of
) -> None:
    settings_of(throttle_client_failures=4)
    start_of_window()

    wrong = [staff_login(api, f"user{n}@firm.example", "x") for n in range(4)]
    wrong.append(portal_login(api, "someone@client.example", "x"))
    elsewhere = staff_login(api, "user9@firm.example", "x", client=OTHER_CLIENT)

    assert [a.status for a in wrong[:4]] == [401] * 4
    assert_throttled(wrong[4])
    assert elsewhere.status == 401


def test_wrong_current_passwords_on_invitations_are_limited_per_client(
    api: Api, owner: Staff, settings_of
) -> None:
    """An existing portal user accepting another account gives their current password;
    guesses are limited per client across invitations (each invitation also locks itself
    after five)."""
    first = owner.account("First")
    contact = owner.contact("ann@client.example")
    owner.link(first, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    owner.activate(first, email_id)
    tokens = []
    for name in ("Second", "Third"):
        account_id = owner.account(name)
        owner.link(account_id, contact["contact_id"])
        tokens.append(owner.send_invitation(account_id, email_id))
    settings_of(throttle_client_failures=4)
    start_of_window()

    def accept(token: str, password: str) -> Answer:
        body = {"password": password}
        path = {"token": token}
        return from_client(api, "invitations_api", "AcceptInvitation", CLIENT, path=path, body=body)

    wrong = [accept(tokens[n % 2], "wrong password") for n in range(4)]
    fifth = accept(tokens[1], PASSWORD)

    assert [a.status for a in wrong] == [401] * 4
    assert_throttled(fifth)
    clock.advance(WINDOW)
    assert accept(tokens[1], PASSWORD).status == 200


def test_a_staff_invitation_to_one_address_is_sent_a_few_times_at_most(
    api: Api, owner: Staff
) -> None:
    """The address is staff at another firm: each invitation answers 201 alike (its email
    is a notice there), and past a few in ten minutes, 429."""
    other = api.new_firm("owner@other-firm.example", "Other & Co")
    start_of_window(10 * 60)

    answers = [other.invite_staff("owner@firm.example") for _ in range(5)]

    assert [a.status for a in answers[:3]] == [201] * 3
    assert_throttled(answers[3], within=10 * 60)
    assert_throttled(answers[4], within=10 * 60)
    assert other.invite_staff("clerk@other-firm.example").status == 201
    clock.advance(10 * 60)
    assert other.invite_staff("owner@firm.example").status == 201


def test_a_refused_staff_invitation_counts_nothing(owner: Staff) -> None:
    """Already invited here: a 409 that sends nothing, however often; the count is given
    back and the table is as before."""
    assert owner.invite_staff("new.clerk@firm.example").status == 201
    before = table_items()

    answers = [owner.invite_staff("new.clerk@firm.example") for _ in range(5)]

    assert [a.status for a in answers] == [409] * 5
    assert table_items() == before


def test_a_client_invitation_is_sent_again_a_few_times_at_most(owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@client.example")
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    path = {"account_id": account_id, "email_id": email_id}
    start_of_window(10 * 60)

    first = owner.toggle(account_id, email_id, login=True, send_invitation=True)
    again = [owner.call("access_api", "SendInvitation", path=path) for _ in range(3)]

    assert first.status == 200, first.body
    assert [a.status for a in again[:2]] == [202, 202]
    assert_throttled(again[2], within=10 * 60)
    assert owner.row(account_id, email_id)["login_status"] == "invited"
    clock.advance(10 * 60)
    assert owner.call("access_api", "SendInvitation", path=path).status == 202
