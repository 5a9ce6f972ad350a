"""The SES mailer: raw MIME through SESv2, so every header is ours."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cached_property
from typing import Any

import boto3

from crm import clock


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    text: str
    html: str
    sender_name: str = ""
    cc: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class Mailer:
    def __init__(self, from_address: str, client: Any | None = None) -> None:
        self.from_address = from_address
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client costs start-up time a route may never need."""
        return self._given or boto3.client("sesv2")

    def compose(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
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
        return message

    def send(self, mail: Mail) -> str:
        """Send one message; returns SES's message id."""
        message = self.compose(mail)
        answer = self._client.send_email(
            FromEmailAddress=self.from_address,
            Destination={"ToAddresses": mail.to, "CcAddresses": mail.cc},
            Content={"Raw": {"Data": message.as_bytes()}},
        )
        return str(answer["MessageId"])
