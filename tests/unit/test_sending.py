"""crm.firms.sending: who a firm may email, and how many emails a day (issue 9, 2)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from moto.core.botocore_stubber import BotocoreStubber

from crm import clock, runtime
from crm.core.firms import FirmStanding
from crm.errors import FirmNotVerified, SendingQuotaReached
from crm.limits.sending import DailyLimits, Sending, may_email, seconds_to_midnight
from crm.settings import Settings
from tests.unit.conftest import Api, table_items

OWNER = "Owner@Firm.Example"


def standing(verified: bool, owner: str | None = OWNER, firm_id: str = "frm_x") -> FirmStanding:
    return FirmStanding(firm_id=firm_id, name="Ledger & Co", verified=verified, owner_email=owner)


# ------------------------------------------------------------------- who


def test_a_verified_firm_may_email_anyone() -> None:
    assert may_email(standing(True), ["ann@client.example", "bob@client.example"])


def test_an_unverified_firm_may_email_its_owner_only_whatever_the_case() -> None:
    assert may_email(standing(False), ["owner@firm.example"])
    assert not may_email(standing(False), ["ann@client.example"])
    assert not may_email(standing(False), ["owner@firm.example", "ann@client.example"])


def test_an_unverified_firm_without_a_known_owner_emails_nobody() -> None:
    assert not may_email(standing(False, owner=None), ["owner@firm.example"])


def test_the_limits_are_lower_before_verification_and_come_from_settings() -> None:
    limits = DailyLimits(unverified=20, verified=2000)

    assert limits.of(standing(False)) == 20
    assert limits.of(standing(True)) == 2000
    defaults = Settings.model_fields
    unverified: int = defaults["daily_send_limit_unverified"].default
    verified: int = defaults["daily_send_limit_verified"].default
    assert unverified < verified


def test_the_limits_are_read_from_the_environment_the_template_sets() -> None:
    from tests.unit.test_settings import env

    settings = Settings.from_env(
        env(DAILY_SEND_LIMIT_UNVERIFIED="5", DAILY_SEND_LIMIT_VERIFIED="50")
    )

    assert DailyLimits.from_settings(settings) == DailyLimits(unverified=5, verified=50)
    with pytest.raises(ValueError):
        Settings.from_env(env(DAILY_SEND_LIMIT_VERIFIED="0"))


def test_the_quota_renews_at_midnight_utc() -> None:
    moment = clock.parse("2026-12-01T23:59:00Z")

    assert seconds_to_midnight(moment) == 60


# ------------------------------------------------------------ how many (DynamoDB)


@pytest.fixture
def firm(api: Api) -> str:
    """A verified firm: its confirmation email is already counted today."""
    return api.new_firm().firm_id


def sending(verified: int = 5, unverified: int = 2) -> Sending:
    runtime.start()
    return Sending(DailyLimits(unverified=unverified, verified=verified))


def sending_items(firm_id: str) -> list[dict[str, Any]]:
    return [
        i for i in table_items() if i["pk"]["S"] == f"FIRM#{firm_id}" and "SENDING#" in i["sk"]["S"]
    ]


def test_a_permit_is_counted_on_the_firms_item_of_the_utc_day_with_a_ttl(firm: str) -> None:
    rule = sending()

    rule.permit(firm, ["ann@client.example", "bob@client.example"])

    [item] = sending_items(firm)
    assert item["sk"]["S"] == f"SENDING#{clock.now().date().isoformat()}"
    assert int(item["hits"]["N"]) == 3  # the confirmation email, then two
    assert int(item["ttl"]["N"]) > clock.now().timestamp() + 24 * 3600


def test_past_the_daily_limit_a_permit_is_refused_with_the_time_to_wait(firm: str) -> None:
    rule = sending(verified=3)
    rule.permit(firm, ["ann@client.example", "bob@client.example"])

    with pytest.raises(SendingQuotaReached) as refused:
        rule.permit(firm, ["carl@client.example"])

    assert refused.value.status == 429 and refused.value.code == "sending_quota_reached"
    assert 0 < (refused.value.retry_after or 0) <= 24 * 3600
    assert int(sending_items(firm)[0]["hits"]["N"]) == 3  # the refused one is not counted


def test_a_permit_given_back_makes_room_again(firm: str) -> None:
    rule = sending(verified=2)
    permit = rule.permit(firm, ["ann@client.example"])

    rule.release(permit)

    rule.permit(firm, ["bob@client.example"])


def test_the_next_utc_day_starts_from_zero(firm: str) -> None:
    rule = sending(verified=2)
    rule.permit(firm, ["ann@client.example"])
    with pytest.raises(SendingQuotaReached):
        rule.permit(firm, ["bob@client.example"])

    clock.advance(24 * 3600)

    rule.permit(firm, ["bob@client.example"])
    assert len(sending_items(firm)) == 2


def test_an_unverified_firm_is_refused_for_anyone_but_its_owner(api: Api) -> None:
    owner = api.new_firm("owner@firm.example", verified=False)
    rule = sending()

    with pytest.raises(FirmNotVerified) as refused:
        rule.permit(owner.firm_id, ["ann@client.example"])

    assert refused.value.status == 403 and refused.value.code == "firm_not_verified"
    rule.permit(owner.firm_id, ["OWNER@firm.example"])  # its owner: yes (within 2 a day)
    with pytest.raises(SendingQuotaReached):
        rule.permit(owner.firm_id, ["owner@firm.example"])  # the lower, unverified limit


def test_the_fan_out_reserves_what_is_left_and_no_more(firm: str) -> None:
    rule = sending(verified=5)
    firm_standing = rule.standing(firm)

    first = rule.reserve_up_to(firm_standing, 3)
    second = rule.reserve_up_to(firm_standing, 3)
    third = rule.reserve_up_to(firm_standing, 3)

    assert (first.count, second.count, third.count) == (3, 1, 0)


def test_concurrent_senders_never_pass_the_limit(firm: str, monkeypatch) -> None:
    lock = threading.Lock()  # DynamoDB answers each request atomically; moto needs help
    handle = BotocoreStubber.__call__
    monkeypatch.setattr(
        BotocoreStubber, "__call__", lambda self, *a, **k: _locked(lock, handle, self, *a, **k)
    )
    rule = sending(verified=11)  # 10 left after the confirmation email
    start = threading.Barrier(30)

    def send(n: int) -> bool:
        start.wait()
        try:
            rule.permit(firm, [f"p{n}@client.example"])
        except SendingQuotaReached:
            return False
        return True

    with ThreadPoolExecutor(max_workers=30) as pool:
        granted = sum(pool.map(send, range(30)))

    assert granted == 10
    assert int(sending_items(firm)[0]["hits"]["N"]) == 11


def _locked(lock: threading.Lock, handle: Any, *args: Any, **kwargs: Any) -> Any:
    with lock:
        return handle(*args, **kwargs)


def test_a_notice_to_one_address_goes_at_most_once_an_hour(api: Api) -> None:
    rule = sending()

    first = rule.notice_allowed("ann@firm.example", "firm_signup")
    again = rule.notice_allowed("ANN@firm.example", "firm_signup")
    other = rule.notice_allowed("bob@firm.example", "firm_signup")
    clock.advance(timedelta(hours=1, seconds=1).total_seconds())
    later = rule.notice_allowed("ann@firm.example", "firm_signup")

    assert (first, again, other, later) == (True, False, True, True)
