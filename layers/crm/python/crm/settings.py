"""Settings: one Pydantic model, read from the environment once, at start-up."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field, HttpUrl


class Settings(BaseModel):
    """What every function needs to know about its surroundings (see template.yaml Globals)."""

    aws_region: str = Field(min_length=1)
    table_name: str = Field(min_length=1)
    idempotency_table_name: str = Field(min_length=1)
    staff_user_pool_id: str = Field(min_length=1)
    staff_client_id: str = Field(min_length=1)
    portal_user_pool_id: str = Field(min_length=1)
    portal_client_id: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    documents_bucket: str = ""
    mail_from_address: str = Field(min_length=3)
    public_api_url: HttpUrl
    portal_url: HttpUrl
    invitation_ttl_days: int = Field(default=7, ge=1, le=30)
    # emails a firm may send per UTC day (crm.firms.sending): before its owner's address
    # is verified (only the owner can receive mail then), and after
    daily_send_limit_unverified: int = Field(default=20, ge=1)
    daily_send_limit_verified: int = Field(default=2000, ge=1)
    mailbox_secret_prefix: str = "crm/mailbox/"  # noqa: S105 - a name prefix (+ firm id)
    link_secret_arn: str = ""
    mail_configuration_set: str = ""
    notifications_dead_letter_queue_url: str = ""
    sync_queue_url: str = ""  # the schedule hands each due firm to the workers through it
    sync_dead_letter_queue_url: str = ""  # sync requests no retry can help, with why
    sync_max_receives: int = Field(default=5, ge=1)  # tries before a request is set aside
    # Only the local stack and the tests set this, for their own Dovecot on loopback; the
    # private ranges stay refused even then (docs/decisions.md, section 24).
    mailbox_allow_loopback: bool = False
    # Throttles (crm.throttle, docs/decisions.md section 29): wrong passwords per address
    # and per client address in one window; invitation emails per recipient per firm.
    throttle_login_failures: int = Field(default=5, ge=1)
    throttle_client_failures: int = Field(default=20, ge=1)
    throttle_login_window_seconds: int = Field(default=15 * 60, ge=1)
    throttle_invitation_sends: int = Field(default=3, ge=1)
    throttle_invitation_window_seconds: int = Field(default=10 * 60, ge=1)

    @property
    def api_base(self) -> str:
        """The public API URL without a trailing slash."""
        return str(self.public_api_url).rstrip("/")

    @property
    def portal_base(self) -> str:
        return str(self.portal_url).rstrip("/")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or ""
        values: dict[str, object] = {
            name: env[name.upper()] for name in cls.model_fields if name.upper() in env
        }
        values["aws_region"] = region
        return cls.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, validated on first use and then kept."""
    return Settings.from_env()
