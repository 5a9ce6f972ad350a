"""Answers with a status other than 200."""

from __future__ import annotations

from typing import TypeVar

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def created(model: M) -> Response[M]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=model)


def accepted(model: M) -> Response[M]:
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=model)


def no_content() -> Response[None]:
    return Response(status_code=204, body=None)
