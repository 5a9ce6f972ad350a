"""What every function does once when it starts: read settings, bind the table."""

from __future__ import annotations

from crm.settings import Settings, get_settings
from crm.storage import table


def start() -> Settings:
    settings = get_settings()
    table.connect(settings)
    return settings
