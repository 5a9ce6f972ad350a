"""Sends invitation emails when an InvitationRequested event arrives, and the firm's own
emails: the owner's confirmation link (FirmVerificationRequested), the notice to a
staff address someone signed up with (StaffAddressNotice) and the notice to a client
whose portal access came back without a new password (AccessRestored), and the security
notice of a portal sign-in from a new device (NewDeviceSignIn), and the link of a portal
user's password reset (PasswordResetRequested).

EventBridge delivers at least once; the idempotency record (keyed on the event's detail)
makes a redelivery return the first outcome without sending again.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from crm import runtime
from crm.access.notice import AccessNotice
from crm.core.access import ACCESS_RESTORED, AccessRestored
from crm.core.devices import NEW_DEVICE_SIGN_IN, NewDeviceSignIn
from crm.core.invitations import INVITATION_REQUESTED, InvitationRequested
from crm.core.password_resets import PASSWORD_RESET_REQUESTED, PasswordResetRequested
from crm.firms.events import (
    FIRM_VERIFICATION_REQUESTED,
    STAFF_ADDRESS_NOTICE,
    FirmVerificationRequested,
    StaffAddressNotice,
)
from crm.firms.mailing import FirmMailing
from crm.integrations.mailer import Mailer
from crm.invitations.sender import InvitationSender
from crm.limits.sending import Sending
from crm.notifications import links
from crm.observability import logger
from crm.portal.device_notice import DeviceNotice
from crm.portal.devices import NOT_ME, SignedLinks
from crm.portal.reset_notice import ResetNotice

settings = runtime.start()
mailer = Mailer(settings.mail_from_address)
sending = Sending.from_settings(settings)
sender = InvitationSender(mailer, settings.portal_base)
firm_mailing = FirmMailing(mailer, settings.portal_base, sending)
access_notice = AccessNotice(mailer, settings.portal_base)
secret = links.secret_from(settings.link_secret_arn)
device_notice = DeviceNotice(
    mailer,
    settings.api_base,
    SignedLinks(
        sign=lambda fields: links.sign(secret(), NOT_ME, fields),
        verify=lambda token: links.verify(secret(), NOT_ME, token),
    ),
)
reset_notice = ResetNotice(mailer, settings.portal_base)
idempotency = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table_name)


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send(request: InvitationRequested) -> dict[str, str]:
    return {"outcome": sender.send(request.firm_id, request.invitation_id)}


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send_verification(request: FirmVerificationRequested) -> dict[str, str]:
    return {"outcome": firm_mailing.send_verification(request.firm_id, request.verification_id)}


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send_notice(request: StaffAddressNotice) -> dict[str, str]:
    return {"outcome": firm_mailing.send_signup_notice(request.address)}


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send_restored(request: AccessRestored) -> dict[str, str]:
    return {"outcome": access_notice.send_restored(request)}


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send_device_notice(request: NewDeviceSignIn) -> dict[str, str]:
    return {"outcome": device_notice.send(request)}


@idempotent_function(
    data_keyword_argument="request", config=idempotency, persistence_store=persistence
)
def send_reset(request: PasswordResetRequested) -> dict[str, str]:
    return {"outcome": reset_notice.send(request)}


KINDS: dict[str, tuple[type[BaseModel], Callable[..., dict[str, str]]]] = {
    INVITATION_REQUESTED: (InvitationRequested, send),
    FIRM_VERIFICATION_REQUESTED: (FirmVerificationRequested, send_verification),
    STAFF_ADDRESS_NOTICE: (StaffAddressNotice, send_notice),
    ACCESS_RESTORED: (AccessRestored, send_restored),
    NEW_DEVICE_SIGN_IN: (NewDeviceSignIn, send_device_notice),
    PASSWORD_RESET_REQUESTED: (PasswordResetRequested, send_reset),
}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    idempotency.register_lambda_context(context)
    model, handle = KINDS.get(str(event.get("detail-type")), KINDS[INVITATION_REQUESTED])
    try:
        request = model.model_validate(event.get("detail") or {})
    except ValidationError as error:
        logger.error(
            "rejected an event that is not a request to send",
            extra={"errors": error.errors(include_input=False)},
        )
        return {"outcome": "rejected"}
    outcome: dict[str, str] = handle(request=request)
    return outcome
