"""The in-process stack every benchmark runs on: the template's resources in moto's
mock, the functions' environment, and the call counter."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from moto import mock_aws

from bench.counting import CallCounter, counting
from tests.support import build_stack

ENVIRONMENT = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "MAILBOX_ALLOW_LOOPBACK": "true",  # the bench's Dovecot listens on loopback
}


def set_environment() -> None:
    os.environ.update(ENVIRONMENT)
    os.environ.pop("AWS_ENDPOINT_URL", None)


@contextmanager
def in_process() -> Iterator[CallCounter]:
    """Fresh moto state with the template's resources; every AWS call counted."""
    set_environment()
    with mock_aws(), counting() as counter:
        os.environ.update(build_stack())
        from crm.settings import get_settings

        get_settings.cache_clear()
        yield counter
