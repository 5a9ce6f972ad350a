"""Fixtures every test package may use."""

from typing import Any

from tests.sync_fixtures import dovecot, imap_user

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
