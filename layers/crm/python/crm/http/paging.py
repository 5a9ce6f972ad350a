"""The query parameters every staff list takes: `limit` (1 to 100, default 50) and the
`cursor` of the page before (its `next_cursor`). Anything else is a 422 in the contract's
shape, naming the parameter."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

DEFAULT_LIMIT = 50

Limit = Annotated[
    int, Query(ge=1, le=100, description="How many items a page holds at most (1 to 100).")
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=2000,
        description="The `next_cursor` of the page before; leave out for the first.",
    ),
]
