"""Fixtures every test package may use."""

import os
from pathlib import Path
from typing import Any

from local.template import load_template
from tests.sync_fixtures import dovecot, imap_user

# What Lambda sets before a function's code is imported: Powertools reads its service
# name and metrics namespace when crm.observability makes the Logger and Metrics, which
# happens at the first import of the layer, before any fixture could set them.
_GLOBALS = load_template(Path(__file__).resolve().parent.parent / "template.yaml")["Globals"]
for _name in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"):
    os.environ.setdefault(_name, str(_GLOBALS["Function"]["Environment"]["Variables"][_name]))

__all__ = ["dovecot", "imap_user"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests schemathesis sent (tests/integration/test_schema_fuzz.py), from
    the reports' user properties, so the count shows with or without -s or xdist."""
    cases = [
        int(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "schemathesis_cases"
    ]
    if cases:  # one count per operation's test
        terminalreporter.write_sep(
            "-", f"schemathesis: {sum(cases)} cases sent to {len(cases)} operations"
        )
