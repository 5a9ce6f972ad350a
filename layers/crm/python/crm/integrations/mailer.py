"""The SES mailer: raw MIME through SESv2, so every header is ours.

Throttling and transient errors are retried with exponential backoff; what still fails
raises `SendFailed`, telling whether trying again later could help.

`Mail` is imported by every module that words an email, in functions that may never
send one: the email package and boto3 are loaded only when a message is composed or
sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from crm import clock

if TYPE_CHECKING:
    from email.message import EmailMessage
    from email.policy import EmailPolicy

TRANSIENT = {
    "TooManyRequestsException",
    "Throttling",
    "ThrottlingException",
    "LimitExceededException",
    "ServiceUnavailable",
    "InternalFailure",
    "InternalServiceError",
    "RequestTimeout",
}


# The look every email of ours shares: the body's inline style and the link drawn as a
# button (red for a security notice's "this was not me").
BODY_STYLE = 'style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5"'
BUTTON_STYLE = (
    'style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;'
    'text-decoration:none;border-radius:6px"'
)
DANGER_BUTTON_STYLE = BUTTON_STYLE.replace("#1d4ed8", "#b91c1c")


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    text: str
    html: str
    sender_name: str = ""
    cc: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # SES message tags (not headers)
    language: str = ""  # the Content-Language header (`en`, `nl`): the reader's language


@cache
def policy() -> EmailPolicy[EmailMessage]:
    """RFC 5322's own line limit: a long List-Unsubscribe URL must stay one plain header
    line, not be folded into encoded words that mail clients cannot read as a URL."""
    from email.policy import default

    return default.clone(max_line_length=998)


class SendFailed(Exception):
    def __init__(self, reason: str, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class Mailer:
    def __init__(
        self,
        from_address: str,
        client: Any | None = None,
        configuration_set: str = "",
        attempts: int = 4,
        backoff_seconds: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.from_address = from_address
        self.configuration_set = configuration_set
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client, and boto3 itself, cost start-up time a route may
        never need."""
        import boto3

        return self._given or boto3.client("sesv2")

    def compose(self, mail: Mail) -> EmailMessage:
        from email.headerregistry import Address
        from email.message import EmailMessage
        from email.utils import format_datetime, make_msgid

        message = EmailMessage(policy=policy())
        local, _, domain = self.from_address.partition("@")
        message["From"] = Address(display_name=mail.sender_name, username=local, domain=domain)
        message["To"] = ", ".join(mail.to)
        if mail.cc:
            message["Cc"] = ", ".join(mail.cc)
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(clock.now())
        message["Message-ID"] = make_msgid(domain=domain or None)
        for name, value in mail.headers.items():
            message[name] = value
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        if mail.language:  # after the bodies: set_content drops Content-* headers set before
            message["Content-Language"] = mail.language
        return message

    def _raw(self, mail: Mail) -> bytes:
        """The MIME bytes; a message that cannot be written (a line break in a header, from
        data stored before names refused them) is a permanent failure, never a retry."""
        from email.errors import MessageError

        try:
            return self.compose(mail).as_bytes()
        except (ValueError, MessageError) as error:
            raise SendFailed(f"the email could not be composed: {error}"[:500], False) from error

    def send(self, mail: Mail) -> str:
        """Send one message, retrying what is transient; returns SES's message id."""
        request: dict[str, Any] = {
            "FromEmailAddress": self.from_address,
            "Destination": {"ToAddresses": mail.to, "CcAddresses": mail.cc},
            "Content": {"Raw": {"Data": self._raw(mail)}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        if mail.tags:
            request["EmailTags"] = [{"Name": k, "Value": v} for k, v in mail.tags.items()]
        for attempt in range(1, self.attempts + 1):
            try:
                return str(self._client.send_email(**request)["MessageId"])
            except ClientError as error:
                code = str(error.response.get("Error", {}).get("Code", "Unknown"))
                if code not in TRANSIENT:
                    raise SendFailed(code, transient=False) from error
                if attempt == self.attempts:
                    raise SendFailed(code, transient=True) from error
            except BotoCoreError as error:  # connection trouble: worth another try
                if attempt == self.attempts:
                    raise SendFailed(type(error).__name__, transient=True) from error
            self._sleep(self.backoff_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover
