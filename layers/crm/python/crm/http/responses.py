"""Answers with a status other than 200."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel


def created[M: BaseModel](model: M) -> Response[M]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=model)


def accepted[M: BaseModel](model: M) -> Response[M]:
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=model)


def no_content() -> Response[None]:
    return Response(status_code=204, body=None)
