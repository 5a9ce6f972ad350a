"""The firm's `language` (API.md, firm settings: `en` or `nl`, default `en`): the
language of emails to a client whose contact has none of its own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import Staff, table_items


def settings(staff: Staff, **body: Any):
    if body:
        return staff.call("firms_api", "UpdateSettings", body=body)
    return staff.call("firms_api", "GetSettings")


def test_a_new_firm_writes_english(owner: Staff) -> None:
    assert settings(owner).body["language"] == "en"


def test_the_owner_sets_dutch_and_it_stays(owner: Staff) -> None:
    answer = settings(owner, language="nl")

    assert answer.status == 200, answer.body
    assert answer.body["language"] == "nl"
    assert settings(owner).body["language"] == "nl"
    trail = owner.call("access_api", "Audit", query={}).body["items"]
    entry = next(e for e in trail if e["action"] == "settings_changed")
    assert entry["details"]["language"] == {"from": "en", "to": "nl"}


@pytest.mark.parametrize("value", ["de", "NL", None, 1])
def test_another_language_is_422_and_changes_nothing(owner: Staff, value: Any) -> None:
    before = table_items()

    answer = settings(owner, language=value)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == ["language"]
    assert table_items() == before


def test_an_employee_may_not_change_the_language(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    answer = settings(employee, language="nl")

    assert answer.status == 403, answer.body
    assert settings(owner).body["language"] == "en"
