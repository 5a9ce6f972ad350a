"""Logger and Metrics, shared by every function.

The service name and namespace come from POWERTOOLS_SERVICE_NAME and
POWERTOOLS_METRICS_NAMESPACE in the template's Globals.

No Tracer, in any function (docs/decisions.md, section 10). Lambda's own active tracing
(the template's `Tracing: Active`) already records every invocation, its init and its
faults, without code; and the Logger stamps each line with that trace's id
(`xray_trace_id`), so the logs of an invocation join its trace. What Powertools' Tracer
would add is a subsegment per AWS call, and for that it loads the X-Ray SDK and wrapt:
150 to 300 ms of every cold start, more than `import boto3` itself. The background
functions (invite, notify, sync) gave that up too: nobody waits on them, but they are
what cold-starts most often (every burst of events, every five minutes for the sync),
and they already log the outcome of each piece of work they do.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
