"""Logger, Metrics and Tracer, shared by every function.

The service name and namespace come from POWERTOOLS_SERVICE_NAME and
POWERTOOLS_METRICS_NAMESPACE in the template's Globals. The Tracer is made on demand:
it loads the X-Ray SDK (about 250 ms of cold start), so the HTTP functions, where a
person waits, rely on Lambda's own active tracing and only the background functions
(event consumers, schedules) trace their AWS calls (docs/decisions.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger, Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

logger = Logger()
metrics = Metrics()


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    return Tracer()
