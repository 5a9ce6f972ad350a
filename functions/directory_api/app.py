"""Accounts, email fields, contacts, their addresses, CSV import and links."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.directory import api
from crm.http.resolver import build_resolver
from crm.observability import logger, tracer

runtime.start()
app = build_resolver()
app.include_router(api.router)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
