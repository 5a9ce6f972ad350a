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
    mailbox_secret_prefix: str = "crm/mailbox/"  # noqa: S105 - a name prefix (+ firm id)
    link_secret_arn: str = ""
    mail_configuration_set: str = ""
    notifications_dead_letter_queue_url: str = ""

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
