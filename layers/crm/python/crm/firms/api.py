"""HTTP routes: firms, their verification, staff, staff login, firm settings."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.firms import FirmSettings, StaffMember
from crm.errors import NotFound
from crm.firms.models import (
    ChangeStaff,
    CreateFirm,
    FirmCreated,
    FirmVerified,
    InviteStaff,
    LoginAnswer,
    SettingsChange,
    StaffLogin,
    StaffPage,
    VerificationSent,
    VerifyFirm,
)
from crm.firms.service import FirmService
from crm.firms.verify_page import unusable_page, verify_page
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.pages import html_response
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import accepted, created
from crm.i18n import localizer
from crm.limits import throttle

router = APIGatewayHttpRouter()


service = Bound[FirmService]("crm.firms.api")
use = service.use


@router.post("/v1/firms", summary="Create a firm and its owner (public)", tags=["Firms and staff"])
def create_firm(body: CreateFirm) -> Response[FirmCreated]:
    return created(service().create_firm(body))


@router.get(
    "/verify",
    summary="The page of the owner's confirmation link (HTML); changes nothing",
    tags=["Firms and staff"],
)
def verify_page_route(token: Annotated[str, Query(max_length=300)] = "") -> Response[str]:
    browser = reader(router.current_event.headers)  # unless the owner chose a language
    try:
        shown = service().describe_verification(token)
    except NotFound:
        return html_response(404, unusable_page(browser), language=browser.tag)
    words = localizer(shown.language) if shown.language else browser
    page = verify_page(shown.firm_name, token, words)
    return html_response(200, page, script="self", language=words.tag)


@router.post(
    "/v1/firms/verify",
    summary="Confirm the owner's address with the emailed token (public)",
    tags=["Firms and staff"],
)
def verify_firm(body: VerifyFirm) -> FirmVerified:
    return service().verify(body.token)


@router.post(
    "/v1/firm/verification",
    summary="Send the owner's confirmation email again (owner; the older links stop working)",
    tags=["Firms and staff"],
)
def request_verification() -> Response[VerificationSent]:
    return accepted(service().request_verification(current_staff(router)))


@router.post("/v1/staff/login", summary="Staff login (public)", tags=["Firms and staff"])
def login(body: StaffLogin) -> LoginAnswer:
    client = router.current_event.request_context.http.source_ip
    with throttle.staff_login(body.email, client):  # 429 after too many wrong passwords
        return service().login(body)


@router.post("/v1/staff", summary="Invite a staff member", tags=["Firms and staff"])
def invite_staff(body: InviteStaff) -> Response[StaffMember]:
    caller = current_staff(router)
    with throttle.invitation_send(caller.firm_id, body.email):  # 429: a few per address
        return created(service().invite_staff(caller, body))


@router.get("/v1/staff", summary="List the firm's staff", tags=["Firms and staff"])
def list_staff(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> StaffPage:
    return service().list_staff(current_staff(router), cursor, limit)


@router.patch(
    "/v1/staff/<staff_id>",
    summary="Change a staff member's role or manage-accounts right (owner, admin)",
    description=(
        "`role` (`admin` or `employee`) and/or `manage_accounts`. The owner's role cannot "
        "be changed (409 `owner_role_fixed`); an employee gets 403. The person's new "
        "rights apply from their next sign-in: a token already issued keeps the rights "
        "it was issued with until it expires. Audited as `staff_changed`."
    ),
    tags=["Firms and staff"],
)
def change_staff(staff_id: str, body: ChangeStaff) -> StaffMember:
    return service().change_staff(current_staff(router), staff_id, body)


@router.get("/v1/firm/settings", summary="The firm's settings", tags=["Firms and staff"])
def get_settings() -> FirmSettings:
    return service().settings(current_staff(router))


@router.patch("/v1/firm/settings", summary="Change the firm's settings", tags=["Firms and staff"])
def change_settings(body: SettingsChange) -> FirmSettings:
    return service().change_settings(current_staff(router), body)
