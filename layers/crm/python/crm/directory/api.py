"""HTTP routes: accounts, email fields, contacts, their addresses, import, links."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.directory import (
    Account,
    AccountPage,
    AccountSort,
    Contact,
    ContactDetail,
    ContactEmail,
    ContactPage,
    EmailField,
)
from crm.directory.models import (
    ChangeContact,
    ChangeEmail,
    CreateAccount,
    CreateContact,
    CreateEmailField,
    EmailFieldPage,
    EmailInput,
    ImportResult,
    Link,
    LinkContact,
)
from crm.directory.service import DirectoryService
from crm.errors import BadRequest
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import created, no_content

router = APIGatewayHttpRouter()
ACCOUNTS = ["Accounts"]
CONTACTS = ["Contacts"]
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")


_service = Bound[DirectoryService]("crm.directory.api")
use = _service.use


@router.post("/v1/accounts", summary="Create an account", tags=ACCOUNTS)
def create_account(body: CreateAccount) -> Response[Account]:
    return created(_service().create_account(current_staff(router), body))


@router.get(
    "/v1/accounts",
    summary="List the firm's accounts",
    description=(
        "`q` keeps the accounts whose name holds it (any case); `sort` orders them by "
        "`name` (the default) or `created_at`, a leading `-` for descending. A page may "
        "hold fewer than `limit` items; `next_cursor` is null only at the end. "
        "`nobody_notified=true` keeps the accounts where no address has NOTIFY on "
        "(nobody would receive their invoices); `false` the others."
    ),
    tags=ACCOUNTS,
)
def list_accounts(
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    q: Annotated[str, Query(max_length=100, description="Part of the name, any case.")] = "",
    sort: Annotated[
        AccountSort, Query(description="name, -name, created_at, -created_at")
    ] = "name",
    nobody_notified: Annotated[
        bool | None, Query(description="true: only accounts where no address has NOTIFY on")
    ] = None,
) -> AccountPage:
    return _service().list_accounts(current_staff(router), cursor, limit, q, sort, nobody_notified)


@router.get("/v1/accounts/<account_id>", summary="One account", tags=ACCOUNTS)
def get_account(account_id: str) -> Account:
    return _service().get_account(current_staff(router), account_id)


@router.get("/v1/email-fields", summary="The firm's email fields", tags=CONTACTS)
def list_fields(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> EmailFieldPage:
    return _service().list_fields(current_staff(router), cursor, limit)


@router.post("/v1/email-fields", summary="Add an email field", tags=CONTACTS)
def create_field(body: CreateEmailField) -> Response[EmailField]:
    return created(_service().create_field(current_staff(router), body))


@router.get(
    "/v1/contacts",
    summary="List the firm's contacts, by last name then first name",
    description="`q` keeps the contacts whose name or any address holds it (any case).",
    tags=CONTACTS,
)
def list_contacts(
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    q: Annotated[
        str, Query(max_length=100, description="Part of a name or an address, any case.")
    ] = "",
) -> ContactPage:
    return _service().list_contacts(current_staff(router), cursor, limit, q)


@router.post("/v1/contacts", summary="Create a contact", tags=CONTACTS)
def create_contact(body: CreateContact) -> Response[Contact]:
    return created(_service().create_contact(current_staff(router), body))


@router.post(
    "/v1/contacts/import",
    summary="Import contacts from CSV (text/csv body)",
    description=(
        "Columns: first_name, last_name, email, then one column per email field label. "
        "Good rows are kept; bad rows are reported with their spreadsheet row number."
    ),
    tags=CONTACTS,
)
def import_contacts() -> ImportResult:
    event = router.current_event
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in CSV_TYPES:
        raise BadRequest("Send the contacts as a CSV body with Content-Type: text/csv.")
    words = reader(event.headers)  # the page's language, as its errors
    return _service().import_contacts(current_staff(router), event.decoded_body or "", words)


@router.get("/v1/contacts/<contact_id>", summary="One contact", tags=CONTACTS)
def get_contact(contact_id: str) -> ContactDetail:
    return _service().get_contact(current_staff(router), contact_id)


@router.patch(
    "/v1/contacts/<contact_id>",
    summary="Change a contact's names or language",
    description=(
        "Any of `first_name`, `last_name`, `language` (`en`, `nl`, or null for the "
        "firm's); a field left out keeps its value. Emails to the contact follow its language."
    ),
    tags=CONTACTS,
)
def change_contact(contact_id: str, body: ChangeContact) -> ContactDetail:
    return _service().change_contact(current_staff(router), contact_id, body)


@router.post("/v1/contacts/<contact_id>/emails", summary="Add an address", tags=CONTACTS)
def add_email(contact_id: str, body: EmailInput) -> Response[ContactEmail]:
    return created(_service().add_email(current_staff(router), contact_id, body))


@router.patch(
    "/v1/contacts/<contact_id>/emails/<email_id>",
    summary="Change an address",
    description=(
        "A pending invitation to the old address stops working at once. An active user "
        "keeps access: the old address moves to the account's unlinked_emails."
    ),
    tags=CONTACTS,
)
def change_email(contact_id: str, email_id: str, body: ChangeEmail) -> ContactEmail:
    return _service().change_email(current_staff(router), contact_id, email_id, body)


@router.delete(
    "/v1/contacts/<contact_id>/emails/<email_id>", summary="Remove an address", tags=CONTACTS
)
def remove_email(contact_id: str, email_id: str) -> Response[None]:
    _service().remove_email(current_staff(router), contact_id, email_id)
    return no_content()


@router.post("/v1/accounts/<account_id>/contacts", summary="Link a contact", tags=ACCOUNTS)
def link_contact(account_id: str, body: LinkContact) -> Response[Link]:
    return created(_service().link(current_staff(router), account_id, body))


@router.delete(
    "/v1/accounts/<account_id>/contacts/<contact_id>", summary="Unlink a contact", tags=ACCOUNTS
)
def unlink_contact(account_id: str, contact_id: str) -> Response[None]:
    _service().unlink(current_staff(router), account_id, contact_id)
    return no_content()
