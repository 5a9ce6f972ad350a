"""Domain errors. The data layer turns AWS errors into these; the HTTP layer maps them
to statuses and the contract's error body in one place (crm.http.resolver), with the
message in the reader's language (crm.http.problems).

The message written where an error is raised is the English text. `words` names its
sentence in the catalogs (`crm/i18n/<language>/errors.ftl`, filled with `arguments`);
an error without one reads, in another language, the sentence of its `code`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    name: str
    message: str
    words: str | None = None  # the catalog's sentence, as DomainError.words
    arguments: Mapping[str, Any] = field(default_factory=dict)


class DomainError(Exception):
    """Base of every error a client can cause. `code` is the machine code in the body."""

    status = 400
    code = "bad_request"
    words: str | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        words: str | None = None,
        arguments: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if words:
            self.words = words
        self.arguments = dict(arguments or {})


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    def __init__(
        self, message: str, fields: list[FieldError] | None = None, *, words: str | None = None
    ) -> None:
        super().__init__(message, words=words)
        self.fields = fields or []

    @classmethod
    def on(
        cls, name: str, message: str, *, words: str | None = None, **arguments: Any
    ) -> ValidationFailed:
        """A validation error about one field (`words`: its sentence in the catalogs)."""
        return cls(message, [FieldError(name, message, words, arguments)])


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("The email address or password is not correct.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class AlreadyExists(Conflict):
    code = "already_exists"


class Gone(DomainError):
    """Something that existed and can no longer be used: a reset link used or expired."""

    status = 410
    code = "gone"


class RateLimited(DomainError):
    """Too many requests of one kind; `retry_after` (seconds), when known, becomes the
    answer's Retry-After header."""

    status = 429
    code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: int | None = None,
        code: str | None = None,
        words: str | None = None,
    ) -> None:
        super().__init__(message, code=code, words=words)
        self.retry_after = retry_after


# ------------------------------------------------ firm verification and sending quotas


class FirmNotVerified(Forbidden):
    """The firm has not proved its owner's address: it may email nobody but its owner."""

    code = "firm_not_verified"

    def __init__(self) -> None:
        super().__init__(
            "Confirm the owner's email address first: until then the firm can email "
            "nobody but its owner. Ask for the confirmation email again in the firm settings."
        )


class SendingQuotaReached(RateLimited):
    """The firm has sent as many emails today (UTC) as its daily quota allows."""

    code = "sending_quota_reached"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "The firm has sent as many emails today as its daily limit allows; "
            "try again after midnight UTC.",
            retry_after=retry_after,  # seconds until the quota renews
        )


class VerificationRecentlySent(RateLimited):
    """The owner asked for the confirmation link again too soon after the last one."""

    code = "verification_recently_sent"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "A confirmation email was sent a few minutes ago; look for it (and in the spam "
            "folder) or try again later.",
            retry_after=retry_after,
        )
