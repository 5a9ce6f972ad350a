"""Domain errors. The data layer turns AWS errors into these; the HTTP layer maps them
to statuses and the contract's error body in one place (crm.http.resolver)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldError:
    name: str
    message: str


class DomainError(Exception):
    """Base of every error a client can cause. `code` is the machine code in the body."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    def __init__(self, message: str, fields: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []

    @classmethod
    def on(cls, name: str, message: str) -> ValidationFailed:
        """A validation error about one field."""
        return cls(message, [FieldError(name, message)])


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


class RateLimited(DomainError):
    """Too many requests of one kind; `retry_after` (seconds), when known, becomes the
    answer's Retry-After header."""

    status = 429
    code = "rate_limited"

    def __init__(
        self, message: str, *, retry_after: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
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
