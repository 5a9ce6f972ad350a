"""HTTP routes: firms, staff, staff login, firm settings."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.firms.models import (
    CreateFirm,
    FirmCreated,
    FirmSettings,
    InviteStaff,
    LoginAnswer,
    SettingsChange,
    StaffLogin,
    StaffMember,
    StaffPage,
)
from crm.firms.service import FirmService
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.responses import created

router = APIGatewayHttpRouter()


service = Bound[FirmService]("crm.firms.api")
use = service.use


@router.post("/v1/firms", summary="Create a firm and its owner (public)", tags=["Firms and staff"])
def create_firm(body: CreateFirm) -> Response[FirmCreated]:
    return created(service().create_firm(body))


@router.post("/v1/staff/login", summary="Staff login (public)", tags=["Firms and staff"])
def login(body: StaffLogin) -> LoginAnswer:
    return service().login(body)


@router.post("/v1/staff", summary="Invite a staff member", tags=["Firms and staff"])
def invite_staff(body: InviteStaff) -> Response[StaffMember]:
    return created(service().invite_staff(current_staff(router), body))


@router.get("/v1/staff", summary="List the firm's staff", tags=["Firms and staff"])
def list_staff() -> StaffPage:
    return StaffPage(items=service().list_staff(current_staff(router)))


@router.get("/v1/firm/settings", summary="The firm's settings", tags=["Firms and staff"])
def get_settings() -> FirmSettings:
    return service().settings(current_staff(router))


@router.patch("/v1/firm/settings", summary="Change the firm's settings", tags=["Firms and staff"])
def change_settings(body: SettingsChange) -> FirmSettings:
    return service().change_settings(current_staff(router), body)
