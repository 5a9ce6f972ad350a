"""HTTP routes of the notification schedule (an extension of the contract): frequency per
category, the daily digest's hour, quiet hours, per address on an account."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.schedules import NotificationSchedule, ScheduleChange
from crm.http.auth import current_staff
from crm.notifications import digest_settings

router = APIGatewayHttpRouter()
TAGS = ["Notifications"]
PATH = "/v1/accounts/<account_id>/emails/<email_id>/notification-schedule"


@router.get(
    PATH,
    summary="When one address on one account gets its notifications",
    description="Per category `immediate`, `hourly` (a digest every full hour) or `daily` "
    "(a digest at `daily_hour`); `quiet_hours` (HH:MM, may cross midnight) hold everything "
    "but required kinds until they end. Times are in the address's `time_zone`, else the "
    "firm's, else UTC (`effective_time_zone`).",
    tags=TAGS,
)
def get_schedule(account_id: str, email_id: str) -> NotificationSchedule:
    return digest_settings.schedule(current_staff(router), account_id, email_id)


@router.put(
    PATH,
    summary="Change when one address gets its notifications (a subset is fine)",
    description="`frequency` (some categories), `daily_hour` (0-23), `quiet_hours` "
    "(`{start, end}`, or null for none), `time_zone` (an IANA name, or null for the "
    "firm's). Unknown fields or values are a 422. Required kinds (payment confirmations) "
    "always go out at once.",
    tags=TAGS,
)
def put_schedule(account_id: str, email_id: str, body: ScheduleChange) -> NotificationSchedule:
    return digest_settings.change(current_staff(router), account_id, email_id, body)
