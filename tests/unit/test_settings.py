"""crm.settings.Settings: read from the environment once, validated."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crm.settings import Settings

ENV = {
    "AWS_REGION": "eu-west-1",
    "TABLE_NAME": "crm-data",
    "IDEMPOTENCY_TABLE_NAME": "crm-idempotency",
    "STAFF_USER_POOL_ID": "eu-west-1_staff",
    "STAFF_CLIENT_ID": "staffclient",
    "PORTAL_USER_POOL_ID": "eu-west-1_portal",
    "PORTAL_CLIENT_ID": "portalclient",
    "EVENT_BUS_NAME": "crm-bus",
    "MAIL_FROM_ADDRESS": "no-reply@example.com",
    "PUBLIC_API_URL": "https://api.example.com/",
    "PORTAL_URL": "https://portal.example.com",
    "INVITATION_TTL_DAYS": "7",
}


def env(**changes: str | None) -> dict[str, str]:
    values = {**ENV, **changes}
    return {k: v for k, v in values.items() if v is not None}


def failing_fields(error: ValidationError) -> set[str]:
    return {str(e["loc"][0]) for e in error.errors()}


def test_a_complete_environment_is_read() -> None:
    settings = Settings.from_env(env())

    assert settings.aws_region == "eu-west-1"
    assert settings.table_name == "crm-data"
    assert settings.staff_user_pool_id == "eu-west-1_staff"
    assert settings.event_bus_name == "crm-bus"
    assert settings.invitation_ttl_days == 7
    assert settings.api_base == "https://api.example.com"
    assert settings.portal_base == "https://portal.example.com"


def test_the_environment_of_the_process_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env(TABLE_NAME="from-os-environ").items():
        monkeypatch.setenv(name, value)

    assert Settings.from_env().table_name == "from-os-environ"


@pytest.mark.parametrize(
    "name",
    [
        "TABLE_NAME",
        "IDEMPOTENCY_TABLE_NAME",
        "STAFF_USER_POOL_ID",
        "STAFF_CLIENT_ID",
        "PORTAL_USER_POOL_ID",
        "PORTAL_CLIENT_ID",
        "EVENT_BUS_NAME",
        "MAIL_FROM_ADDRESS",
        "PUBLIC_API_URL",
        "PORTAL_URL",
    ],
)
def test_a_missing_variable_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings.from_env(env(**{name: None}))

    assert failing_fields(refused.value) == {name.lower()}


@pytest.mark.parametrize("name", ["TABLE_NAME", "EVENT_BUS_NAME", "STAFF_CLIENT_ID"])
def test_an_empty_variable_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings.from_env(env(**{name: ""}))

    assert failing_fields(refused.value) == {name.lower()}


def test_the_region_comes_from_aws_region_or_aws_default_region() -> None:
    assert (
        Settings.from_env(env(AWS_REGION=None, AWS_DEFAULT_REGION="us-west-2")).aws_region
        == "us-west-2"
    )
    assert Settings.from_env(env(AWS_DEFAULT_REGION="us-west-2")).aws_region == "eu-west-1"
    with pytest.raises(ValidationError) as refused:
        Settings.from_env(env(AWS_REGION=None))
    assert failing_fields(refused.value) == {"aws_region"}


@pytest.mark.parametrize("url", ["not a url", "api.example.com", "ftp://api.example.com", ""])
@pytest.mark.parametrize("name", ["PUBLIC_API_URL", "PORTAL_URL"])
def test_a_bad_url_is_refused(name: str, url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings.from_env(env(**{name: url}))

    assert failing_fields(refused.value) == {name.lower()}


@pytest.mark.parametrize("days", ["0", "31", "-1", "seven", "7.5", ""])
def test_an_invitation_ttl_out_of_range_is_refused(days: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings.from_env(env(INVITATION_TTL_DAYS=days))

    assert failing_fields(refused.value) == {"invitation_ttl_days"}


@pytest.mark.parametrize(("days", "expected"), [("1", 1), ("30", 30), (None, 7)])
def test_an_invitation_ttl_in_range_is_kept(days: str | None, expected: int) -> None:
    assert Settings.from_env(env(INVITATION_TTL_DAYS=days)).invitation_ttl_days == expected


def test_the_template_environment_is_valid(aws: dict[str, str]) -> None:
    """What template.yaml's Globals give every function passes validation."""
    settings = Settings.from_env({**aws, "AWS_REGION": "us-east-1"})

    assert settings.portal_base == "http://127.0.0.1:3000"
    assert settings.invitation_ttl_days == 7
