"""Fixtures every test package may use."""

import os
from pathlib import Path
from typing import Any

import pytest

from local.template import load_template
from tests.sync_fixtures import dovecot, imap_user

# What Lambda sets before a function's code is imported: Powertools reads its service
# name and metrics namespace when crm.observability makes the Logger and Metrics, which
# happens at the first import of the layer, before any fixture could set them.
_GLOBALS = load_template(Path(__file__).resolve().parent.parent / "template.yaml")["Globals"]
for _name in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"):
    os.environ.setdefault(_name, str(_GLOBALS["Function"]["Environment"]["Variables"][_name]))

__all__ = ["dovecot", "imap_user"]


_FUZZ_CASES: list[int] = []  # one count per operation's test, as its reports arrive


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the cases schemathesis sent (tests/integration/test_schema_fuzz.py puts the
    count in a test's user properties at teardown). Under xdist the controller gets every
    worker's reports through this hook, so the count is the whole run's."""
    if report.when == "teardown":
        _FUZZ_CASES.extend(
            int(str(value))
            for name, value in report.user_properties
            if name == "schemathesis_cases"
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests schemathesis sent, with or without -s or xdist."""
    if _FUZZ_CASES:
        terminalreporter.write_sep(
            "-",
            f"schemathesis: {sum(_FUZZ_CASES)} cases sent to {len(_FUZZ_CASES)} operations",
        )
