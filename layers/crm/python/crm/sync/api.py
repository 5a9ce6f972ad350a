"""HTTP routes: the firm's mailbox and its health, Inbox+, an account's email tab, a
message, a thread, and replying."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.mail import MessagePage
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.responses import accepted
from crm.sync.models import (
    Mailbox,
    MailboxSettings,
    MailboxState,
    MailboxTest,
    Message,
    ReconciliationQueued,
    Reply,
    ReplySent,
)
from crm.sync.service import MailboxService

router = APIGatewayHttpRouter()
TAGS = ["Email sync"]
Cursor = Annotated[str | None, Query(max_length=2000)]
Limit = Annotated[int, Query(ge=1, le=100)]


service = Bound[MailboxService]("crm.sync.api")
use = service.use


@router.put(
    "/v1/firm/mailbox",
    summary="Connect the firm's mailbox (checks the connection and the login first)",
    description=(
        "422 `mailbox_unreachable` or `mailbox_login_refused` with a clear message when "
        "the server cannot be reached or refuses the login; nothing is saved then. The "
        "password goes to Secrets Manager and is never returned."
    ),
    tags=TAGS,
)
def put_mailbox(body: MailboxSettings) -> Mailbox:
    return service().save(current_staff(router), body)


@router.post(
    "/v1/firm/mailbox/test",
    summary="Try the mailbox's connection and login, saving nothing (owner, admin)",
    description=(
        "The same body as PUT /v1/firm/mailbox, tried exactly as PUT tries it: 200 "
        "`{ok: true, folders}` when the login works, else the same 422s "
        "(`mailbox_unreachable`, `mailbox_login_refused`, a refused host or security). "
        "Nothing is saved, not even on success."
    ),
    tags=TAGS,
)
def test_mailbox(body: MailboxSettings) -> MailboxTest:
    return service().test(current_staff(router), body)


@router.get(
    "/v1/firm/mailbox",
    summary="The firm's mailbox, the sync's health (last sync, status, last error) and history jobs",
    tags=TAGS,
)
def get_mailbox() -> MailboxState:
    return service().state(current_staff(router))


@router.post(
    "/v1/firm/mailbox/reconcile",
    summary="Compare the server's mail with what is stored, now (owner or admin)",
    description=(
        "The sync also does it daily. A worker takes it with the firm's next run; when "
        "done, GET /v1/firm/mailbox shows `reconciled_at`, `missing` (0 when the mailbox "
        "was whole) and `refetched` (the ids fetched again). 404 `no_mailbox` when no "
        "mailbox is connected."
    ),
    tags=TAGS,
)
def reconcile_mailbox() -> Response[ReconciliationQueued]:
    return accepted(service().request_reconciliation(current_staff(router)))


@router.get("/v1/inbox", summary="Inbox+: the firm's synced mail, newest first", tags=TAGS)
def inbox(cursor: Cursor = None, limit: Limit = 50) -> MessagePage:
    return service().inbox(current_staff(router), cursor, limit)


@router.get(
    "/v1/accounts/<account_id>/messages",
    summary="The account's email tab, newest first",
    tags=TAGS,
)
def account_messages(account_id: str, cursor: Cursor = None, limit: Limit = 50) -> MessagePage:
    return service().account_messages(current_staff(router), account_id, cursor, limit)


@router.get(
    "/v1/messages/<message_id>",
    summary="A message in full: text, sanitised HTML, attachments, thread",
    tags=TAGS,
)
def message(message_id: str) -> Message:
    return service().message(current_staff(router), message_id)


@router.get("/v1/threads/<thread_id>", summary="The messages of a thread, oldest first", tags=TAGS)
def thread(thread_id: str, cursor: Cursor = None, limit: Limit = 50) -> MessagePage:
    return service().thread(current_staff(router), thread_id, cursor, limit)


@router.post(
    "/v1/messages/<message_id>/reply",
    summary="Reply (In-Reply-To and References set); the reply joins the thread",
    tags=TAGS,
)
def reply(message_id: str, body: Reply) -> Response[ReplySent]:
    return accepted(service().reply(current_staff(router), message_id, body))
