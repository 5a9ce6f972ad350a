"""The firm's mailbox, Inbox+, an account's email tab and documents, messages, replies.

Only PUT /v1/firm/mailbox speaks IMAP and only a reply composes mail: each loads its
stack when it runs, so the reading routes start without them.
"""

from functools import cache
from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.documents import api as documents_api
from crm.documents.service import DocumentService
from crm.http.resolver import build_resolver
from crm.integrations.files import FileStore
from crm.integrations.queue import WorkQueue
from crm.integrations.secrets import SecretStore
from crm.observability import logger
from crm.sync import api
from crm.sync.service import MailboxService

if TYPE_CHECKING:
    from crm.integrations.mailer import Mailer

settings = runtime.start()
files = FileStore(settings.documents_bucket)


@cache
def mailer() -> "Mailer":
    from crm.integrations.mailer import Mailer

    return Mailer(settings.mail_from_address, configuration_set=settings.mail_configuration_set)


api.use(
    MailboxService(
        secrets=SecretStore(),
        files=files,
        mailer=mailer,
        secret_prefix=settings.mailbox_secret_prefix,
        region=settings.aws_region,
        allow_loopback=settings.mailbox_allow_loopback,
        queue=WorkQueue(settings.sync_queue_url),
    )
)
documents_api.use(DocumentService(files))
app = build_resolver()
app.include_router(api.router)
app.include_router(documents_api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
